package io.github.fer4j.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Load for fer serve, from another process: {@code capacity} measures how many one-photo uploads a second the server
 * answers with every connection busy; {@code soak} sends them at a fixed rate (open loop: a request goes every 1/rate s
 * whether or not the last was answered) for a long time and prints, for each period, what was sent and answered, the
 * latency, and the server's RSS, open files and threads read from /proc, with the start, middle and end compared.
 * <pre>
 *   ServeSoak capacity URL PHOTO SECONDS CONNECTIONS
 *   ServeSoak soak URL PHOTO RATE SECONDS SERVER_PID PERIOD_SECONDS
 * </pre>
 */
public final class ServeSoak {
    private ServeSoak() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[1];
        byte[] photo = Files.readAllBytes(Path.of(args[2]));
        if (args[0].equals("capacity")) {
            capacity(url, photo, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else {
            soak(url, photo, Double.parseDouble(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]),
                    Integer.parseInt(args[6]));
        }
    }

    static HttpRequest upload(String url, byte[] photo) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "image/jpeg").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build();
    }

    /** {@code connections} clients each sending the next upload when the last is answered; prints uploads/s answered 200. */
    static void capacity(String url, byte[] photo, int seconds, int connections) throws Exception {
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        AtomicLong ok = new AtomicLong();
        AtomicLong other = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService clients = Executors.newFixedThreadPool(connections);
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            clients.submit(() -> {
                while (System.nanoTime() < end) {
                    try {
                        int status = http.send(upload(url, photo), HttpResponse.BodyHandlers.discarding()).statusCode();
                        (status == 200 ? ok : other).incrementAndGet();
                    } catch (IOException | InterruptedException e) {
                        other.incrementAndGet();
                    }
                }
                return null;
            });
        }
        clients.shutdown();
        clients.awaitTermination(seconds + 120, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%.2f %d %d%n", ok.get() / elapsed, ok.get(), other.get());
        System.exit(0);   // the client's pool threads would keep the JVM alive
    }

    /** One period's numbers. */
    private static final class Period {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    }

    static void soak(String url, byte[] photo, double rate, int seconds, long pid, int period) throws Exception {
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        int periods = (seconds + period - 1) / period;
        Period[] stats = new Period[periods];
        for (int i = 0; i < periods; i++) {
            stats[i] = new Period();
        }
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        long start = System.nanoTime();
        long intervalNanos = (long) (1e9 / rate);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(() -> {
            long sentAt = System.nanoTime();
            int p = (int) Math.min(periods - 1, (sentAt - start) / 1_000_000_000L / period);
            // More than a minute's worth unanswered: the server is not keeping up; the client stops piling on.
            if (outstanding.get() > rate * 60) {
                skipped.incrementAndGet();
                return;
            }
            outstanding.incrementAndGet();
            stats[p].sent.incrementAndGet();
            http.sendAsync(upload(url, photo), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                outstanding.decrementAndGet();
                if (e != null) {
                    stats[p].failed.incrementAndGet();
                } else if (r.statusCode() == 200) {
                    stats[p].ok.incrementAndGet();
                    stats[p].latencies.add((System.nanoTime() - sentAt) / 1e6);
                } else {
                    stats[p].refused.incrementAndGet();
                }
            });
        }, 0, intervalNanos, TimeUnit.NANOSECONDS);

        System.out.printf(Locale.ROOT, "fer serve soak: %.1f uploads/s for %d s, pid %d; a row every %d s%n%n", rate, seconds, pid, period);
        System.out.println("| minute | sent | 200 | 503/429 | failed | p50 ms | p99 ms | RSS MB | open files | sockets | threads |");
        System.out.println("|-------:|-----:|----:|--------:|-------:|-------:|-------:|-------:|-----------:|--------:|--------:|");
        // A period's row is printed at the end of the next one, when its uploads have been answered; the server is
        // sampled at the end of its own period.
        List<long[]> samples = new ArrayList<>();
        for (int p = 0; p < periods; p++) {
            long due = start + (p + 1L) * period * 1_000_000_000L;
            Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000L));
            samples.add(proc(pid));
            if (p > 0) {
                row(stats[p - 1], samples.get(p - 1), p, period);
            }
        }
        ticker.shutdownNow();
        long drained = System.nanoTime() + 60_000_000_000L;
        while (outstanding.get() > 0 && System.nanoTime() < drained) {
            Thread.sleep(100);
        }
        row(stats[periods - 1], samples.get(periods - 1), periods, period);
        long[] first = samples.get(0);
        long[] middle = samples.get(samples.size() / 2);
        long[] last = samples.get(samples.size() - 1);
        System.out.println();
        System.out.printf(Locale.ROOT, "RSS MB start %d, middle %d, end %d (end/start %+.1f %%); open files (not sockets) start %d, "
                        + "middle %d, end %d; sockets start %d, middle %d, end %d; threads start %d, end %d; %d requests not sent "
                        + "because over a minute's worth were unanswered%n",
                first[0] / 1024, middle[0] / 1024, last[0] / 1024, 100.0 * (last[0] - first[0]) / first[0], first[1], middle[1],
                last[1], first[3], middle[3], last[3], first[2], last[2], skipped.get());
        System.exit(0);
    }

    private static void row(Period stats, long[] proc, int minute, int period) {
        System.out.printf(Locale.ROOT, "| %6.1f | %4d | %3d | %7d | %6d | %6s | %6s | %6d | %10d | %7d | %7d |%n", minute * period / 60.0,
                stats.sent.get(), stats.ok.get(), stats.refused.get(), stats.failed.get(), percentile(stats.latencies, 50),
                percentile(stats.latencies, 99), proc[0] / 1024, proc[1], proc[3], proc[2]);
    }

    /**
     * VmRSS in KB, open file descriptors other than sockets, threads, and sockets (the connections the clients keep
     * open, which follow the load, not a leak) of process {@code pid} (Linux /proc).
     */
    static long[] proc(long pid) throws IOException {
        long rss = 0;
        long threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        long files = 0;
        long sockets = 0;
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:")) {
                    sockets++;
                } else {
                    files++;
                }
            }
        }
        return new long[] {rss, files, threads, sockets};
    }

    private static String percentile(List<Double> values, int q) {
        double[] v;
        synchronized (values) {
            v = values.stream().mapToDouble(Double::doubleValue).toArray();
        }
        if (v.length == 0) {
            return "-";
        }
        Arrays.sort(v);
        return String.format(Locale.ROOT, "%.0f", v[Math.min(v.length - 1, (int) Math.ceil(q / 100.0 * v.length) - 1)]);
    }
}

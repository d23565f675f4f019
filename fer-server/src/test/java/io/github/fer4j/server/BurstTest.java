package io.github.fer4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.vision.EmotionRecognizer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A burst of uploads is queued and served, not refused; slow clients hold no worker and are cut off. */
class BurstTest {
    private static HttpRequest upload(int port, byte[] photo) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/emotions"))
                .header("Content-Type", "image/jpeg").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build();
    }

    private static byte[] photo() {
        return TestPhotos.faces() != null
                ? TestPhotos.encode(TestPhotos.withFaces(320, 240, List.of(new int[] {4, 100, 60, 120})), "jpg")
                : TestPhotos.encode(TestPhotos.background(320, 240, 7), "jpg");
    }

    /** A free port on 127.0.0.1 now (the cold server is told it, so that the test can poll /health as a client would). */
    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort();
        }
    }

    /** Starts {@link ColdServer} in a new JVM with the test's class path, its output into {@code log}; the caller closes it. */
    static Process coldServer(int port, int threads, int queue, long maxWaitSeconds, int warmUp, java.nio.file.Path log)
            throws java.io.IOException {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // As fer serve runs: one thread per run inside the engine, the requests side by side on the workers.
        return new ProcessBuilder(javaBin, "-Xmx1g", "-Djava.awt.headless=true", "-Dfer.engine.threads=1",
                "-Dai.djl.pytorch.num_threads=1", "-cp", classPath, ColdServer.class.getName(), Integer.toString(port),
                Integer.toString(threads), Integer.toString(queue), Long.toString(maxWaitSeconds), Integer.toString(warmUp))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Polls /health every 20 ms until it answers 200 (as a client that waits for a server it started); the seconds taken. */
    static double awaitHealth(HttpClient http, int port, Process server) throws Exception {
        long start = System.nanoTime();
        while (System.nanoTime() - start < 120e9) {
            if (!server.isAlive()) {
                throw new AssertionError("the server exited with " + server.exitValue() + " before /health answered");
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return (System.nanoTime() - start) / 1e9;
                }
            } catch (java.net.ConnectException notYet) {
                // Not listening yet.
            }
            Thread.sleep(20);
        }
        throw new AssertionError("/health did not answer within 120 s");
    }

    @Test
    void aJustStartedServerServesAllOfTwoHundredSimultaneousUploadsAndHealthAnswersMeanwhile() throws Exception {
        // The server's own defaults (a 5 s longest wait, a queue of 256) on two workers, in a JVM that has loaded and run
        // nothing: the burst goes as soon as /health answers, as a client that waits for the server would send it.
        int port = freePort();
        java.nio.file.Path log = java.nio.file.Files.createTempFile("fer4j-cold-server", ".log");
        Process process = coldServer(port, 2, 256, EmotionServer.DEFAULT_MAX_WAIT.toSeconds(), EmotionServer.DEFAULT_WARM_UP_ROUNDS, log);
        try {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
            byte[] photo = photo();
            double startSeconds = awaitHealth(http, port, process);
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            long[] sent = new long[200];
            long[] answered = new long[200];
            for (int i = 0; i < 200; i++) {
                int k = i;
                sent[i] = System.nanoTime();
                calls.add(http.sendAsync(upload(port, photo), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((r, e) -> answered[k] = System.nanoTime()));
            }
            long healthStart = System.nanoTime();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            long healthAnswered = System.nanoTime();
            double healthSeconds = (healthAnswered - healthStart) / 1e9;
            assertEquals(200, health.statusCode(), health.body());
            boolean burstStillRunning = calls.stream().anyMatch(c -> !c.isDone());
            double[] seconds = new double[200];
            List<Integer> statuses = new ArrayList<>();
            List<String> refusals = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                HttpResponse<String> r = calls.get(i).get();
                seconds[i] = (answered[i] - sent[i]) / 1e9;
                statuses.add(r.statusCode());
                if (r.statusCode() != 200 && refusals.size() < 3) {
                    refusals.add(r.body());
                }
            }
            // Health is answered beside the queue, not behind it: before the burst's last upload was.
            long lastAnswered = Arrays.stream(answered).max().orElseThrow();
            assertTrue(healthAnswered < lastAnswered, String.format(Locale.ROOT,
                    "/health took %.3f s and came after the whole burst", healthSeconds));
            long ok = statuses.stream().filter(s -> s == 200).count();
            // The pace the server kept, from the uploads it served: at that pace, how long would all 200 take? On a
            // machine so busy with other work that it is over half the longest wait, refusals are the server telling
            // the truth, and the test only reports; otherwise every upload must be served (and when all were, it passes
            // whatever the pace).
            long firstSent = Arrays.stream(sent).min().orElseThrow();
            long lastServed = 0;
            for (int i = 0; i < 200; i++) {
                if (statuses.get(i) == 200) {
                    lastServed = Math.max(lastServed, answered[i]);
                }
            }
            double projected = ok == 0 ? Double.POSITIVE_INFINITY : 200 * (lastServed - firstSent) / 1e9 / ok;
            String server = java.nio.file.Files.readString(log).strip();
            if (ok < 200 && projected > EmotionServer.DEFAULT_MAX_WAIT.toSeconds() / 2.0) {
                org.junit.jupiter.api.Assumptions.abort(String.format(Locale.ROOT, "this machine is too busy for the check: %d "
                        + "of 200 served, at a pace that takes %.1f s for 200, over half the longest wait (%d s); load %s; "
                        + "server: %s", ok, projected, EmotionServer.DEFAULT_MAX_WAIT.toSeconds(), loadAverage(), server));
            }
            assertEquals(200, ok, String.format(Locale.ROOT, "answered 200: %d of 200 (at the pace served, 200 take %.1f s); "
                    + "for example %s; server: %s", ok, projected, refusals, server));
            Arrays.sort(seconds);
            System.err.printf(Locale.ROOT, "cold server (up in %.1f s, warm-up included): burst of 200, all 200 OK, p50 %.2f s, "
                    + "p99 %.2f s, max %.2f s; /health answered in %.3f s while the burst %s; load %s; server: %s%n", startSeconds,
                    seconds[99], seconds[197], seconds[199], healthSeconds, burstStillRunning ? "was still being served"
                            : "had already ended", loadAverage(), server);
        } finally {
            process.getOutputStream().close();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            java.nio.file.Files.deleteIfExists(log);
        }
    }

    /** The one-minute load average (Linux), or "?" elsewhere: how busy the machine was. */
    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    @Test
    void pastTheLongestWaitRequestsGet503WithRetryAfter() throws Exception {
        // No wait allowed: once both workers are busy, what comes next is refused at once, with Retry-After.
        try (EmotionServer server = EmotionServer.start(EmotionRecognizer.create(), new EmotionServer.Settings("127.0.0.1", 0,
                4 << 20, 40_000_000, 2, 256, Duration.ZERO))) {
            HttpClient http = HttpClient.newHttpClient();
            byte[] big = TestPhotos.encode(TestPhotos.background(1600, 1200, 8), "jpg");
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                calls.add(http.sendAsync(upload(server.port(), big), HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (var call : calls) {
                HttpResponse<String> r = call.get();
                statuses.add(r.statusCode());
                if (r.statusCode() == 503) {
                    assertTrue(Integer.parseInt(r.headers().firstValue("Retry-After").orElse("0")) >= 1, r.headers().toString());
                    assertTrue(r.body().contains("the wait for a worker would be about"), r.body());
                }
            }
            assertTrue(statuses.contains(200) && statuses.contains(503), statuses.toString());
        }
    }

    @Test
    void slowClientsHoldNoWorkerAndAreCutOff() throws Exception {
        try (EmotionServer server = EmotionServer.start(EmotionRecognizer.create(), new EmotionServer.Settings("127.0.0.1", 0,
                1 << 20, 40_000_000, 2, 256))) {
            byte[] photo = photo();
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(200, http.send(upload(server.port(), photo), HttpResponse.BodyHandlers.ofString()).statusCode());
            ExecutorService clients = Executors.newFixedThreadPool(20);
            List<Future<Long>> cutOff = new ArrayList<>();
            long began = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                cutOff.add(clients.submit(() -> trickle(server.port())));
            }
            // The server cuts a client off once it falls under its least rate, about a second in: the normal upload goes
            // while they are still sending. Had they held the two workers, it would wait for the first of them to be cut off.
            Thread.sleep(200);
            long start = System.nanoTime();
            HttpResponse<String> normal = http.send(upload(server.port(), photo), HttpResponse.BodyHandlers.ofString());
            long served = System.nanoTime();
            assertEquals(200, normal.statusCode(), normal.body());
            long first = Long.MAX_VALUE;
            long last = 0;
            for (Future<Long> f : cutOff) {
                first = Math.min(first, f.get());
                last = Math.max(last, f.get());
            }
            clients.shutdownNow();
            System.err.printf(Locale.ROOT, "20 clients sending a byte a second: all cut off, the first after %.1f s, the last "
                    + "after %.1f s; a normal upload meanwhile took %.2f s%n", (first - began) / 1e9, (last - began) / 1e9,
                    (served - start) / 1e9);
            assertTrue(last - began < 60e9, "cut off within a minute: " + (last - began) / 1e9 + " s");
            assertTrue(served < first, String.format(Locale.ROOT, "the normal upload, sent %.1f s after the slow clients, was "
                    + "served after %.2f s, when the first of them had been cut off", (start - began) / 1e9, (served - start) / 1e9));
        }
    }

    /**
     * Sends a request whose 100 KB body comes a byte a second; returns when the server answered (a 4xx status line,
     * which it checks) or hung up, as {@link System#nanoTime()}.
     */
    private static long trickle(int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            // A second's wait for an answer between bytes, so that the moment the server answers or hangs up is seen.
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/emotions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[600];
            for (int i = 0; i < 90; i++) {
                try {
                    out.write(0xFF);
                    out.flush();
                } catch (java.io.IOException closed) {
                    break;
                }
                int n;
                try {
                    n = in.read(answer);
                } catch (java.net.SocketTimeoutException nothingYet) {
                    continue;
                } catch (java.io.IOException reset) {
                    break;
                }
                if (n > 0) {
                    String status = new String(answer, 0, n, StandardCharsets.US_ASCII);
                    assertTrue(status.startsWith("HTTP/1.1 4"), "the server answers a client that is too slow: " + status);
                }
                break;
            }
        }
        return System.nanoTime();
    }
}

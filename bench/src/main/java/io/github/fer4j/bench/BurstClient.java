package io.github.fer4j.bench;

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
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The first burst a just-started fer serve sees, as a client that waits for it: polls {@code /health} every 20 ms
 * from the moment given (the server's launch, in epoch milliseconds), and the moment it answers sends COUNT uploads
 * of PHOTO at once. Prints one line: seconds from launch to /health, the server's own warm-up seconds, uploads
 * answered 200, the other statuses, the latency p50, p99 and max in seconds, and the server's own estimate of the wait
 * when it first refused one ("would be about X s", '-' when it refused none), to be read against that max.
 * Usage: {@code BurstClient BASE_URL PHOTO COUNT LAUNCHED_EPOCH_MILLIS SERVER_PID}.
 */
public final class BurstClient {
    private BurstClient() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        byte[] photo = Files.readAllBytes(Path.of(args[1]));
        int count = Integer.parseInt(args[2]);
        long launched = Long.parseLong(args[3]);
        ProcessHandle server = ProcessHandle.of(Long.parseLong(args[4]))
                .orElseThrow(() -> new IllegalStateException("the server exited before /health answered"));
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
        String health = null;
        long deadline = System.currentTimeMillis() + 180_000;
        while (health == null && System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    health = r.body();
                }
            } catch (java.io.IOException notYet) {
                if (!server.isAlive()) {
                    throw new IllegalStateException("the server exited before /health answered");
                }
                Thread.sleep(20);
            }
        }
        if (health == null) {
            throw new IllegalStateException("/health did not answer within 180 s");
        }
        double ready = (System.currentTimeMillis() - launched) / 1e3;
        java.util.regex.Matcher warm = java.util.regex.Pattern.compile("\"warmUpSeconds\":([0-9.Ee-]+)").matcher(health);
        double warmUp = warm.find() ? Double.parseDouble(warm.group(1)) : Double.NaN;
        long[] sent = new long[count];
        long[] answered = new long[count];
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int k = i;
            sent[i] = System.nanoTime();
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/v1/emotions")).header("Content-Type", "image/jpeg")
                    .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build(),
                    HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> answered[k] = System.nanoTime()));
        }
        int ok = 0;
        double estimate = Double.NaN;
        java.util.regex.Pattern about = java.util.regex.Pattern.compile("would be about ([0-9.]+) s");
        TreeMap<Integer, Integer> other = new TreeMap<>();
        double[] seconds = new double[count];
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = calls.get(i).get();
            int status = response.statusCode();
            if (status == 200) {
                ok++;
            } else {
                other.merge(status, 1, Integer::sum);
                java.util.regex.Matcher m = about.matcher(response.body());
                if (Double.isNaN(estimate) && m.find()) {
                    estimate = Double.parseDouble(m.group(1));
                }
            }
            seconds[i] = (answered[i] - sent[i]) / 1e9;
        }
        // The latencies of the uploads served (a refusal comes at once and says nothing of the pace).
        double[] served = new double[ok];
        for (int i = 0, k = 0; i < count; i++) {
            if (calls.get(i).get().statusCode() == 200) {
                served[k++] = seconds[i];
            }
        }
        Arrays.sort(served);
        System.out.printf(Locale.ROOT, "%.2f %.2f %d %s %.2f %.2f %.2f %s%n", ready, warmUp, ok, other.isEmpty() ? "-"
                : other.toString().replace(" ", ""), percentile(served, 50), percentile(served, 99), percentile(served, 100),
                Double.isNaN(estimate) ? "-" : String.format(Locale.ROOT, "%.1f", estimate));
        System.exit(0);
    }

    private static double percentile(double[] sorted, int q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(q / 100.0 * sorted.length) - 1)];
    }
}

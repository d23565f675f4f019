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

    @Test
    void twoHundredSimultaneousUploadsAreAllServedAndHealthAnswersMeanwhile() throws Exception {
        // The wait bound is generous here so that a slow CI machine still serves the whole burst; the server's own
        // default is 5 s at the measured pace.
        try (EmotionServer server = EmotionServer.start(EmotionRecognizer.create(), new EmotionServer.Settings("127.0.0.1", 0,
                1 << 20, 40_000_000, 2, 256, Duration.ofSeconds(60)))) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
            byte[] photo = photo();
            // One request first: loading the native libraries and warming the model are not the burst's cost.
            assertEquals(200, http.send(upload(server.port(), photo), HttpResponse.BodyHandlers.ofString()).statusCode());
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            long[] sent = new long[200];
            long[] answered = new long[200];
            for (int i = 0; i < 200; i++) {
                int k = i;
                sent[i] = System.nanoTime();
                calls.add(http.sendAsync(upload(server.port(), photo), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((r, e) -> answered[k] = System.nanoTime()));
            }
            long healthStart = System.nanoTime();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            long healthAnswered = System.nanoTime();
            double healthSeconds = (healthAnswered - healthStart) / 1e9;
            assertEquals(200, health.statusCode(), health.body());
            boolean burstStillRunning = calls.stream().anyMatch(c -> !c.isDone());
            double[] seconds = new double[200];
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                HttpResponse<String> r = calls.get(i).get();
                seconds[i] = (answered[i] - sent[i]) / 1e9;
                statuses.add(r.statusCode());
            }
            assertTrue(statuses.stream().allMatch(s -> s == 200), statuses.toString());
            // Health is answered beside the queue, not behind it: before the burst's last upload was.
            long lastAnswered = Arrays.stream(answered).max().orElseThrow();
            assertTrue(healthAnswered < lastAnswered, String.format(Locale.ROOT,
                    "/health took %.3f s and came after the whole burst", healthSeconds));
            Arrays.sort(seconds);
            System.err.printf(Locale.ROOT, "burst of 200: all 200 OK, p50 %.2f s, p99 %.2f s, max %.2f s; /health answered in %.3f s "
                    + "while the burst %s%n", seconds[99], seconds[197], seconds[199], healthSeconds,
                    burstStillRunning ? "was still being served" : "had already ended");
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

package io.github.fer4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.vision.EmotionRecognizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Limits per client address, with two clients at once: one from 127.0.0.2, one from 127.0.0.3 (both this machine's
 * loopback). The greedy one is held back with 429 and Retry-After; the other is served all the same.
 */
class ClientLimitsServerTest {
    static final String GREEDY = "127.0.0.2";
    static final String OTHER = "127.0.0.3";

    static List<RawHttp.Response> simultaneous(ExecutorService clients, String from, int port, byte[] photo, int count)
            throws Exception {
        List<Future<RawHttp.Response>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(clients.submit(() -> RawHttp.post(from, port, "/api/v1/emotions", "image/jpeg", photo, Map.of())));
        }
        List<RawHttp.Response> responses = new ArrayList<>();
        for (Future<RawHttp.Response> f : calls) {
            responses.add(f.get());
        }
        return responses;
    }

    static void assert429(RawHttp.Response r, String reason) {
        assertEquals(429, r.status(), r.body());
        assertTrue(r.headers().getOrDefault("content-type", "").startsWith("application/json"), r.headers().toString());
        assertTrue(r.body().contains("\"status\":429") && r.body().contains(reason), r.body());
        assertTrue(Long.parseLong(r.headers().getOrDefault("retry-after", "0")) >= 1, r.headers().toString());
    }

    @Test
    void aClientOverItsRateGets429WhileAnotherIsServed() throws Exception {
        // 2 uploads a second per address: of 12 sent at once, 2 go (maybe a third if the burst spans half a second).
        byte[] photo = TestPhotos.encode(TestPhotos.background(160, 120, 5), "jpg");
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try (EmotionServer server = EmotionServer.start(EmotionRecognizer.create(), new EmotionServer.Settings("127.0.0.1", 0,
                1 << 20, 40_000_000, 2, 64, Duration.ofSeconds(30)).withClientLimits(2, 0).withWarmUp(1))) {
            Future<List<RawHttp.Response>> greedy = clients.submit(() -> simultaneous(clients, GREEDY, server.port(), photo, 12));
            List<RawHttp.Response> other = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                other.add(RawHttp.post(OTHER, server.port(), "/api/v1/emotions", "image/jpeg", photo, Map.of()));
            }
            List<RawHttp.Response> refused = greedy.get().stream().filter(r -> r.status() != 200).toList();
            long served = 12 - refused.size();
            assertTrue(served >= 2 && served <= 3, "served " + served + " of 12 at 2 a second");
            refused.forEach(r -> assert429(r, "more than 2 uploads a second"));
            for (RawHttp.Response r : other) {
                assertEquals(200, r.status(), "the other client has its own bucket: " + r.body());
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void oneClientCannotFillTheQueueTheOthersWaitIn() throws Exception {
        // One worker and 4 queue places; each client may have 2 uploads in the server. The greedy client sends 12 slow
        // photos at once: 2 are taken, 10 get 429. The other client, coming in meanwhile, finds a place and is served.
        // (Without the cap, the greedy client's uploads would fill the worker and the queue, and it would get 503.)
        byte[] slow = TestPhotos.encode(TestPhotos.background(1600, 1200, 9), "jpg");
        byte[] small = TestPhotos.encode(TestPhotos.background(160, 120, 5), "jpg");
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try (EmotionServer server = EmotionServer.start(EmotionRecognizer.create(), new EmotionServer.Settings("127.0.0.1", 0,
                4 << 20, 40_000_000, 1, 4, Duration.ofSeconds(60)).withClientLimits(0, 2).withWarmUp(1))) {
            Future<List<RawHttp.Response>> greedy = clients.submit(() -> simultaneous(clients, GREEDY, server.port(), slow, 12));
            Thread.sleep(150);
            RawHttp.Response other = RawHttp.post(OTHER, server.port(), "/api/v1/emotions", "image/jpeg", small, Map.of());
            assertEquals(200, other.status(), other.body());
            List<RawHttp.Response> greedyAnswers = greedy.get();
            List<RawHttp.Response> refused = greedyAnswers.stream().filter(r -> r.status() != 200).toList();
            assertTrue(refused.size() >= 8, "refused " + refused.size() + " of 12 with 2 in flight at most");
            refused.forEach(r -> assert429(r, "already has 2 uploads in the server"));
            // Once its uploads are answered, the greedy client may send again.
            assertEquals(200, RawHttp.post(GREEDY, server.port(), "/api/v1/emotions", "image/jpeg", small, Map.of()).status());
        } finally {
            clients.shutdownNow();
        }
    }
}

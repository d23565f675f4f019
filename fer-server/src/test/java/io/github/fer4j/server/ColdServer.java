package io.github.fer4j.server;

import io.github.fer4j.vision.EmotionRecognizer;
import java.time.Duration;

/**
 * A server in a JVM of its own, for tests that need one just started (nothing loaded, compiled or warmed before it):
 * {@code ColdServer PORT THREADS QUEUE MAX_WAIT_SECONDS WARM_UP_ROUNDS}. It stops when its standard input closes.
 */
public final class ColdServer {
    private ColdServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        EmotionServer.Settings settings = new EmotionServer.Settings("127.0.0.1", port, 1 << 20, 40_000_000,
                Integer.parseInt(args[1]), Integer.parseInt(args[2]), Duration.ofSeconds(Long.parseLong(args[3])))
                .withWarmUp(Integer.parseInt(args[4]));
        try (EmotionServer server = EmotionServer.start(EmotionRecognizer.create(), settings)) {
            System.out.println("listening on " + server.port() + ", warmed up in " + server.warmUpTime().toMillis() + " ms");
            System.out.flush();
            while (System.in.read() >= 0) {
                // Runs until the test closes the pipe.
            }
        }
        System.exit(0);
    }
}

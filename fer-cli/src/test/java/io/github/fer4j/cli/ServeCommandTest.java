package io.github.fer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * fer serve's access rules as a user meets them, each in a server process of its own: off the loopback a token is
 * made and printed once (or taken from --token or FER_TOKEN, then never printed), --no-auth warns, bad combinations
 * are exit 2.
 */
class ServeCommandTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Pattern SERVING = Pattern.compile("fer: serving http://[^:]+:(\\d+)/");

    /** A running fer serve: its process, its port, and what it printed on stderr up to the serving line and just after. */
    record Server(Process process, int port, List<String> lines) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();   // SIGTERM: the shutdown hook stops the server
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }

        String printed() {
            return String.join("\n", lines);
        }
    }

    static Server serve(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Djava.awt.headless=true", "-Dfer.engine.threads=1", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), Fer.class.getName(),
                "serve", "--port", "0", "--threads", "1", "--warm-up", "1"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("FER_TOKEN");
        builder.environment().putAll(environment);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + 180_000_000_000L;
        Integer port = null;
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            lines.add(line);
            Matcher m = SERVING.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                // The access lines come right after the serving line.
                Thread.sleep(300);
                while (out.ready() && (line = out.readLine()) != null) {
                    lines.add(line);
                }
                break;
            }
        }
        if (port == null) {
            process.destroyForcibly();
            throw new AssertionError("fer serve did not start:\n" + String.join("\n", lines));
        }
        // Whatever it prints later is read and dropped, so that the pipe never fills.
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // dropped
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return new Server(process, port, lines);
    }

    static int status(int port, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void offTheLoopbackARandomTokenIsMadeAndPrintedOnce() throws Exception {
        try (Server server = serve(Map.of(), "--host", "0.0.0.0")) {
            Matcher url = Pattern.compile("http://\\S+:" + server.port() + "/\\?token=([0-9a-f]{48})").matcher(server.printed());
            assertTrue(url.find(), server.printed());
            String token = url.group(1);
            assertEquals(2, server.printed().split(token, -1).length - 1, "the address and the header line, once each:\n"
                    + server.printed());
            assertEquals(401, status(server.port(), "/api/v1/models", null));
            assertEquals(401, status(server.port(), "/api/v1/models", "Bearer " + "0".repeat(48)));
            assertEquals(200, status(server.port(), "/api/v1/models", "Bearer " + token));
            assertEquals(200, status(server.port(), "/api/v1/models?token=" + token, null));
        }
    }

    @Test
    void aTokenFromTheEnvironmentIsUsedAndNeverPrinted() throws Exception {
        String token = "from-the-environment-0123456789";
        try (Server server = serve(Map.of("FER_TOKEN", token), "--host", "0.0.0.0")) {
            assertFalse(server.printed().contains(token), server.printed());
            assertTrue(server.printed().contains("every request needs the token given"), server.printed());
            assertEquals(401, status(server.port(), "/", null));
            assertEquals(200, status(server.port(), "/api/v1/models", "Bearer " + token));
        }
    }

    @Test
    void onTheLoopbackTheServerIsOpenAndNoAuthOffItWarns() throws Exception {
        try (Server server = serve(Map.of())) {
            assertFalse(server.printed().contains("token"), server.printed());
            assertEquals(200, status(server.port(), "/api/v1/models", null));
        }
        try (Server server = serve(Map.of(), "--host", "0.0.0.0", "--no-auth")) {
            assertTrue(server.printed().contains("WARNING: --no-auth: anyone who can reach 0.0.0.0:" + server.port()),
                    server.printed());
            assertEquals(200, status(server.port(), "/api/v1/models", null));
        }
    }

    @Test
    void badAccessOptionsAreExit2() {
        FerCommandTest.Run shortToken = FerCommandTest.fer("serve", "--token", "short", "--port", "0");
        assertEquals(2, shortToken.code(), shortToken.err());
        assertTrue(shortToken.err().contains("must be 16 to 512 letters"), shortToken.err());
        assertFalse(shortToken.err().contains("short\n"), "the token is not repeated");
        FerCommandTest.Run both = FerCommandTest.fer("serve", "--token", "long-enough-token-123", "--no-auth", "--port", "0");
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().contains("--no-auth and a token"), both.err());
        FerCommandTest.Run rate = FerCommandTest.fer("serve", "--rate", "-1", "--port", "0");
        assertEquals(2, rate.code(), rate.err());
    }

    @Test
    void helpNamesEveryAccessAndLimitOption() {
        FerCommandTest.Run help = FerCommandTest.fer("serve", "--help");
        assertEquals(0, help.code());
        for (String option : List.of("--token=TOKEN", "--no-auth", "--rate=PER_SECOND", "--max-in-flight=N", "--warm-up=ROUNDS",
                "FER_TOKEN", "401")) {
            assertTrue(help.out().contains(option), option + " in:\n" + help.out());
        }
    }
}

package io.github.fer4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.JazzerAgentAvailable;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.linear.LinearTrainer;
import io.github.fer4j.linear.SgdConfig;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.task.Task;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.FaceDetector;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes {@code POST /api/v1/emotions} in-process over real HTTP: one server on a random port with a small linear
 * model; every fuzzed request (raw or multipart body, any content type, sent whole, chunked or over the upload
 * limit) must get a JSON answer with a 2xx, 4xx or 503 status, within the per-request timeout.
 *
 * <p>Input layout: byte 0 says how to send (low two bits: 0 raw, 1 raw chunked, 2 multipart built around the body,
 * 3 raw; next two bits: the multipart field name; next two: for modes 2 and 3, whether and how far the body is padded
 * past the upload limit, up to four times it, where the server still reads a body to answer 413), byte 1 picks the
 * content type
 * ({@link #CONTENT_TYPES}; past the list's end the body's first line is the content type), the rest is the body.
 */
@ExtendWith(JazzerAgentAvailable.class)
class EmotionServerFuzzTest {
    static final long MAX_UPLOAD = 64 * 1024;
    static final List<String> CONTENT_TYPES = List.of("image/jpeg", "image/png", "IMAGE/PNG; charset=binary", "image/webp",
            "image/gif", "image/bmp", "multipart/form-data; boundary=fer4jfuzz", "multipart/form-data",
            "multipart/form-data; boundary=", "multipart/mixed; boundary=fer4jfuzz", "text/plain", "application/json",
            "application/octet-stream", "");
    static final List<String> FIELDS = List.of("image", "file", "", "image\"; filename=\"x");
    private static final String BOUNDARY = "fer4jfuzz";

    static EmotionServer server;
    static HttpClient http;

    @BeforeAll
    static void start() throws IOException {
        SgdConfig config = SgdConfig.defaults().with(c -> c.epochs = 1);
        Classifier model = LinearTrainer.softmax(config).fitAll(SyntheticFaces.generate(60, 1), Task.EMOTIONS, List.of());
        EmotionRecognizer recognizer = EmotionRecognizer.create(model, "fuzz-softmax",
                new EmotionRecognizer.Options(FaceDetector.Kind.HAAR, 48, 1_000_000));
        server = EmotionServer.start(recognizer, new EmotionServer.Settings("127.0.0.1", 0, MAX_UPLOAD, 1_000_000, 2, 4));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A plain picture (no face) as PNG and JPEG sent each way, and a few hand-made multipart bodies. */
    static Stream<byte[]> requests() throws IOException {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.CYAN);
        g.fillOval(5, 5, 20, 15);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", jpeg);
        return Stream.of(request(0, 1, png.toByteArray()), request(1, 0, jpeg.toByteArray()), request(2, 1, png.toByteArray()),
                request(3, 0, jpeg.toByteArray()), request(0, 10, "hello".getBytes(StandardCharsets.US_ASCII)),
                request(0, CONTENT_TYPES.size(), "image/png\nnot a png".getBytes(StandardCharsets.US_ASCII)),
                request(2 | 0x20, 1, png.toByteArray()),
                request(0, CONTENT_TYPES.indexOf("multipart/form-data; boundary=fer4jfuzz"),
                        "--fer4jfuzz\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nabc\r\n--fer4jfuzz--\r\n"
                                .getBytes(StandardCharsets.US_ASCII)),
                request(0, CONTENT_TYPES.indexOf("multipart/form-data"), "no boundary".getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Sends a request, again on a fresh connection when the first attempt got no bytes at all: the client may have
     * reused a pooled connection that the server had just closed after answering an earlier, malformed request (a
     * race in the client's pool, not an unanswered request). A server that answers nothing fails both times.
     */
    private static HttpResponse<String> sendOnce(HttpRequest request) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (e instanceof HttpTimeoutException || e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
                throw e;
            }
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private static byte[] request(int how, int contentType, byte[] body) {
        byte[] out = new byte[body.length + 2];
        out[0] = (byte) how;
        out[1] = (byte) contentType;
        System.arraycopy(body, 0, out, 2, body.length);
        return out;
    }

    @MethodSource("requests")
    @FuzzTest(maxDuration = "60s")
    // The server's bound is the request's own 10 s timeout below. This one catches a test that hangs; the first call also
    // installs Jazzer's agent, which scans the class path and retransforms every loaded class: about 28 s on 2 cores at
    // load 10 before ONNX Runtime's jar (BlazeFace) joined the class path, over 30 s after (the test timed out there).
    // A request sent from @BeforeAll does not help: Jazzer starts at the first fuzzed input.
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void post(byte[] input) throws InterruptedException {
        int how = input.length > 0 ? input[0] & 3 : 0;
        String field = FIELDS.get(input.length > 0 ? (input[0] >> 2) & 3 : 0);
        int typeChoice = input.length > 1 ? input[1] & 0xFF : 0;
        byte[] body = input.length > 2 ? Arrays.copyOfRange(input, 2, input.length) : new byte[0];
        String contentType;
        if (typeChoice < CONTENT_TYPES.size()) {
            contentType = CONTENT_TYPES.get(typeChoice);
        } else {
            int newline = indexOf(body, (byte) '\n');
            contentType = new String(body, 0, newline, StandardCharsets.ISO_8859_1);
            body = Arrays.copyOfRange(body, Math.min(body.length, newline + 1), body.length);
        }
        int pastTheLimit = input.length > 0 ? (input[0] >> 4) & 3 : 0;
        HttpRequest.BodyPublisher publisher = switch (how) {
            case 1 -> chunked(body);
            case 2 -> {
                String partType = contentType.isEmpty() ? "image/png" : contentType;
                contentType = "multipart/form-data; boundary=" + BOUNDARY;
                byte[] part = pastTheLimit == 0 ? body : padded(body, pastTheLimit);
                yield HttpRequest.BodyPublishers.ofByteArray(multipart(field, partType, part));
            }
            case 3 -> HttpRequest.BodyPublishers.ofByteArray(padded(body, 1 + pastTheLimit));
            default -> HttpRequest.BodyPublishers.ofByteArray(body);
        };
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/emotions"))
                .timeout(Duration.ofSeconds(10)).POST(publisher);
        String header = headerValue(contentType);
        if (!header.isEmpty()) {
            request.header("Content-Type", header);
        }
        HttpResponse<String> response;
        // Jazzer reports any connection as request forgery unless the test expects it: these go to our server only.
        int port = server.port();
        try (SilentCloseable toTheServer = BugDetectors.allowNetworkConnections((host, p) -> p == port
                && (host.equals("127.0.0.1") || host.equals("localhost")))) {
            response = sendOnce(request.build());
        } catch (HttpTimeoutException e) {
            fail("no answer within 10 s (content type '" + header + "', " + body.length + " bytes, mode " + how + ")");
            return;
        } catch (IOException e) {
            fail("the connection broke instead of an answer: " + e, e);
            return;
        }
        int status = response.statusCode();
        assertTrue(status >= 200 && status < 300 || status >= 400 && status < 500 || status == 503,
                "status " + status + ": " + response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                "status " + status + " answered with " + response.headers().firstValue("Content-Type") + ": " + response.body());
        JsonObject json = JsonParser.parseString(response.body()).getAsJsonObject();
        if (status >= 400) {
            assertEquals(status, json.getAsJsonObject("error").get("status").getAsInt(), response.body());
            assertTrue(json.getAsJsonObject("error").has("message"), response.body());
        } else {
            assertTrue(json.has("faces"), response.body());
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length;
    }

    /** What java.net.http lets through as a header value: visible ASCII, spaces and tabs. */
    private static String headerValue(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '\t' || (c >= 0x20 && c < 0x7F)) {
                out.append(c);
            }
        }
        return out.toString().strip();
    }

    private static byte[] multipart(String field, String partType, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"photo\"\r\n"
                    + "Content-Type: " + headerValue(partType) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The body repeated to {@code times} the upload limit and a byte (so that a small body still tests the limit), but
     * never past four times the limit: the server closes the connection on a longer body rather than read it all.
     */
    private static byte[] padded(byte[] body, int times) {
        byte[] unit = body.length == 0 ? new byte[] {0} : body;
        byte[] out = new byte[(int) Math.min(times * MAX_UPLOAD + 1, 4 * MAX_UPLOAD)];
        for (int i = 0; i < out.length; i++) {
            out[i] = unit[i % unit.length];
        }
        return out;
    }

    /** The body without a Content-Length: sent with chunked transfer encoding. */
    private static HttpRequest.BodyPublisher chunked(byte[] body) {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(body));
    }
}

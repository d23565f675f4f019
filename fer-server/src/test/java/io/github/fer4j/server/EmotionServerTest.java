package io.github.fer4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.TestData;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API over real HTTP on a random port. */
class EmotionServerTest {
    static final long MAX_UPLOAD = 300 * 1024;
    static EmotionServer server;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = EmotionServer.start(EmotionRecognizer.create(), new EmotionServer.Settings("127.0.0.1", 0, MAX_UPLOAD,
                40_000_000, 2, 8));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static HttpResponse<String> post(byte[] body, String contentType) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/emotions")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> multipart(String field, byte[] image) throws IOException, InterruptedException {
        String boundary = "fer4jboundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"photo.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(image);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return post(body.toByteArray(), "multipart/form-data; boundary=" + boundary);
    }

    static JsonObject json(HttpResponse<String> response) {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), response.body());
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    static void assertError(HttpResponse<String> response, int status, String fragment) {
        assertEquals(status, response.statusCode(), response.body());
        JsonObject error = json(response).getAsJsonObject("error");
        assertEquals(status, error.get("status").getAsInt());
        assertTrue(error.get("message").getAsString().contains(fragment), error.get("message").getAsString());
    }

    @Test
    void onePhotoAsMultipartGivesTheFaceWithEveryEmotion() throws Exception {
        assumeTrue(TestPhotos.faces() != null, TestData.MISSING);
        Set<String> before = tempFiles();
        byte[] photo = TestPhotos.encode(TestPhotos.withFaces(640, 480, List.of(new int[] {4, 220, 130, 200})), "jpg");
        JsonObject body = json(multipart("image", photo));
        JsonArray faces = body.getAsJsonArray("faces");
        assertEquals(1, faces.size(), body.toString());
        JsonObject face = faces.get(0).getAsJsonObject();
        assertEquals(7, face.getAsJsonObject("probabilities").size());
        assertTrue(face.getAsJsonObject("probabilities").has(face.get("dominant").getAsString()));
        JsonObject box = face.getAsJsonObject("box");
        assertTrue(Math.abs(box.get("x").getAsInt() - 220) < 40 && Math.abs(box.get("width").getAsInt() - 200) < 50, box.toString());
        assertTrue(body.get("milliseconds").getAsDouble() > 0);
        assertEquals("default", body.get("model").getAsString());
        assertEquals(before, tempFiles(), "nothing a client sends is written to disk");
    }

    static HttpResponse<String> postFrame(byte[] jpeg, String stream) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/emotions")).header("Content-Type", "image/jpeg")
                .header(StreamFaces.HEADER, stream).POST(HttpRequest.BodyPublishers.ofByteArray(jpeg)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static io.github.fer4j.vision.FaceBox box(JsonObject face) {
        JsonObject b = face.getAsJsonObject("box");
        return new io.github.fer4j.vision.FaceBox(b.get("x").getAsInt(), b.get("y").getAsInt(), b.get("width").getAsInt(),
                b.get("height").getAsInt());
    }

    @Test
    void aWebcamStreamsFramesAreSearchedNearItsLastFacesAndWholeEveryTenth() throws Exception {
        assumeTrue(TestPhotos.faces() != null, TestData.MISSING);
        byte[] frame = TestPhotos.encode(TestPhotos.withFaces(640, 480, List.of(new int[] {4, 220, 130, 200})), "jpg");
        JsonObject plain = json(post(frame, "image/jpeg"));
        assertTrue(!plain.has("search"), "a photo without a stream id is searched as before: " + plain);
        var wholeBox = box(plain.getAsJsonArray("faces").get(0).getAsJsonObject());
        String stream = "test-" + System.nanoTime();
        List<String> searches = new java.util.ArrayList<>();
        for (int i = 0; i <= StreamFaces.FULL_SEARCH_EVERY; i++) {
            JsonObject body = json(postFrame(frame, stream));
            searches.add(body.get("search").getAsString());
            JsonArray faces = body.getAsJsonArray("faces");
            assertEquals(1, faces.size(), "frame " + i + ": " + body);
            var found = box(faces.get(0).getAsJsonObject());
            assertTrue(found.iou(wholeBox) > 0.7, "frame " + i + ": " + found + " against the whole search's " + wholeBox);
        }
        List<String> expected = new java.util.ArrayList<>(java.util.Collections.nCopies(StreamFaces.FULL_SEARCH_EVERY + 1, "near"));
        expected.set(0, "whole");
        expected.set(StreamFaces.FULL_SEARCH_EVERY, "whole");
        assertEquals(expected, searches);

        // The face moved across the frame: not near its last box, so the frame is searched whole and it is found.
        byte[] moved = TestPhotos.encode(TestPhotos.withFaces(640, 480, List.of(new int[] {4, 30, 40, 200})), "jpg");
        JsonObject after = json(postFrame(moved, stream));
        assertEquals(1, after.getAsJsonArray("faces").size(), after.toString());
        assertTrue(box(after.getAsJsonArray("faces").get(0).getAsJsonObject()).x() < 120, after.toString());
        // A frame of another size is searched whole.
        byte[] smaller = TestPhotos.encode(TestPhotos.withFaces(480, 360, List.of(new int[] {4, 60, 60, 200})), "jpg");
        assertEquals("whole", json(postFrame(smaller, stream)).get("search").getAsString());
        assertError(postFrame(frame, "not a valid id!"), 400, "X-Fer-Stream");
    }

    @Test
    void severalFacesInARawJpegBody() throws Exception {
        assumeTrue(TestPhotos.faces() != null, TestData.MISSING);
        byte[] photo = TestPhotos.encode(TestPhotos.withFaces(800, 400, List.of(new int[] {4, 30, 100, 180},
                new int[] {10, 300, 110, 180}, new int[] {12, 570, 90, 190})), "jpg");
        HttpResponse<String> response = post(photo, "image/jpeg");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(json(response).getAsJsonArray("faces").size() >= 2, response.body());
    }

    /** {@code ?explain=true}: each face also gets its occlusion map (8x8 cells) and the crop; other values are refused. */
    @Test
    void explainGivesEachFacesMapAndCrop() throws Exception {
        assumeTrue(TestPhotos.faces() != null, TestData.MISSING);
        byte[] photo = TestPhotos.encode(TestPhotos.withFaces(640, 480, List.of(new int[] {4, 220, 130, 200})), "jpg");
        HttpResponse<String> plain = post(photo, "image/jpeg");
        JsonObject face = json(plain).getAsJsonArray("faces").get(0).getAsJsonObject();
        assertFalse(face.has("explain"), "no map unless asked");
        assertEquals(EmotionRecognizer.Options.defaults().detector().label(), face.get("detector").getAsString());
        HttpResponse<String> explained = http.send(HttpRequest.newBuilder(uri("/api/v1/emotions?explain=true"))
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, explained.statusCode(), explained.body());
        JsonObject withMap = json(explained).getAsJsonArray("faces").get(0).getAsJsonObject();
        assertEquals(face.get("box"), withMap.get("box"), "the same face");
        JsonObject map = withMap.getAsJsonObject("explain");
        assertEquals(face.get("dominant").getAsString(), map.get("emotion").getAsString());
        assertEquals(8, map.getAsJsonArray("drops").size());
        double largest = 0;
        for (var row : map.getAsJsonArray("drops")) {
            assertEquals(8, row.getAsJsonArray().size());
            for (var d : row.getAsJsonArray()) {
                largest = Math.max(largest, d.getAsDouble());
            }
        }
        assertTrue(largest > 0, "hiding some part of a face lowers its answer");
        String crop = map.get("crop").getAsString();
        assertTrue(crop.startsWith("data:image/png;base64,"), crop);
        byte[] png = java.util.Base64.getDecoder().decode(crop.substring(crop.indexOf(',') + 1));
        assertEquals(48, javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png)).getWidth());
        assertError(http.send(HttpRequest.newBuilder(uri("/api/v1/emotions?explain=yes")).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build(), HttpResponse.BodyHandlers.ofString()), 400, "explain");
    }

    @Test
    void aPhotoWithoutAFaceIsAnEmptyList() throws Exception {
        HttpResponse<String> response = post(TestPhotos.encode(TestPhotos.background(320, 240, 5), "png"), "image/png");
        assertEquals(200, response.statusCode());
        assertEquals(0, json(response).getAsJsonArray("faces").size());
    }

    @Test
    void badRequestsGetJsonErrorsWithTheRightStatus() throws Exception {
        assertError(post(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, 0x11, 0x22}, "image/jpeg"), 400, "corrupt");
        byte[] photo = TestPhotos.encode(TestPhotos.background(320, 240, 6), "jpg");
        assertError(post(java.util.Arrays.copyOf(photo, photo.length / 2), "image/jpeg"), 400, "truncated image");
        assertError(post("not an image at all".getBytes(StandardCharsets.US_ASCII), "image/png"), 400, "not an image");
        assertError(post(new byte[0], "image/jpeg"), 400, "empty body");
        assertError(post("{}".getBytes(StandardCharsets.US_ASCII), "application/json"), 415, "unsupported content type");
        assertError(post(TestImages.bombPng(50_000, 50_000), "image/png"), 422, "over the limit of 40.0");
        assertError(post(new byte[(int) MAX_UPLOAD + 100_000], "image/jpeg"), 413, "over the limit");
        assertError(multipart("picture", TestPhotos.encode(TestPhotos.background(64, 64, 1), "jpg")), 400, "field 'image' is missing");
        assertError(http.send(HttpRequest.newBuilder(uri("/api/v1/nothing")).build(), HttpResponse.BodyHandlers.ofString()),
                404, "no such endpoint");
    }

    /** Found by fuzzing: these content types were answered 500 "internal error". */
    @Test
    void oddContentTypesGet4xx() throws Exception {
        byte[] body = {6};
        // Jetty's parsed content type throws UnsupportedCharsetException; the raw header is used now.
        assertError(post(body, "image/png; charset=binary"), 400, "not an image");
        // ";".split(";") is an empty array.
        assertError(post(body, ";"), 415, "unsupported content type");
    }

    /**
     * Found by fuzzing: a multipart body Jetty cannot parse was answered 500 "internal error". Jetty answers these
     * "bad multipart" in some runs and parses them to a form field without a file in others: either is a JSON 400.
     */
    @Test
    void aMultipartBodyThatCannotBeParsedIsA400() throws Exception {
        byte[] body = "--b\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nabc\r\n--b--\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        for (HttpResponse<String> response : List.of(post(body, "multipart/form-data; boundary=b"),
                post("no boundary".getBytes(StandardCharsets.US_ASCII), "multipart/form-data"))) {
            assertEquals(400, response.statusCode(), response.body());
            assertEquals(400, json(response).getAsJsonObject("error").get("status").getAsInt());
        }
    }

    @Test
    void aFullQueueAnswers503() throws Exception {
        // One worker and no queue: of many simultaneous large photos, some must be turned away.
        try (EmotionServer tiny = EmotionServer.start(EmotionRecognizer.create(),
                new EmotionServer.Settings("127.0.0.1", 0, 10 << 20, 40_000_000, 1, 0))) {
            byte[] photo = TestPhotos.encode(TestPhotos.background(1600, 1200, 9), "jpg");
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tiny.port() + "/api/v1/emotions"))
                        .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (var call : calls) {
                HttpResponse<String> r = call.get();
                statuses.add(r.statusCode());
                if (r.statusCode() == 503) {
                    assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
                }
            }
            assertTrue(statuses.contains(200), statuses.toString());
            assertTrue(statuses.contains(503), statuses.toString());
            assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 503), statuses.toString());
        }
    }

    @Test
    void modelsHealthOpenApiAndThePage() throws Exception {
        JsonObject models = json(http.send(HttpRequest.newBuilder(uri("/api/v1/models")).build(), HttpResponse.BodyHandlers.ofString()));
        JsonObject model = models.getAsJsonArray("models").get(0).getAsJsonObject();
        assertEquals(7, model.getAsJsonArray("classes").size());
        assertEquals("ok", json(http.send(HttpRequest.newBuilder(uri("/health")).build(), HttpResponse.BodyHandlers.ofString()))
                .get("status").getAsString());
        JsonObject openApi = json(http.send(HttpRequest.newBuilder(uri("/openapi.json")).build(), HttpResponse.BodyHandlers.ofString()));
        assertTrue(openApi.getAsJsonObject("paths").has("/api/v1/emotions"));
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Start the webcam") && !page.body().contains("://"), "page from the jar, nothing from a CDN");
    }

    private static Set<String> tempFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(Path::toString).collect(Collectors.toSet());
        }
    }
}

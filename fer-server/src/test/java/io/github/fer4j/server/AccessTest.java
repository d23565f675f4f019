package io.github.fer4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.vision.EmotionRecognizer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server with a token: every request shows it (bearer header, the page's session cookie, or ?token=), else 401 as
 * JSON; /health alone answers, with nothing but its status. An open server may listen on a loopback address only.
 */
class AccessTest {
    static final String TOKEN = "k9-Zq2_xT4.vR7~mN5pL8wY3";
    static EmotionServer server;
    /** Follows no redirect and keeps no cookie: each test sends what it means to. */
    static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        server = EmotionServer.start(EmotionRecognizer.create(), new EmotionServer.Settings("127.0.0.1", 0, 1 << 20,
                40_000_000, 2, 8).withToken(TOKEN).withWarmUp(1));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder upload(String path) {
        return request(path).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestPhotos.encode(TestPhotos.background(160, 120, 3), "png")));
    }

    static void assert401(HttpResponse<String> r) {
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        JsonObject error = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("error");
        assertEquals(401, error.get("status").getAsInt());
        assertEquals("Bearer realm=\"fer4j\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
        assertFalse(r.body().contains(TOKEN));
    }

    @Test
    void withoutTheTokenEverythingIs401AsJson() throws Exception {
        for (String path : List.of("/", "/index.html", "/app.js", "/api/v1/models", "/openapi.json", "/api/v1/nothing")) {
            assert401(send(request(path)));
        }
        HttpResponse<String> upload = send(upload("/api/v1/emotions"));
        assert401(upload);
        assertTrue(upload.body().contains("Authorization: Bearer"), upload.body());
    }

    @Test
    void aWrongTokenIs401WhereverItIsShown() throws Exception {
        String wrong = TOKEN.substring(0, TOKEN.length() - 1) + "X";
        assert401(send(upload("/api/v1/emotions").header("Authorization", "Bearer " + wrong)));
        assert401(send(upload("/api/v1/emotions").header("Authorization", "Bearer " + TOKEN + "X")));
        assert401(send(upload("/api/v1/emotions").header("Authorization", "Bearer " + TOKEN.substring(0, 8))));
        assert401(send(upload("/api/v1/emotions").header("Authorization", "Basic " + TOKEN)));
        assert401(send(upload("/api/v1/emotions").header("Authorization", TOKEN)));
        HttpResponse<String> query = send(request("/?token=" + wrong));
        assert401(query);
        assertFalse(query.body().contains(wrong), "a wrong token is not repeated either");
        assert401(send(request("/").header("Cookie", AccessToken.COOKIE + "=" + TOKEN)));
        assert401(send(request("/").header("Cookie", AccessToken.COOKIE + "=0123456789abcdef")));
    }

    @Test
    void theBearerHeaderOpensTheApi() throws Exception {
        HttpResponse<String> upload = send(upload("/api/v1/emotions").header("Authorization", "Bearer " + TOKEN));
        assertEquals(200, upload.statusCode(), upload.body());
        assertEquals(0, JsonParser.parseString(upload.body()).getAsJsonObject().getAsJsonArray("faces").size());
        assertEquals(200, send(request("/api/v1/models").header("Authorization", "bearer " + TOKEN)).statusCode());
        assertEquals(200, send(request("/openapi.json").header("Authorization", "Bearer " + TOKEN)).statusCode());
        // The API takes ?token= as it is (a script's URL), without a redirect.
        assertEquals(200, send(request("/api/v1/models?token=" + TOKEN)).statusCode());
        assertEquals(200, send(upload("/api/v1/emotions?token=" + TOKEN)).statusCode());
    }

    @Test
    void thePageOpenedWithTheTokenGetsASessionCookieAndLosesTheTokenFromItsAddress() throws Exception {
        HttpResponse<String> opened = send(request("/?token=" + TOKEN));
        assertEquals(303, opened.statusCode(), opened.body());
        assertEquals("/", opened.headers().firstValue("Location").orElse(""));
        String cookie = opened.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(cookie.startsWith(AccessToken.COOKIE + "="), cookie);
        for (String attribute : List.of("HttpOnly", "SameSite=Strict", "Path=/")) {
            assertTrue(cookie.contains(attribute), cookie);
        }
        String session = cookie.substring(0, cookie.indexOf(';'));
        assertFalse(session.contains(TOKEN), "the cookie is not the token");
        assertNotEquals(AccessToken.COOKIE + "=", session);
        // With the cookie: the page, its files, and the API it calls.
        HttpResponse<String> page = send(request("/").header("Cookie", session));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Start the webcam"), page.body());
        assertEquals(200, send(request("/app.js").header("Cookie", session)).statusCode());
        assertEquals(200, send(upload("/api/v1/emotions").header("Cookie", session)).statusCode());
        // Other parameters stay in the address; only the token goes.
        HttpResponse<String> withMore = send(request("/index.html?lang=en&token=" + TOKEN + "&x=a%20b"));
        assertEquals(303, withMore.statusCode());
        assertEquals("/index.html?lang=en&x=a+b", withMore.headers().firstValue("Location").orElse(""));
        // The redirect stays on this server, whatever the path looks like.
        HttpResponse<String> doubled = send(request("//example.org/?token=" + TOKEN));
        assertEquals(303, doubled.statusCode());
        assertTrue(doubled.headers().firstValue("Location").orElse("").matches("/[^/].*|/"), doubled.headers().toString());
    }

    @Test
    void healthAnswersWithoutTheTokenButSaysNothingMore() throws Exception {
        HttpResponse<String> open = send(request("/health"));
        assertEquals(200, open.statusCode());
        JsonObject status = JsonParser.parseString(open.body()).getAsJsonObject();
        assertEquals(List.of("status"), List.copyOf(status.keySet()));
        assertEquals("ok", status.get("status").getAsString());
        JsonObject full = JsonParser.parseString(send(request("/health").header("Authorization", "Bearer " + TOKEN)).body())
                .getAsJsonObject();
        assertTrue(full.has("model") && full.has("expectedWaitSeconds") && full.has("warmUpSeconds"), full.toString());
    }

    @Test
    void theTokenAppearsInNoLogAndNoSettingsText() throws Exception {
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setErr(both);
        System.setOut(both);
        try {
            send(request("/?token=" + TOKEN));
            send(request("/api/v1/models?token=" + TOKEN));
            send(request("/no/such/page?token=" + TOKEN));
            send(upload("/api/v1/emotions?token=" + TOKEN).header("Content-Type", "text/plain"));
            send(upload("/api/v1/emotions").header("Authorization", "Bearer " + TOKEN).header("X-Fer-Stream", "not valid!"));
            send(request("/").header("Authorization", "Bearer " + TOKEN + "-wrong"));
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        assertFalse(captured.toString(StandardCharsets.UTF_8).contains(TOKEN), captured.toString(StandardCharsets.UTF_8));
        EmotionServer.Settings settings = new EmotionServer.Settings("127.0.0.1", 0, 1, 1, 1, 0).withToken(TOKEN);
        assertFalse(settings.toString().contains(TOKEN), settings.toString());
        assertTrue(settings.toString().contains("token=(hidden)"), settings.toString());
    }

    @Test
    void offTheLoopbackAServerNeedsATokenOrAnExplicitNoAuth() throws Exception {
        EmotionServer.Settings everywhere = new EmotionServer.Settings("0.0.0.0", 0, 1 << 20, 40_000_000, 1, 0).withWarmUp(0);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> EmotionServer.start(EmotionRecognizer.create(), everywhere));
        assertTrue(refused.getMessage().contains("0.0.0.0 is not a loopback address"), refused.getMessage());
        try (EmotionServer open = EmotionServer.start(EmotionRecognizer.create(), everywhere.withNoAuth())) {
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open.port() + "/api/v1/models"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        try (EmotionServer guarded = EmotionServer.start(EmotionRecognizer.create(), everywhere.withToken(TOKEN))) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + guarded.port()
                    + "/api/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode());
        }
        assertTrue(EmotionServer.isLoopback("127.0.0.1") && EmotionServer.isLoopback("localhost") && EmotionServer.isLoopback("::1")
                && EmotionServer.isLoopback("127.0.0.2"));
        assertFalse(EmotionServer.isLoopback("0.0.0.0") || EmotionServer.isLoopback("::") || EmotionServer.isLoopback(""));
        assertThrows(IllegalArgumentException.class, () -> everywhere.withToken("short"));
        assertThrows(IllegalArgumentException.class, () -> everywhere.withToken("sixteen chars but spaces"));
    }

    @Test
    void generatedTokensAreLongRandomAndDiffer() {
        String a = EmotionServer.generateToken();
        String b = EmotionServer.generateToken();
        assertEquals(48, a.length());
        assertTrue(a.matches("[0-9a-f]{48}"), a);
        assertNotEquals(a, b);
        assertTrue(EmotionServer.isValidToken(a));
    }
}

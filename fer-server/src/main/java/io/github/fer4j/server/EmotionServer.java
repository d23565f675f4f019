package io.github.fer4j.server;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.FaceBox;
import io.github.fer4j.vision.ImageDecoder;
import io.github.fer4j.vision.RecognizedFace;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import io.javalin.http.staticfiles.Location;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpException;

/**
 * The web server of {@code fer serve}: a REST API ({@code POST /api/v1/emotions}, {@code GET /api/v1/models},
 * {@code GET /health}, {@code /openapi.json}) and the page in the jar. The model is loaded once; recognition runs
 * on a bounded pool and a full queue answers 503; uploads stay in memory and are never written to disk.
 */
public final class EmotionServer implements AutoCloseable {
    /**
     * Server settings. A request waits for a worker as long as the expected wait, from the measured time per
     * request, stays within {@code maxWait}; past that it gets 503 with Retry-After. {@code queue} caps how many
     * uploads may wait in memory at once whatever the wait (0: none wait).
     *
     * <p>Access: with a {@code token}, every request must show it ({@link AccessToken}); without one the server is open,
     * which it may be on a loopback address only, unless {@code noAuth} says so explicitly. {@code rate} (uploads a
     * second) and {@code maxInFlight} (uploads in the server at once) limit each client address, 0 for no limit
     * ({@link ClientLimits}). Before it listens, each worker runs {@code warmUpRounds} recognitions of a blank photo
     * and a face (0: none), so that the first requests are not the slow ones.
     */
    public record Settings(String host, int port, long maxUploadBytes, long maxPixels, int threads, int queue,
                           Duration maxWait, String token, boolean noAuth, double rate, int maxInFlight, int warmUpRounds) {
        public Settings {
            if (maxUploadBytes < 1 || maxPixels < 1 || threads < 1 || queue < 0 || port < 0 || port > 65535
                    || maxWait.isNegative()) {
                throw new IllegalArgumentException("port 0..65535, positive upload and pixel limits and threads, queue >= 0, "
                        + "a wait that is not negative");
            }
            if (token != null && !AccessToken.FORM.matcher(token).matches()) {
                throw new IllegalArgumentException("a token is 16 to 512 letters, digits, '.', '_', '~' or '-'");
            }
            if (token != null && noAuth) {
                throw new IllegalArgumentException("a token and no authentication at once");
            }
            if (!(rate >= 0) || Double.isInfinite(rate) || maxInFlight < 0 || warmUpRounds < 0) {
                throw new IllegalArgumentException("a rate, an in-flight cap and warm-up rounds that are not negative");
            }
        }

        /** With the default longest wait, 5 seconds. */
        public Settings(String host, int port, long maxUploadBytes, long maxPixels, int threads, int queue) {
            this(host, port, maxUploadBytes, maxPixels, threads, queue, DEFAULT_MAX_WAIT);
        }

        /** Open (no token, so on a loopback address), no limits per client, the default warm-up. */
        public Settings(String host, int port, long maxUploadBytes, long maxPixels, int threads, int queue, Duration maxWait) {
            this(host, port, maxUploadBytes, maxPixels, threads, queue, maxWait, null, false, 0, 0, DEFAULT_WARM_UP_ROUNDS);
        }

        /** These settings with every request needing {@code token}. */
        public Settings withToken(String token) {
            return new Settings(host, port, maxUploadBytes, maxPixels, threads, queue, maxWait, token, false, rate, maxInFlight,
                    warmUpRounds);
        }

        /** These settings open to anyone who reaches the address, even off the loopback. */
        public Settings withNoAuth() {
            return new Settings(host, port, maxUploadBytes, maxPixels, threads, queue, maxWait, null, true, rate, maxInFlight,
                    warmUpRounds);
        }

        /** These settings with limits per client address: uploads a second and uploads in the server at once (0: none). */
        public Settings withClientLimits(double rate, int maxInFlight) {
            return new Settings(host, port, maxUploadBytes, maxPixels, threads, queue, maxWait, token, noAuth, rate, maxInFlight,
                    warmUpRounds);
        }

        /** These settings with {@code rounds} warm-up recognitions per worker before the server listens (0: none). */
        public Settings withWarmUp(int rounds) {
            return new Settings(host, port, maxUploadBytes, maxPixels, threads, queue, maxWait, token, noAuth, rate, maxInFlight,
                    rounds);
        }

        /** As the record would print itself, with the token hidden: settings may be logged, a token never. */
        @Override
        public String toString() {
            return "Settings[host=" + host + ", port=" + port + ", maxUploadBytes=" + maxUploadBytes + ", maxPixels=" + maxPixels
                    + ", threads=" + threads + ", queue=" + queue + ", maxWait=" + maxWait + ", token="
                    + (token == null ? "none" : "(hidden)") + ", noAuth=" + noAuth + ", rate=" + rate + ", maxInFlight="
                    + maxInFlight + ", warmUpRounds=" + warmUpRounds + "]";
        }
    }

    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(5);
    /** Five rounds: the first ones load each worker's code and caches, the fastest is the warm pace that seeds the wait estimate. */
    public static final int DEFAULT_WARM_UP_ROUNDS = 5;
    /** A client must send its request at least this fast; slower ones (a byte a second) are cut off. */
    static final long MIN_REQUEST_BYTES_PER_SECOND = 1024;
    /** A connection with nothing sent or received for this long is closed. */
    static final long IDLE_TIMEOUT_MILLIS = 10_000;

    static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/jpg", "image/png", "image/bmp", "image/gif",
            "image/webp", "image/x-ms-bmp");
    private static final Gson GSON = new com.google.gson.GsonBuilder().disableHtmlEscaping().create();

    private final EmotionRecognizer recognizer;
    private final Settings settings;
    private final ThreadPoolExecutor pool;
    private final ServiceTime serviceTime = new ServiceTime();
    private final StreamFaces streams = new StreamFaces();
    private final AccessToken access;
    private final ClientLimits limits;
    private final Javalin app;
    private volatile Duration warmUp = Duration.ZERO;

    private EmotionServer(EmotionRecognizer recognizer, Settings settings) {
        // The pool's workers are the parallelism; OpenCV's own threads inside each detection would only contend.
        org.bytedeco.opencv.global.opencv_core.setNumThreads(1);
        this.recognizer = recognizer;
        this.settings = settings;
        this.access = settings.token() == null ? null : new AccessToken(settings.token());
        this.limits = new ClientLimits(settings.rate(), settings.maxInFlight());
        this.pool = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.SECONDS,
                settings.queue() == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(settings.queue()),
                new ThreadPoolExecutor.AbortPolicy());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            // Slow clients (a byte a second) are cut off, and they never hold a worker: the body is read before the
            // request is queued, and the wait for a worker does not hold a server thread either (ctx.future).
            config.jetty.modifyHttpConfiguration(http -> {
                http.setMinRequestDataRate(MIN_REQUEST_BYTES_PER_SECOND);
                http.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
            });
            config.jetty.modifyServer(server -> {
                for (var connector : server.getConnectors()) {
                    if (connector instanceof org.eclipse.jetty.server.AbstractConnector c) {
                        c.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
                    }
                }
            });
            // Multipart bodies are kept in memory up to the limit and refused beyond it: nothing goes to disk.
            config.http.maxRequestSize = settings.maxUploadBytes() + 64 * 1024;
            config.jetty.multipartConfig.maxFileSize(settings.maxUploadBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(settings.maxUploadBytes() + 64 * 1024, SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(Integer.MAX_VALUE, settings.maxUploadBytes() + 1),
                    SizeUnit.BYTES);
            config.staticFiles.add("/io/github/fer4j/server/web", Location.CLASSPATH, Set.of());
            // First of all: who may ask. Before the static files too, so that the page itself needs the token.
            config.routes.before(this::authorize);
            config.routes.get("/health", this::health);
            config.routes.get("/api/v1/models", this::models);
            config.routes.get("/openapi.json", this::openApi);
            config.routes.before("/api/v1/emotions", this::checkLength);
            config.routes.post("/api/v1/emotions", this::emotions);
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                HttpException refused = refusedByJetty(e);
                if (e instanceof UnsupportedCharsetException || e instanceof IllegalCharsetNameException) {
                    // Jetty parsing a multipart request's content type.
                    error(ctx, 415, "unsupported charset in the content type: " + e.getMessage());
                } else if (refused != null) {
                    error(ctx, refused.getCode(), "the request body cannot be read: "
                            + (refused.getReason() != null ? refused.getReason() : "status " + refused.getCode()));
                } else {
                    error(ctx, 500, "internal error: " + e);
                }
            });
            config.routes.error(404, ctx -> {
                if (ctx.path().startsWith("/api/")) {
                    error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
                }
            });
        });
    }

    /**
     * Warms the engines on every worker ({@link Settings#warmUpRounds()}), then listens: by the time {@code /health}
     * answers, the first burst is served at the usual pace. An open server ({@code token} null) off the loopback is
     * refused unless {@link Settings#noAuth()} asks for it.
     */
    public static EmotionServer start(EmotionRecognizer recognizer, Settings settings) {
        if (settings.token() == null && !settings.noAuth() && !isLoopback(settings.host())) {
            throw new IllegalArgumentException("host " + settings.host() + " is not a loopback address: give the server a "
                    + "token, or say explicitly that it is open to everyone who reaches it (noAuth)");
        }
        EmotionServer server = new EmotionServer(recognizer, settings);
        try {
            server.warmUp = WarmUp.run(recognizer, server.pool, settings.threads(), settings.warmUpRounds(), server.serviceTime);
            server.app.start();
        } catch (RuntimeException e) {
            server.pool.shutdownNow();
            throw e;
        }
        return server;
    }

    /**
     * Whether {@code host} names only this machine (127.0.0.0/8, ::1, a name that resolves there); a blank host, like
     * 0.0.0.0, is every interface.
     */
    public static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            java.net.InetAddress[] all = java.net.InetAddress.getAllByName(host);
            return java.util.Arrays.stream(all).allMatch(java.net.InetAddress::isLoopbackAddress);
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Whether {@code token} has the form a server takes: 16 to 512 letters, digits, '.', '_', '~' or '-'. */
    public static boolean isValidToken(String token) {
        return AccessToken.FORM.matcher(token).matches();
    }

    /** A new random token (48 hex digits from the system's strong random source). */
    public static String generateToken() {
        return AccessToken.generate();
    }

    /** How long the warm-up took, in the start time before the server listened (zero without one). */
    public Duration warmUpTime() {
        return warmUp;
    }

    /** The port the server listens on (useful with port 0). */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        pool.shutdownNow();
    }

    /**
     * Before every request of a server with a token: the token as a bearer header, the page's session cookie, or
     * {@code ?token=}. A page opened with {@code ?token=} gets the session cookie (HttpOnly, SameSite=Strict) and is sent
     * on to its own address without the token, so that it stays out of the address bar and its history; the API takes
     * {@code ?token=} as it is. Without the token: 401 as JSON, except {@code /health}, which then says only that the
     * server is up (for load balancers and probes).
     */
    private void authorize(Context ctx) {
        if (access == null || access.matchesBearer(ctx.header("Authorization")) || access.matchesSession(ctx.cookie(AccessToken.COOKIE))) {
            return;
        }
        String query = ctx.queryParam("token");
        boolean api = ctx.path().startsWith("/api/") || ctx.path().equals("/openapi.json") || ctx.path().equals("/health");
        if (query != null && access.matches(query)) {
            if (!api && (ctx.method() == io.javalin.http.HandlerType.GET || ctx.method() == io.javalin.http.HandlerType.HEAD)) {
                ctx.header("Set-Cookie", AccessToken.COOKIE + "=" + access.session() + "; Path=/; HttpOnly; SameSite=Strict");
                ctx.header("Cache-Control", "no-store");
                ctx.header("Location", withoutToken(ctx));
                ctx.status(303);
                ctx.skipRemainingHandlers();
            }
            return;
        }
        if (ctx.path().equals("/health") && ctx.method() == io.javalin.http.HandlerType.GET) {
            ctx.attribute(UNAUTHENTICATED, Boolean.TRUE);
            return;
        }
        ctx.header("WWW-Authenticate", "Bearer realm=\"fer4j\"");
        error(ctx, 401, query != null ? "the token given by ?token= is wrong"
                : "this server needs its token: send the header 'Authorization: Bearer <token>', or open the page once as "
                + "/?token=<token> (fer serve printed that address when it started)");
        ctx.skipRemainingHandlers();
    }

    private static final String UNAUTHENTICATED = "fer4j.unauthenticated";

    /** The request's path and query with the token left out (a relative address, for the redirect). */
    private static String withoutToken(Context ctx) {
        StringBuilder query = new StringBuilder();
        for (var e : ctx.queryParamMap().entrySet()) {
            if (e.getKey().equals("token")) {
                continue;
            }
            for (String v : e.getValue()) {
                query.append(query.isEmpty() ? "?" : "&").append(java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8))
                        .append('=').append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        // One leading slash: "//host/x" in a Location header would send the browser to another host.
        return "/" + ctx.path().replaceFirst("^/+", "") + query;
    }

    private void health(Context ctx) {
        JsonObject o = new JsonObject();
        o.addProperty("status", "ok");
        if (ctx.attribute(UNAUTHENTICATED) != null) {
            json(ctx, 200, o);
            return;
        }
        o.addProperty("model", recognizer.modelName());
        o.addProperty("engine", recognizer.engine());
        o.addProperty("queued", pool.getQueue().size());
        o.addProperty("active", pool.getActiveCount());
        o.addProperty("millisecondsPerRequest", serviceTime.medianNanos() / 1e6);
        o.addProperty("expectedWaitSeconds", expectedWaitNanos() / 1e9);
        o.addProperty("warmUpSeconds", warmUp.toNanos() / 1e9);
        json(ctx, 200, o);
    }

    private void models(Context ctx) {
        Classifier model = recognizer.model();
        JsonObject m = new JsonObject();
        m.addProperty("name", recognizer.modelName());
        m.addProperty("kind", model.kind());
        m.addProperty("task", model.task().cliName());
        m.add("classes", GSON.toJsonTree(model.classNames()));
        m.addProperty("detector", recognizer.detector().kind().name().toLowerCase(Locale.ROOT));
        m.addProperty("priorCorrection", recognizer.priorCorrection());
        JsonObject info = model.info().toJson();
        if (info.has("metrics")) {
            m.add("metrics", info.get("metrics"));
        }
        JsonArray list = new JsonArray();
        list.add(m);
        JsonObject o = new JsonObject();
        o.add("models", list);
        json(ctx, 200, o);
    }

    private void openApi(Context ctx) throws IOException {
        try (InputStream in = EmotionServer.class.getResourceAsStream("openapi.json")) {
            ctx.status(200).contentType("application/json").result(in.readAllBytes());
        }
    }

    private void checkLength(Context ctx) throws IOException {
        String length = ctx.header("Content-Length");
        long declared = length == null ? -1 : Long.parseLong(length.trim());
        if (declared > settings.maxUploadBytes() + 64 * 1024) {
            // A client that is still sending would otherwise see its connection closed instead of the 413: take in
            // (and throw away) a body up to four times the limit, so that the answer reaches it. Nothing is kept.
            if (declared <= 4 * settings.maxUploadBytes()) {
                try (InputStream in = ctx.req().getInputStream()) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
            throw new HttpResponseException(413, String.format(Locale.ROOT, "the upload is %d bytes, over the limit of %d",
                    declared, settings.maxUploadBytes()));
        }
    }

    /** An upload, admitted by the limits of its client address first: 429 with Retry-After past them. */
    private void emotions(Context ctx) throws Exception {
        if (!limits.limits()) {
            recognizeUpload(ctx, () -> { });
            return;
        }
        String client = ctx.req().getRemoteAddr();
        ClientLimits.Admission admission = limits.admit(client, System.nanoTime());
        if (!admission.allowed()) {
            ctx.header("Retry-After", Long.toString(admission.retryAfterSeconds()));
            error(ctx, 429, admission.reason());
            return;
        }
        boolean handedOn = false;
        try {
            handedOn = recognizeUpload(ctx, () -> limits.release(client));
        } finally {
            if (!handedOn) {
                limits.release(client);
            }
        }
    }

    /**
     * Reads, checks and queues an upload; {@code answered} runs once the answer is given, when this returns true (the
     * request was queued); when it returns false or throws, the request was answered here and {@code answered} not run.
     */
    private boolean recognizeUpload(Context ctx, Runnable answered) throws Exception {
        long start = System.nanoTime();
        // The header as sent: Jetty's parsed content type throws for a charset it does not know ("image/png; charset=x").
        String header = ctx.header("Content-Type");
        String type = header == null ? "" : header.strip().toLowerCase(Locale.ROOT);
        byte[] bytes;
        if (type.startsWith("multipart/form-data")) {
            UploadedFile file = ctx.uploadedFile("image");
            if (file == null) {
                error(ctx, 400, "multipart field 'image' is missing");
                return false;
            }
            if (file.size() > settings.maxUploadBytes()) {
                error(ctx, 413, "the image is " + file.size() + " bytes, over the limit of " + settings.maxUploadBytes());
                return false;
            }
            try (InputStream in = file.content()) {
                bytes = in.readAllBytes();
            }
        } else if (IMAGE_TYPES.contains(mediaType(type))) {
            bytes = ctx.bodyAsBytes();
        } else {
            error(ctx, 415, "unsupported content type '" + type + "': send multipart/form-data with a field 'image', "
                    + "or the image itself as image/jpeg, image/png, image/bmp, image/gif or image/webp");
            return false;
        }
        if (bytes.length == 0) {
            error(ctx, 400, "empty body: no image was sent");
            return false;
        }
        if (bytes.length > settings.maxUploadBytes()) {
            error(ctx, 413, "the image is " + bytes.length + " bytes, over the limit of " + settings.maxUploadBytes());
            return false;
        }
        String stream = ctx.header(StreamFaces.HEADER);
        if (stream != null && !StreamFaces.valid(stream)) {
            error(ctx, 400, "header " + StreamFaces.HEADER + " must be 1 to 64 letters, digits, '-' or '_'");
            return false;
        }
        // From the raw query string alone: a servlet request's parameters include a form body's fields.
        String explainParam;
        try {
            explainParam = queryValue(ctx.queryString(), "explain");
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "the query string is not URL-encoded: " + e.getMessage());
            return false;
        }
        if (explainParam != null && !explainParam.equals("true") && !explainParam.equals("false")) {
            error(ctx, 400, "query parameter explain must be true or false, not '" + explainParam + "'");
            return false;
        }
        boolean explain = "true".equals(explainParam);
        long wait = expectedWaitNanos();
        if (wait > settings.maxWait().toNanos()) {
            busy(ctx, wait, String.format(Locale.ROOT, "busy: the wait for a worker would be about %.1f s, over %d s",
                    wait / 1e9, settings.maxWait().toSeconds()));
            return false;
        }
        CompletableFuture<JsonObject> result = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                long began = ServiceTime.clock();
                try {
                    result.complete(recognize(bytes, stream, explain));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                } finally {
                    serviceTime.add(ServiceTime.clock() - began);
                }
            });
        } catch (RejectedExecutionException e) {
            busy(ctx, wait, "busy: all " + settings.threads() + " workers and " + settings.queue() + " queue places are taken");
            return false;
        }
        // The server thread goes back to the pool while the request waits: a burst holds no threads, /health answers.
        ctx.future(() -> result.handle((body, failure) -> {
            try {
                if (failure == null) {
                    body.addProperty("milliseconds", (System.nanoTime() - start) / 1e6);
                    json(ctx, 200, body);
                } else if (failure instanceof ImageDecoder.DecodeException d) {
                    error(ctx, d.tooLarge() ? 422 : 400, d.getMessage());
                } else {
                    error(ctx, 500, "internal error: " + failure);
                }
            } finally {
                answered.run();
            }
            return null;
        }));
        return true;
    }

    /** The expected wait of a request arriving now: the queue ahead of it and the busy workers, at the measured pace. */
    private long expectedWaitNanos() {
        // With T workers, the requests beyond the first T ahead of it go T at a time: ceil((ahead + 1 - T) / T) rounds,
        // of one request's CPU time each while there are cores for the T; with more workers than cores, the cores set the pace.
        int t = settings.threads();
        int parallel = Math.max(1, Math.min(t, Runtime.getRuntime().availableProcessors()));
        long excess = pool.getQueue().size() + pool.getActiveCount() + 1 - t;
        return excess <= 0 ? 0 : (excess + parallel - 1) / parallel * serviceTime.medianNanos();
    }

    private void busy(Context ctx, long waitNanos, String message) {
        ctx.header("Retry-After", Long.toString(Math.max(1, (long) Math.ceil(waitNanos / 1e9 - settings.maxWait().toSeconds()))));
        error(ctx, 503, message);
    }

    /** The media type of a content type, without its parameters ("image/png; charset=x" gives "image/png"). */
    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    }

    /** The faces of a photo; of a frame of a webcam {@code stream} (null: none), near its last faces first. */
    private JsonObject recognize(byte[] bytes, String stream, boolean explain) {
        BufferedImage image = recognizer.decoder().decodeLuma(bytes, "upload");   // detection reads gray: a JPEG's luma, no colour conversion
        Optional<List<FaceBox>> near = stream == null ? Optional.empty()
                : streams.expected(stream, image.getWidth(), image.getHeight());
        List<RecognizedFace> faces = near.isPresent() ? recognizer.recognizeNear(image, near.get()) : recognizer.recognize(image);
        if (stream != null) {
            streams.found(stream, image.getWidth(), image.getHeight(), faces.stream().map(RecognizedFace::box).toList(),
                    near.isEmpty());
        }
        JsonObject o = new JsonObject();
        if (stream != null) {
            o.addProperty("search", near.isPresent() ? "near" : "whole");
        }
        o.addProperty("model", recognizer.modelName());
        o.addProperty("width", image.getWidth());
        o.addProperty("height", image.getHeight());
        JsonArray list = new JsonArray();
        for (RecognizedFace face : faces) {
            JsonObject f = face.toJson();
            if (explain) {
                JsonObject map = recognizer.explain(face).toJson();
                map.addProperty("crop", "data:image/png;base64," + Base64.getEncoder().encodeToString(png(face.crop())));
                f.add("explain", map);
            }
            list.add(f);
        }
        o.add("faces", list);
        return o;
    }

    /** The last value of {@code name} in a raw query string ({@code a=1&explain=true}), URL-decoded; null when absent. */
    static String queryValue(String query, String name) {
        if (query == null) {
            return null;
        }
        String value = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
            if (key.equals(name)) {
                value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return value;
    }

    /** A 48x48 gray crop as PNG bytes. */
    private static byte[] png(byte[] crop) {
        BufferedImage image = new BufferedImage(48, 48, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, 48, 48, crop);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The client error inside an exception, if there is one: Jetty refuses a body it cannot parse (a bad multipart
     * body, one over a size limit) with an exception that carries the 4xx status, which Javalin would pass on as a 500.
     */
    private static HttpException refusedByJetty(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                return http;
            }
        }
        return null;
    }

    private static void error(Context ctx, int status, String message) {
        JsonObject e = new JsonObject();
        e.addProperty("status", status);
        e.addProperty("message", message);
        JsonObject o = new JsonObject();
        o.add("error", e);
        json(ctx, status, o);
    }

    private static void json(Context ctx, int status, JsonObject body) {
        ctx.status(status).contentType("application/json").result(GSON.toJson(body));
    }
}

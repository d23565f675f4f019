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
     */
    public record Settings(String host, int port, long maxUploadBytes, long maxPixels, int threads, int queue,
                           Duration maxWait) {
        public Settings {
            if (maxUploadBytes < 1 || maxPixels < 1 || threads < 1 || queue < 0 || port < 0 || port > 65535
                    || maxWait.isNegative()) {
                throw new IllegalArgumentException("port 0..65535, positive upload and pixel limits and threads, queue >= 0, "
                        + "a wait that is not negative");
            }
        }

        /** With the default longest wait, 5 seconds. */
        public Settings(String host, int port, long maxUploadBytes, long maxPixels, int threads, int queue) {
            this(host, port, maxUploadBytes, maxPixels, threads, queue, DEFAULT_MAX_WAIT);
        }
    }

    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(5);
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
    private final Javalin app;

    private EmotionServer(EmotionRecognizer recognizer, Settings settings) {
        // The pool's workers are the parallelism; OpenCV's own threads inside each detection would only contend.
        org.bytedeco.opencv.global.opencv_core.setNumThreads(1);
        this.recognizer = recognizer;
        this.settings = settings;
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

    public static EmotionServer start(EmotionRecognizer recognizer, Settings settings) {
        EmotionServer server = new EmotionServer(recognizer, settings);
        server.app.start();
        return server;
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

    private void health(Context ctx) {
        JsonObject o = new JsonObject();
        o.addProperty("status", "ok");
        o.addProperty("model", recognizer.modelName());
        o.addProperty("engine", recognizer.engine());
        o.addProperty("queued", pool.getQueue().size());
        o.addProperty("active", pool.getActiveCount());
        o.addProperty("millisecondsPerRequest", serviceTime.meanNanos() / 1e6);
        o.addProperty("expectedWaitSeconds", expectedWaitNanos() / 1e9);
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

    private void emotions(Context ctx) throws Exception {
        long start = System.nanoTime();
        // The header as sent: Jetty's parsed content type throws for a charset it does not know ("image/png; charset=x").
        String header = ctx.header("Content-Type");
        String type = header == null ? "" : header.strip().toLowerCase(Locale.ROOT);
        byte[] bytes;
        if (type.startsWith("multipart/form-data")) {
            UploadedFile file = ctx.uploadedFile("image");
            if (file == null) {
                error(ctx, 400, "multipart field 'image' is missing");
                return;
            }
            if (file.size() > settings.maxUploadBytes()) {
                error(ctx, 413, "the image is " + file.size() + " bytes, over the limit of " + settings.maxUploadBytes());
                return;
            }
            try (InputStream in = file.content()) {
                bytes = in.readAllBytes();
            }
        } else if (IMAGE_TYPES.contains(mediaType(type))) {
            bytes = ctx.bodyAsBytes();
        } else {
            error(ctx, 415, "unsupported content type '" + type + "': send multipart/form-data with a field 'image', "
                    + "or the image itself as image/jpeg, image/png, image/bmp, image/gif or image/webp");
            return;
        }
        if (bytes.length == 0) {
            error(ctx, 400, "empty body: no image was sent");
            return;
        }
        if (bytes.length > settings.maxUploadBytes()) {
            error(ctx, 413, "the image is " + bytes.length + " bytes, over the limit of " + settings.maxUploadBytes());
            return;
        }
        String stream = ctx.header(StreamFaces.HEADER);
        if (stream != null && !StreamFaces.valid(stream)) {
            error(ctx, 400, "header " + StreamFaces.HEADER + " must be 1 to 64 letters, digits, '-' or '_'");
            return;
        }
        // From the raw query string alone: a servlet request's parameters include a form body's fields.
        String explainParam;
        try {
            explainParam = queryValue(ctx.queryString(), "explain");
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "the query string is not URL-encoded: " + e.getMessage());
            return;
        }
        if (explainParam != null && !explainParam.equals("true") && !explainParam.equals("false")) {
            error(ctx, 400, "query parameter explain must be true or false, not '" + explainParam + "'");
            return;
        }
        boolean explain = "true".equals(explainParam);
        long wait = expectedWaitNanos();
        if (wait > settings.maxWait().toNanos()) {
            busy(ctx, wait, String.format(Locale.ROOT, "busy: the wait for a worker would be about %.1f s, over %d s",
                    wait / 1e9, settings.maxWait().toSeconds()));
            return;
        }
        CompletableFuture<JsonObject> result = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                long began = System.nanoTime();
                try {
                    result.complete(recognize(bytes, stream, explain));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                } finally {
                    serviceTime.add(System.nanoTime() - began);
                }
            });
        } catch (RejectedExecutionException e) {
            busy(ctx, wait, "busy: all " + settings.threads() + " workers and " + settings.queue() + " queue places are taken");
            return;
        }
        // The server thread goes back to the pool while the request waits: a burst holds no threads, /health answers.
        ctx.future(() -> result.handle((body, failure) -> {
            if (failure == null) {
                body.addProperty("milliseconds", (System.nanoTime() - start) / 1e6);
                json(ctx, 200, body);
            } else if (failure instanceof ImageDecoder.DecodeException d) {
                error(ctx, d.tooLarge() ? 422 : 400, d.getMessage());
            } else {
                error(ctx, 500, "internal error: " + failure);
            }
            return null;
        }));
    }

    /** The expected wait of a request arriving now: the queue ahead of it and the busy workers, at the measured pace. */
    private long expectedWaitNanos() {
        // With T workers, the requests beyond the first T ahead of it go T at a time: ceil((ahead + 1 - T) / T) rounds.
        long excess = pool.getQueue().size() + pool.getActiveCount() + 1 - settings.threads();
        return excess <= 0 ? 0 : (excess + settings.threads() - 1) / settings.threads() * serviceTime.meanNanos();
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

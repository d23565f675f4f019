package io.github.fer4j.cli;

import io.github.fer4j.server.EmotionServer;
import io.github.fer4j.vision.EmotionRecognizer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fer serve}: the web page and the REST API. */
@Command(name = "serve", header = "Serve a web page (webcam, photos) and a REST API", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve a web page (drop a photo or use the webcam, see boxes and emotion bars) and a REST API: "
                + "POST /api/v1/emotions (multipart field 'image' or a raw image body), GET /api/v1/models, GET /health, "
                + "GET /openapi.json. Stops on Ctrl-C.",
        footer = {"", "Access: on a loopback address (the default 127.0.0.1) the server is open to this machine's users. On any "
                + "other --host every request needs a token: --token (or the environment variable FER_TOKEN), else a random "
                + "one is made and the address to open, with the token, is printed once. Clients send 'Authorization: "
                + "Bearer <token>'; a browser opens http://HOST:PORT/?token=<token> once and then holds a session cookie. "
                + "Without the token the answer is 401. --no-auth opens the server to everyone who reaches it.",
                "", "Exit codes: 0 stopped by Ctrl-C, 1 failure, 2 bad usage (a token of the wrong form, --token with --no-auth)."})
final class ServeCommand implements Callable<Integer> {
    /** Webcam faces are large; not looking for small ones makes detection about 3x faster (bench/serve.sh). */
    static final int SERVE_MIN_FACE = 80;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "Port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (0.0.0.0: every interface). Any "
            + "address but a loopback one needs a token (see Access below). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:FER_TOKEN}",
            description = "The token every request must show (16 to 512 letters, digits, '.', '_', '~' or '-'; the environment "
                    + "variable FER_TOKEN gives it without showing it to other users in the process list). Off the loopback "
                    + "without it, a random one is made and printed once. Also on a loopback address when given.")
    String token;

    @Option(names = "--no-auth", description = "Serve everyone who reaches --host without a token, even off the loopback (a "
            + "warning is printed). Only for a network where every machine may use the server.")
    boolean noAuth;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "PER_SECOND",
            description = "Uploads a second each client address may send, on average (a token bucket holding one second's worth, "
                    + "at least 1); past it, 429 with Retry-After. 0: no limit. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--max-in-flight", defaultValue = "0", paramLabel = "N",
            description = "Uploads of one client address in the server at once (being read, waiting or being recognized); "
                    + "past it, 429 with Retry-After, so that one client cannot fill the queue the others wait in. 0: no limit. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxInFlight;

    @Option(names = "--warm-up", defaultValue = "" + EmotionServer.DEFAULT_WARM_UP_ROUNDS, paramLabel = "ROUNDS",
            description = "Before it listens, each worker recognizes a test photo this many times, so that a first burst is "
                    + "served at the usual pace and the wait estimate behind --max-wait starts from measured times. 0: none. "
                    + "Default: ${DEFAULT-VALUE}.")
    int warmUp;

    @Option(names = "--max-upload", defaultValue = "10", paramLabel = "MB", description = "Largest upload in MB. Default: ${DEFAULT-VALUE}.")
    int maxUploadMb;

    @Option(names = "--threads", paramLabel = "N", description = "Recognition workers. Default: the number of cores.")
    Integer threads;

    @Option(names = "--max-wait", defaultValue = "5", paramLabel = "SECONDS",
            description = "A request waits for a worker while its expected wait, at the measured time per request, is at most "
                    + "this long; past that it gets 503 with Retry-After. Default: ${DEFAULT-VALUE}.")
    int maxWaitSeconds;

    @Option(names = "--queue", defaultValue = "256", paramLabel = "N",
            description = "At most this many uploads wait in memory at once, whatever the wait. Default: ${DEFAULT-VALUE}.")
    int queue;

    @Mixin
    RecognizerOptions recognizerOptions;

    @Override
    public Integer call() throws Exception {
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (maxUploadMb < 1 || workers < 1 || queue < 0 || maxWaitSeconds < 0 || port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--max-upload and --threads must be positive, --queue and --max-wait not negative, --port 0..65535");
        }
        if (!(rate >= 0) || Double.isInfinite(rate) || maxInFlight < 0 || warmUp < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate, --max-in-flight and --warm-up must not be negative");
        }
        if (token != null && token.isEmpty()) {
            token = null;   // FER_TOKEN set but empty: as if not set
        }
        if (token != null && noAuth) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--no-auth and a token (--token or FER_TOKEN) exclude each other");
        }
        if (token != null && !io.github.fer4j.server.EmotionServer.isValidToken(token)) {
            // The token itself is not repeated: it may be meant to be secret.
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "the token (--token or FER_TOKEN) must be 16 to 512 letters, digits, '.', '_', '~' or '-'");
        }
        boolean loopback = EmotionServer.isLoopback(host);
        boolean generated = token == null && !noAuth && !loopback;
        String secret = generated ? EmotionServer.generateToken() : token;
        // Requests run in parallel on the workers; a CNN then runs each face on one thread, as PyTorch's own thread
        // team per request would only fight the other workers for the same cores.
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        EmotionRecognizer recognizer = recognizerOptions.recognizer(SERVE_MIN_FACE);
        EmotionServer.Settings settings = new EmotionServer.Settings(host, port, maxUploadMb * 1024L * 1024L,
                recognizerOptions.maxPixels, workers, queue, java.time.Duration.ofSeconds(maxWaitSeconds))
                .withClientLimits(rate, maxInFlight).withWarmUp(warmUp);
        settings = secret != null ? settings.withToken(secret) : noAuth ? settings.withNoAuth() : settings;
        EmotionServer server = EmotionServer.start(recognizer, settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
        System.err.printf(java.util.Locale.ROOT, "fer: serving http://%s/ (model %s, detector %s, faces from %d px, %d workers, "
                        + "warmed up in %.1f s); Ctrl-C stops%n", address, recognizer.modelName(), recognizerOptions.detector,
                recognizerOptions.minFace(SERVE_MIN_FACE), workers, server.warmUpTime().toNanos() / 1e9);
        if (generated) {
            // Printed once, here, as Jupyter does: the only place the token appears.
            System.err.printf("fer: every request needs a token; open the page once at%n    http://%s/?token=%s%n"
                    + "  or send the header 'Authorization: Bearer %s'%n", publicAddress(server.port()), secret, secret);
        } else if (secret != null) {
            System.err.printf("fer: every request needs the token given (header 'Authorization: Bearer <token>', or open "
                    + "http://%s/?token=<token> once)%n", publicAddress(server.port()));
        } else if (noAuth && !loopback) {
            System.err.printf("fer: WARNING: --no-auth: anyone who can reach %s may use this server, its page and its webcam "
                    + "view, with no token%n", address);
        }
        stopped.await();
        return 0;
    }

    /** host:port as a client elsewhere would type it: for every interface (0.0.0.0, ::) this machine's name. */
    private String publicAddress(int boundPort) {
        String shown = host;
        try {
            java.net.InetAddress bound = java.net.InetAddress.getByName(host);
            if (bound.isAnyLocalAddress()) {
                shown = java.net.InetAddress.getLocalHost().getHostName();
            }
        } catch (java.net.UnknownHostException e) {
            // The name as given, then.
        }
        return (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + boundPort;
    }
}

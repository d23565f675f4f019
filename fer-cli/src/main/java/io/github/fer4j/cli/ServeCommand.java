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
                + "GET /openapi.json. Stops on Ctrl-C.")
final class ServeCommand implements Callable<Integer> {
    /** Webcam faces are large; not looking for small ones makes detection about 3x faster (bench/serve.sh). */
    static final int SERVE_MIN_FACE = 80;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "Port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    String host;

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
        // Requests run in parallel on the workers; a CNN then runs each face on one thread, as PyTorch's own thread
        // team per request would only fight the other workers for the same cores.
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        EmotionRecognizer recognizer = recognizerOptions.recognizer(SERVE_MIN_FACE);
        EmotionServer server = EmotionServer.start(recognizer, new EmotionServer.Settings(host, port, maxUploadMb * 1024L * 1024L,
                recognizerOptions.maxPixels, workers, queue, java.time.Duration.ofSeconds(maxWaitSeconds)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        System.err.printf("fer: serving http://%s:%d/ (model %s, detector %s, faces from %d px, %d workers); Ctrl-C stops%n",
                host, server.port(), recognizer.modelName(), recognizerOptions.detector, recognizerOptions.minFace(SERVE_MIN_FACE),
                workers);
        stopped.await();
        return 0;
    }
}

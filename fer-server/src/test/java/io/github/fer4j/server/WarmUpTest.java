package io.github.fer4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.linear.LinearTrainer;
import io.github.fer4j.linear.SgdConfig;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.FaceDetector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The warm-up before a server listens: every worker runs it, it seeds the wait estimate, and a failure stops the start. */
class WarmUpTest {
    /** A small softmax model that notes which threads ran it, and can be told to fail. */
    static final class Watched implements Classifier {
        final Classifier inner;
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        volatile boolean fail;

        Watched() throws java.io.IOException {
            inner = LinearTrainer.softmax(SgdConfig.defaults().with(c -> c.epochs = 1))
                    .fitAll(SyntheticFaces.generate(60, 1), Task.EMOTIONS, List.of());
        }

        @Override
        public String kind() {
            return inner.kind();
        }

        @Override
        public Task task() {
            return inner.task();
        }

        @Override
        public float[] probabilities(byte[] face) {
            threads.add(Thread.currentThread().getName());
            if (fail) {
                throw new IllegalStateException("the model is broken");
            }
            return inner.probabilities(face);
        }

        @Override
        public ModelInfo info() {
            return inner.info();
        }

        @Override
        public Classifier withInfo(ModelInfo info) {
            return this;
        }
    }

    static EmotionRecognizer recognizer(Classifier model) {
        return EmotionRecognizer.create(model, "watched", new EmotionRecognizer.Options(FaceDetector.Kind.HAAR, 48, 40_000_000));
    }

    static JsonObject health(EmotionServer server) throws Exception {
        return JsonParser.parseString(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body()).getAsJsonObject();
    }

    @Test
    void everyWorkerIsWarmedBeforeTheServerListensAndSeedsTheEstimate() throws Exception {
        Watched model = new Watched();
        EmotionServer.Settings settings = new EmotionServer.Settings("127.0.0.1", 0, 1 << 20, 40_000_000, 3, 0).withWarmUp(2);
        try (EmotionServer server = EmotionServer.start(recognizer(model), settings)) {
            // Three workers, each its own thread: the model ran on all three (the test thread never ran it).
            assertEquals(3, model.threads.size(), model.threads.toString());
            JsonObject health = health(server);
            assertTrue(health.get("warmUpSeconds").getAsDouble() > 0, health.toString());
            assertTrue(health.get("warmUpSeconds").getAsDouble() <= server.warmUpTime().toNanos() / 1e9 + 1e-9);
            // The estimate is the warm-up's measured median now, not the prior of 50 ms.
            assertTrue(health.get("millisecondsPerRequest").getAsDouble() != ServiceTime.INITIAL_NANOS / 1e6, health.toString());
        }
        try (EmotionServer cold = EmotionServer.start(recognizer(new Watched()), settings.withWarmUp(0))) {
            JsonObject health = health(cold);
            assertEquals(0.0, health.get("warmUpSeconds").getAsDouble());
            assertEquals(ServiceTime.INITIAL_NANOS / 1e6, health.get("millisecondsPerRequest").getAsDouble());
        }
    }

    @Test
    void aModelThatFailsInTheWarmUpStopsTheStartAtOnce() throws Exception {
        Watched model = new Watched();
        model.fail = true;
        IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(IllegalStateException.class,
                () -> EmotionServer.start(recognizer(model), new EmotionServer.Settings("127.0.0.1", 0, 1 << 20, 40_000_000, 2, 4))));
        assertEquals("the model is broken", e.getMessage(), "the failing worker's own error, not the others' stop");
    }
}

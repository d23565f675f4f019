package io.github.fer4j.spark;

import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.vision.EmotionRecognizer;
import java.io.ByteArrayInputStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The recognizers loaded in this JVM, one per model and options: a Spark executor loads its model once however many
 * tasks and rows it runs. The only shared state in fer-spark, and on purpose: an executor JVM outlives the tasks that
 * Spark sends it, and a CNN takes far longer to load than a photo takes to score. Entries are never dropped; an
 * executor scores with the one or two models of its job.
 */
final class ExecutorModels {
    private static final ConcurrentHashMap<String, Classifier> MODELS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, EmotionRecognizer> RECOGNIZERS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ExecutorModels() {
    }

    /**
     * The recognizer for a model (told apart by {@code modelKey}, the SHA-256 of its bytes) and options, loading it from
     * {@code modelBytes} the first time this JVM needs it.
     */
    static EmotionRecognizer recognizer(String modelKey, Supplier<byte[]> modelBytes, String modelName,
                                        EmotionRecognizer.Options options) {
        return RECOGNIZERS.computeIfAbsent(modelKey + " " + options,
                key -> EmotionRecognizer.create(model(modelKey, modelBytes, modelName), modelName, options));
    }

    /**
     * The model with this key, loaded from {@code modelBytes} the first time this JVM needs it. The driver loads it
     * here too (to refuse a damaged model before any job), so that in local mode, where the executor is the driver's
     * JVM, the model is loaded once in all.
     */
    static Classifier model(String modelKey, Supplier<byte[]> modelBytes, String modelName) {
        return MODELS.computeIfAbsent(modelKey, key -> {
            LOADS.incrementAndGet();
            // Spark runs a task per core, each scoring its own photos: one ONNX Runtime thread per run, as the fer launcher
            // sets for its photo commands, and no helper thread for an ensemble's members keep the tasks from fighting
            // over the cores (unless the job sets its own).
            if (System.getProperty("fer.engine.threads") == null) {
                System.setProperty("fer.engine.threads", "1");
            }
            if (System.getProperty("fer.ensemble.helper") == null) {
                System.setProperty("fer.ensemble.helper", "false");
            }
            return ModelFile.load(new ByteArrayInputStream(modelBytes.get()), modelName);
        });
    }

    /** How many times this JVM has loaded a model (tests check that scoring many partitions loads it once). */
    static int loads() {
        return LOADS.get();
    }
}

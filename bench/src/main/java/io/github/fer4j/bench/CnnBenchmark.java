package io.github.fer4j.bench;

import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.CnnConfig;
import io.github.fer4j.cnn.CnnEngine;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.StoredCnn;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.onnx.OnnxClassifier;
import io.github.fer4j.onnx.OnnxInt8Engine;
import io.github.fer4j.onnx.OnnxRuntimeEngine;
import io.github.fer4j.pytorch.CnnTrainer;
import io.github.fer4j.pytorch.PyTorchEngine;
import io.github.fer4j.task.Task;
import io.github.fer4j.train.EpochStats;
import io.github.fer4j.train.TrainingListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CNN performance table of issue 5: training images per second of the shipped architecture (fernet9) in
 * fer4j (DJL, PyTorch engine) and the same network in PyTorch CPU from Python, same threads, same batch, same
 * faces, in the same run, as a ratio; then inference on the shipped network by fer4j's two engines (ONNX Runtime, the
 * default, and PyTorch through DJL) and by PyTorch from Python: faces per second in batches, with test-time views, and
 * one face per call on one thread, with the largest difference between the engines; and the int8 engine
 * ({@code --engine onnxruntime-int8}) batched and one face per call.
 *
 * <p>Usage: {@code CnnBenchmark [fer2013.csv.gz] [threads] [python3] [inference]}; run it through {@code bench/cnn.sh},
 * which sets the DJL thread count to match. {@code inference} skips the training race.
 */
public final class CnnBenchmark {
    private static final int BATCH = 64;
    private static final String DJL = "0.35.1, libtorch 2.7.1";
    private static final int WARMUP = 10;
    private static final int TIMED = 40;

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/fer2013.csv.gz");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String python = args.length > 2 ? args[2] : "/usr/bin/python3";
        boolean inferenceOnly = args.length > 3 && args[3].equals("inference");
        FaceSet all = Files.isRegularFile(data) ? Fer2013Reader.read(data) : SyntheticFaces.generate(8000, 1);
        int[] train = all.indices(Split.TRAINING);
        int count = BATCH * (WARMUP + TIMED);
        int[] subset = Arrays.copyOf(train, count);
        FaceSet faces = all.subset(subset);
        Architecture architecture = Architecture.FERNET9;

        System.out.printf(Locale.ROOT, "fer4j CNN benchmark: %s on %s, batch %d, %d threads, %d cores, Java %s%n%n",
                architecture.id(), all.source(), BATCH, threads, Runtime.getRuntime().availableProcessors(), Runtime.version());
        int[] idx = new int[count];
        Arrays.setAll(idx, i -> i);
        if (inferenceOnly) {
            // The inference race alone, on the shipped network, with the PyTorch peer's inference in the same run.
            inferenceTable(faces, idx, threads, python(python, faces, count, threads, architecture.parameters(7), false));
            return;
        }
        double djlTrain = djlTraining(faces, architecture);

        Map<String, String> torch = python(python, faces, count, threads, architecture.parameters(7), true);
        double torchTrain = Double.parseDouble(torch.getOrDefault("train_images_per_second", "NaN"));

        System.out.println("| training | fer4j (DJL " + DJL + ") | PyTorch " + torch.getOrDefault("version", "?")
                + " (Python) | fer4j / PyTorch |");
        System.out.println("|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| images/s, batch %d | %.0f | %.0f | %.2f |%n", BATCH, djlTrain, torchTrain, djlTrain / torchTrain);
        inferenceTable(faces, idx, threads, torch);
        System.out.printf(Locale.ROOT, "%nfernet9: %,d parameters, %,d multiply-adds per face; an epoch of FER2013 Training "
                + "(28,709 faces) at this speed: %.0f s%n", architecture.parameters(7), architecture.multiplyAdds(7),
                28_709 / djlTrain);
    }

    /** Images per second over the timed batches of one epoch of fer4j's own training loop (augmentation included). */
    private static double djlTraining(FaceSet faces, Architecture architecture) throws Exception {
        long[] marks = new long[WARMUP + TIMED + 1];
        TrainingListener clock = new TrainingListener() {
            @Override
            public void onEpoch(EpochStats stats) {
            }

            @Override
            public void onBatch(int epoch, int batch, int batches, double meanLoss) {
                marks[batch] = System.nanoTime();
            }
        };
        new CnnTrainer(CnnConfig.defaults(architecture, 1, 1)).fit(faces, Task.EMOTIONS, List.of(clock));
        return TIMED * BATCH / ((marks[WARMUP + TIMED] - marks[WARMUP]) / 1e9);
    }

    /**
     * Inference on the shipped network by each engine fer4j has (ONNX Runtime, the default; PyTorch through DJL) and by
     * PyTorch from Python: batches of 256 on {@code threads} threads, the test-time view sets, and one face per call on
     * one thread (the photo path, as the {@code fer} launcher runs it); then the largest difference between the engines.
     */
    private static void inferenceTable(FaceSet faces, int[] idx, int threads, Map<String, String> torch) throws Exception {
        Path shipped = Path.of("fer-models/src/main/resources/io/github/fer4j/models/default.fer");
        // The shipped model is an ensemble of fernet9 networks: one of them is what each engine is timed on.
        var loaded = ModelFile.load(shipped);
        StoredCnn stored = ((CnnModel) (loaded instanceof io.github.fer4j.ensemble.EnsembleClassifier e ? e.members().get(0) : loaded)).stored();
        System.setProperty(OnnxRuntimeEngine.THREADS, String.valueOf(threads));
        CnnModel ort = CnnEngine.named(OnnxRuntimeEngine.ID).open(stored);
        System.setProperty(OnnxRuntimeEngine.THREADS, "1");
        CnnModel ortOneThread = CnnEngine.named(OnnxRuntimeEngine.ID).open(stored);
        CnnModel djl = CnnEngine.named(PyTorchEngine.ID).open(stored);
        System.setProperty(OnnxRuntimeEngine.THREADS, String.valueOf(threads));
        CnnModel int8 = CnnEngine.named(OnnxInt8Engine.ID).open(stored);
        System.setProperty(OnnxRuntimeEngine.THREADS, "1");
        CnnModel int8OneThread = CnnEngine.named(OnnxInt8Engine.ID).open(stored);
        double torchBatched = Double.parseDouble(torch.getOrDefault("infer_images_per_second", "NaN"));
        double torchSingle = Double.parseDouble(torch.getOrDefault("infer_single_images_per_second", "NaN"));
        System.out.println();
        System.out.println("| inference, shipped " + stored.architecture().id() + ", faces/s | fer4j default: ONNX Runtime "
                + OnnxClassifier.runtimeVersion() + " | fer4j --engine pytorch (DJL " + DJL + ") | PyTorch "
                + torch.getOrDefault("version", "?") + " (Python) | default / PyTorch |");
        System.out.println("|---|---|---|---|---|");
        double maxDifference = 0;
        for (TestTimeAugmentation tta : TestTimeAugmentation.values()) {
            CnnModel o = ort.withTestTimeAugmentation(tta);
            CnnModel d = djl.withTestTimeAugmentation(tta);
            // Ten views cost ten times as much: a fifth of the faces keeps the run short.
            int[] some = tta == TestTimeAugmentation.CROPS ? Arrays.copyOf(idx, idx.length / 5) : idx;
            double os = facesPerSecond(o, faces, some);
            double ds = facesPerSecond(d, faces, some);
            if (tta == TestTimeAugmentation.NONE) {
                System.out.printf(Locale.ROOT, "| batches of 256, %d threads | %.0f | %.0f | %.0f | %.2f |%n", threads, os, ds,
                        torchBatched, os / torchBatched);
            } else {
                System.out.printf(Locale.ROOT, "| batches of 256, %d threads, test-time views %s | %.0f | %.0f | | |%n", threads,
                        tta.id(), os, ds);
            }
            float[][] a = d.probabilities(faces, some);
            float[][] b = o.probabilities(faces, some);
            for (int k = 0; k < some.length; k++) {
                for (int c = 0; c < a[k].length; c++) {
                    maxDifference = Math.max(maxDifference, Math.abs(a[k][c] - b[k][c]));
                }
            }
        }
        double oneOrt = singleFacesPerSecond(ortOneThread, faces, 2000);
        double oneDjl = singleFacesPerSecond(djl, faces, 400);
        System.out.printf(Locale.ROOT, "| one face per call, 1 thread (DJL: %d) | %.0f | %.0f | %.0f | %.2f |%n", threads, oneOrt,
                oneDjl, torchSingle, oneOrt / torchSingle);
        // The int8 engine (--engine onnxruntime-int8) in the default engine's column: same table, same faces.
        double int8Batched = facesPerSecond(int8, faces, idx);
        double int8Single = singleFacesPerSecond(int8OneThread, faces, 2000);
        System.out.printf(Locale.ROOT, "| batches of 256, %d threads, int8 | %.0f | | %.0f | %.2f |%n", threads, int8Batched,
                torchBatched, int8Batched / torchBatched);
        System.out.printf(Locale.ROOT, "| one face per call, 1 thread, int8 | %.0f | | %.0f | %.2f |%n", int8Single, torchSingle,
                int8Single / torchSingle);
        System.out.printf(Locale.ROOT, "%nmax |PyTorch engine - ONNX Runtime engine| over %,d faces (%,d with ten crops) and the "
                + "three view sets: %.2g%n", idx.length, idx.length / 5, maxDifference);
    }

    private static double facesPerSecond(Classifier model, FaceSet faces, int[] idx) {
        model.probabilities(faces, Arrays.copyOf(idx, 256));
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 2; round++) {
            long t = System.nanoTime();
            model.probabilities(faces, idx);
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return idx.length / best;
    }

    /** One face per call (the photo path), the best of three rounds, as the model comparison times it. */
    private static double singleFacesPerSecond(Classifier model, FaceSet faces, int n) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                model.probabilities(faces.face(i));
            }
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return n / best;
    }

    /** The PyTorch peer's figures on the first {@code count} faces; {@code train} false skips its training steps. */
    private static Map<String, String> python(String python, FaceSet all, int count, int threads, long parameters,
                                              boolean train) throws Exception {
        Path faces = Files.createTempFile("fer4j-faces", ".u8");
        try {
            Files.write(faces, Arrays.copyOf(all.pixelArray(), count * FaceSet.PIXELS));
            return python(python, faces, count, threads, parameters, train);
        } finally {
            Files.deleteIfExists(faces);
        }
    }

    private static Map<String, String> python(String python, Path faces, int count, int threads, long parameters,
                                              boolean train) throws Exception {
        Path script = Path.of("bench/torch_fernet9.py");
        Process p = new ProcessBuilder(python, script.toString(), faces.toString(), String.valueOf(count),
                String.valueOf(threads), String.valueOf(BATCH), String.valueOf(train ? WARMUP : 0), String.valueOf(train ? TIMED : 0),
                String.valueOf(parameters)).redirectErrorStream(true).start();
        Map<String, String> out = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                System.err.println("torch: " + line);
                String[] kv = line.trim().split(" ", 2);
                if (kv.length == 2) {
                    out.put(kv[0], kv[1]);
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the PyTorch peer failed (exit " + p.exitValue() + ")");
        }
        Process v = new ProcessBuilder(python, "-c", "import torch; print(torch.__version__)").start();
        out.put("version", new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        v.waitFor();
        return out;
    }
}

package io.github.fer4j.bench;

import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.CnnClassifier;
import io.github.fer4j.cnn.CnnEngine;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.PyTorchEngine;
import io.github.fer4j.cnn.CnnConfig;
import io.github.fer4j.cnn.CnnTrainer;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.onnx.OnnxClassifier;
import io.github.fer4j.onnx.OnnxExporter;
import io.github.fer4j.train.EpochStats;
import io.github.fer4j.train.TrainingListener;
import io.github.fer4j.task.Task;
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
 * faces, in the same run, as a ratio; then inference faces per second in batches, one face at a time, and with
 * test-time augmentation; then the same network exported to ONNX (issue 12) and run by ONNX Runtime next to DJL, in
 * batches and one face at a time, with the largest difference between the two.
 *
 * <p>Usage: {@code CnnBenchmark [fer2013.csv.gz] [threads] [python3]}; run it through {@code bench/cnn.sh}, which
 * sets the DJL thread count to match.
 */
public final class CnnBenchmark {
    private static final int BATCH = 64;
    private static final int WARMUP = 10;
    private static final int TIMED = 40;

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/fer2013.csv.gz");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String python = args.length > 2 ? args[2] : "/usr/bin/python3";
        boolean onnxOnly = args.length > 3 && args[3].equals("onnx");
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
        if (onnxOnly) {
            // The inference race alone, on the shipped network (speed does not depend on the weights).
            Path shipped = Path.of("fer-vision/src/main/resources/io/github/fer4j/models/default.fer");
            CnnModel stored = (CnnModel) io.github.fer4j.model.ModelFile.load(shipped);
            onnxTable((CnnClassifier) CnnEngine.named(PyTorchEngine.ID).open(stored.stored()), faces, idx, threads);
            return;
        }
        double djlTrain = djlTraining(faces, architecture);

        Path file = Files.createTempFile("fer4j-faces", ".u8");
        Map<String, String> torch;
        try {
            Files.write(file, faces.pixelArray());
            torch = python(python, file, count, threads, architecture.parameters(7));
        } finally {
            Files.deleteIfExists(file);
        }
        double torchTrain = Double.parseDouble(torch.getOrDefault("train_images_per_second", "NaN"));
        double torchInfer = Double.parseDouble(torch.getOrDefault("infer_images_per_second", "NaN"));

        CnnClassifier model = (CnnClassifier) new CnnTrainer(CnnConfig.defaults(architecture, 1, 1))
                .fitAll(faces, Task.EMOTIONS, List.of());
        double batched = facesPerSecond(model, faces, idx);
        double flip = facesPerSecond(model.withTestTimeAugmentation(TestTimeAugmentation.FLIP), faces, idx);
        double crops = facesPerSecond(model.withTestTimeAugmentation(TestTimeAugmentation.CROPS), faces, idx);
        double single = singleFacesPerSecond(model, faces, 400);

        System.out.println("| measure | fer4j (DJL 0.35.1, libtorch 2.7.1) | PyTorch " + torch.getOrDefault("version", "?")
                + " (Python) | fer4j / PyTorch |");
        System.out.println("|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| training, images/s | %.0f | %.0f | %.2f |%n", djlTrain, torchTrain, djlTrain / torchTrain);
        System.out.printf(Locale.ROOT, "| inference, batches of 256, faces/s | %.0f | %.0f | %.2f |%n", batched, torchInfer,
                batched / torchInfer);
        System.out.printf(Locale.ROOT, "| inference + TTA flip (2 views), faces/s | %.0f | | |%n", flip);
        System.out.printf(Locale.ROOT, "| inference + TTA crops (10 views), faces/s | %.0f | | |%n", crops);
        System.out.printf(Locale.ROOT, "| inference, one face at a time, faces/s | %.0f | | |%n", single);
        onnxTable(model, faces, idx, threads);
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

    /** The same trained network through DJL and through its exported ONNX graph in ONNX Runtime, same threads. */
    private static void onnxTable(CnnClassifier model, FaceSet faces, int[] idx, int threads) {
        System.out.println();
        System.out.println("| inference, faces/s | DJL 0.35.1 (libtorch 2.7.1) | ONNX Runtime " + OnnxClassifier.runtimeVersion() + " | ONNX Runtime / DJL |");
        System.out.println("|---|---|---|---|");
        double maxDifference = 0;
        for (TestTimeAugmentation tta : TestTimeAugmentation.values()) {
            CnnClassifier djl = model.withTestTimeAugmentation(tta);
            Classifier ort = OnnxClassifier.of(OnnxExporter.toBytes(djl, "benchmark model"), "benchmark model", null, null, threads);
            // Ten views cost ten times as much: a fifth of the faces keeps the run short.
            int[] some = tta == TestTimeAugmentation.CROPS ? Arrays.copyOf(idx, idx.length / 5) : idx;
            double d = facesPerSecond(djl, faces, some);
            double o = facesPerSecond(ort, faces, some);
            System.out.printf(Locale.ROOT, "| batches of 256, test-time views %s | %.0f | %.0f | %.2f |%n", tta.id(), d, o, o / d);
            if (tta == TestTimeAugmentation.NONE) {
                double ds = singleFacesPerSecond(djl, faces, 400);
                double os = singleFacesPerSecond(ort, faces, 400);
                System.out.printf(Locale.ROOT, "| one face at a time | %.0f | %.0f | %.2f |%n", ds, os, os / ds);
            }
            float[][] a = djl.probabilities(faces, some);
            float[][] b = ort.probabilities(faces, some);
            for (int k = 0; k < some.length; k++) {
                for (int c = 0; c < a[k].length; c++) {
                    maxDifference = Math.max(maxDifference, Math.abs(a[k][c] - b[k][c]));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nmax |DJL - ONNX Runtime| over %,d faces (%,d with ten crops) and the three view sets: %.2g%n",
                idx.length, idx.length / 5, maxDifference);
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

    private static Map<String, String> python(String python, Path faces, int count, int threads, long parameters)
            throws Exception {
        Path script = Path.of("bench/torch_fernet9.py");
        Process p = new ProcessBuilder(python, script.toString(), faces.toString(), String.valueOf(count),
                String.valueOf(threads), String.valueOf(BATCH), String.valueOf(WARMUP), String.valueOf(TIMED),
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

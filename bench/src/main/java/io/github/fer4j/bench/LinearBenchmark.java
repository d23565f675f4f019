package io.github.fer4j.bench;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.features.FeatureMatrix;
import io.github.fer4j.features.PixelFeatures;
import io.github.fer4j.features.Standardizer;
import io.github.fer4j.train.ClassWeights;
import io.github.fer4j.train.EpochStats;
import io.github.fer4j.train.LearningRate;
import io.github.fer4j.linear.Loss;
import io.github.fer4j.linear.SgdConfig;
import io.github.fer4j.linear.SgdTrainer;
import io.github.fer4j.linear.SigmoidCrossEntropy;
import io.github.fer4j.linear.SoftmaxCrossEntropy;
import io.github.fer4j.train.TrainingHistory;
import io.github.fer4j.task.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Prints the linear-model performance table of the seeds' study issue: seconds to load fer2013.csv.gz and the
 * plain .csv, seconds per softmax and per binary SGD epoch (28,709 x 2304, batch 100), and the same softmax
 * epoch in PyTorch CPU with one thread, run from here in the same session, as a ratio.
 *
 * <p>Usage: {@code LinearBenchmark [fer2013.csv.gz] [python3]}; run it through {@code bench/linear.sh}.
 */
public final class LinearBenchmark {
    private static final int LOAD_REPEATS = 3;
    private static final int WARMUP_EPOCHS = 2;
    private static final int TIMED_EPOCHS = 5;

    public static void main(String[] args) throws Exception {
        Path gz = Path.of(args.length > 0 ? args[0] : "../shared/data/fer2013.csv.gz");
        String python = args.length > 1 ? args[1] : "/usr/bin/python3";
        Path work = Files.createTempDirectory("fer4j-bench");
        try {
            run(gz, python, work);
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path gz, String python, Path work) throws Exception {
        System.out.printf(Locale.ROOT, "fer4j linear benchmark: %s, Java %s, %d cores%n%n", gz.getFileName(),
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        FaceSet faces;
        double gzSeconds = Double.NaN;
        double csvSeconds = Double.NaN;
        if (Files.isRegularFile(gz)) {
            double[] gzTimes = new double[LOAD_REPEATS];
            FaceSet loaded = null;
            for (int r = 0; r < LOAD_REPEATS; r++) {
                long t = System.nanoTime();
                loaded = Fer2013Reader.read(gz);
                gzTimes[r] = (System.nanoTime() - t) / 1e9;
            }
            faces = loaded;
            Path plain = work.resolve("fer2013.csv");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16);
                 OutputStream out = Files.newOutputStream(plain)) {
                in.transferTo(out);
            }
            double[] csvTimes = new double[LOAD_REPEATS];
            for (int r = 0; r < LOAD_REPEATS; r++) {
                long t = System.nanoTime();
                Fer2013Reader.read(plain);
                csvTimes[r] = (System.nanoTime() - t) / 1e9;
            }
            gzSeconds = median(gzTimes);
            csvSeconds = median(csvTimes);
        } else {
            System.out.println("(" + gz + " not found: timing epochs on 35,887 synthetic faces; no load times)");
            faces = SyntheticFaces.generate(35_887, 1);
        }

        int[] idx = faces.indices(Split.TRAINING);
        FeatureMatrix x = FeatureMatrix.of(faces, idx, new PixelFeatures());
        Standardizer.fit(x.values(), x.rows(), x.columns()).applyInPlace(x.values(), x.rows());
        int[] emotions = Task.EMOTIONS.labels(faces, idx);
        int[] happy = Task.HAPPY.labels(faces, idx);
        double softmax = secondsPerEpoch(new SoftmaxCrossEntropy(), x, emotions, 7);
        double binary = secondsPerEpoch(new SigmoidCrossEntropy(), x, happy, 2);
        double torch = torchSecondsPerEpoch(python, work, x, emotions);

        System.out.printf(Locale.ROOT, "%-52s %10s %10s%n", "measure", "seconds", "target");
        row("load fer2013.csv.gz (median of " + LOAD_REPEATS + ")", gzSeconds, "<= 3");
        row("load fer2013.csv, plain (median of " + LOAD_REPEATS + ")", csvSeconds, "");
        row("softmax SGD epoch, " + x.rows() + " x " + x.columns() + " -> 7, batch 100", softmax, "<= 0.3");
        row("binary (logistic) SGD epoch, batch 100", binary, "");
        row("PyTorch CPU softmax epoch, 1 thread, same work", torch, "");
        if (!Double.isNaN(torch)) {
            System.out.printf(Locale.ROOT, "%nPyTorch / fer4j time per softmax epoch: %.2fx (above 1: fer4j is faster)%n",
                    torch / softmax);
        }
    }

    private static void row(String label, double seconds, String target) {
        System.out.printf(Locale.ROOT, "%-52s %10s %10s%n", label, Double.isNaN(seconds) ? "n/a" : String.format(Locale.ROOT, "%.3f", seconds), target);
    }

    /** Median over the timed epochs of a plain SGD run (no validation pass), after warm-up epochs. */
    private static double secondsPerEpoch(Loss loss, FeatureMatrix x, int[] labels, int classes) {
        TrainingHistory history = new TrainingHistory();
        int epochs = WARMUP_EPOCHS + TIMED_EPOCHS;
        SgdConfig config = SgdConfig.defaults().with(c -> {
            c.epochs = epochs;
            c.learningRate = LearningRate.constant(1e-3);
            c.l2 = 0;
        });
        new SgdTrainer(loss, config, List.of(history)).fit(x, labels, null, null, classes);
        return median(history.epochs().stream().skip(WARMUP_EPOCHS).mapToDouble(EpochStats::seconds).toArray());
    }

    /** Writes the standardized matrix for the PyTorch script, runs it, and reads its seconds per epoch. */
    private static double torchSecondsPerEpoch(String python, Path work, FeatureMatrix x, int[] labels) throws IOException,
            InterruptedException {
        Path features = work.resolve("x.f32");
        Path targets = work.resolve("y.i64");
        try (FileChannel ch = FileChannel.open(features, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(x.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(x.values());
            ch.write(buffer);
        }
        ByteBuffer y = ByteBuffer.allocate(labels.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.stream(labels).forEach(v -> y.putLong(v));
        Files.write(targets, y.array());
        Path script = Path.of("bench/torch_softmax_epoch.py");
        if (!Files.isRegularFile(script)) {
            script = Path.of("torch_softmax_epoch.py");
        }
        Process process = new ProcessBuilder(python, script.toString(), features.toString(), targets.toString(),
                String.valueOf(x.rows()), String.valueOf(x.columns()), String.valueOf(WARMUP_EPOCHS),
                String.valueOf(TIMED_EPOCHS)).redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                last = line;
            }
        }
        if (process.waitFor() != 0 || last == null || !last.startsWith("seconds_per_epoch ")) {
            System.out.println("(PyTorch peer did not run: " + last + "; install python3-torch)");
            return Double.NaN;
        }
        return Double.parseDouble(last.substring("seconds_per_epoch ".length()).trim());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}

package io.github.fer4j.bench;

import com.sun.management.OperatingSystemMXBean;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.FaceSetCache;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.LoadProgress;
import io.github.fer4j.data.LoadResult;
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
import io.github.fer4j.train.TrainingListener;
import io.github.fer4j.task.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * Prints the linear-model performance table of the seeds' study issue: seconds to load fer2013.csv.gz (parsed, and
 * from the {@link FaceSetCache}) and the plain .csv, seconds per softmax and per binary SGD epoch (28,709 x 2304,
 * batch 100), and the same softmax epoch in PyTorch CPU with one thread, run from here in the same session, as a
 * ratio. Beside each wall-clock time it prints the CPU time spent, and it prints the machine's load average before
 * and after, because on shared cores the wall clock measures the neighbours too.
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
        System.out.printf(Locale.ROOT, "fer4j linear benchmark: %s, Java %s, %d cores, load average %s%n%n",
                gz.getFileName(), Runtime.version(), Runtime.getRuntime().availableProcessors(), loadAverage());
        FaceSet faces;
        Timing gzParsed = Timing.NONE;
        Timing gzFirst = Timing.NONE;
        Timing gzCached = Timing.NONE;
        Timing csvParsed = Timing.NONE;
        if (Files.isRegularFile(gz)) {
            Fer2013Reader parsing = new Fer2013Reader(false, LoadProgress.NONE, FaceSetCache.OFF);
            Fer2013Reader caching = new Fer2013Reader(false, LoadProgress.NONE,
                    new FaceSetCache(work.resolve("cache"), FaceSetCache.DEFAULT_MINIMUM_SIZE));
            gzParsed = Timing.median(LOAD_REPEATS, () -> parsing.load(gz));
            gzFirst = Timing.median(1, () -> caching.load(gz));
            gzCached = Timing.median(LOAD_REPEATS, () -> caching.load(gz));
            faces = caching.load(gz).faces();
            Path plain = work.resolve("fer2013.csv");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16);
                 OutputStream out = Files.newOutputStream(plain)) {
                in.transferTo(out);
            }
            csvParsed = Timing.median(LOAD_REPEATS, () -> parsing.load(plain));
        } else {
            System.out.println("(" + gz + " not found: timing epochs on 35,887 synthetic faces; no load times)");
            faces = SyntheticFaces.generate(35_887, 1);
        }

        int[] idx = faces.indices(Split.TRAINING);
        FeatureMatrix x = FeatureMatrix.of(faces, idx, new PixelFeatures());
        Standardizer.fit(x.values(), x.rows(), x.columns()).applyInPlace(x.values(), x.rows());
        int[] emotions = Task.EMOTIONS.labels(faces, idx);
        int[] happy = Task.HAPPY.labels(faces, idx);
        Timing softmax = secondsPerEpoch(new SoftmaxCrossEntropy(), x, emotions, 7);
        Timing binary = secondsPerEpoch(new SigmoidCrossEntropy(), x, happy, 2);
        double torch = torchSecondsPerEpoch(python, work, x, emotions);

        System.out.printf(Locale.ROOT, "%-60s %9s %9s %9s%n", "measure", "seconds", "cpu s", "target");
        row("load fer2013.csv.gz, parsed, no cache (median of " + LOAD_REPEATS + ")", gzParsed, "");
        row("load fer2013.csv.gz, first load: parse + write cache entry", gzFirst, "");
        row("load fer2013.csv.gz, from the cache (median of " + LOAD_REPEATS + ")", gzCached, "<= 1.2");
        row("load fer2013.csv, plain, parsed, no cache (median of " + LOAD_REPEATS + ")", csvParsed, "");
        row("softmax SGD epoch, " + x.rows() + " x " + x.columns() + " -> 7, batch 100 (median of " + TIMED_EPOCHS + ")",
                softmax, "<= 0.06");
        row("binary (logistic) SGD epoch, batch 100 (median of " + TIMED_EPOCHS + ")", binary, "");
        row("PyTorch CPU softmax epoch, 1 thread, same work", new Timing(torch, Double.NaN), "");
        if (!Double.isNaN(torch)) {
            System.out.printf(Locale.ROOT, "%nPyTorch / fer4j time per softmax epoch: %.2fx (above 1: fer4j is faster)%n",
                    torch / softmax.seconds());
        }
        System.out.printf(Locale.ROOT, "load average at the end: %s%n", loadAverage());
        System.out.println("(cpu s: CPU time of the whole JVM for a load, of the training thread for an epoch)");
    }

    /** Wall-clock seconds and CPU seconds of one measure (NaN when not measured). */
    private record Timing(double seconds, double cpuSeconds) {
        static final Timing NONE = new Timing(Double.NaN, Double.NaN);

        /** The median wall and CPU time (each its own median) of {@code repeats} runs of a load, all threads. */
        static Timing median(int repeats, Supplier<LoadResult> load) {
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            double[] wall = new double[repeats];
            double[] cpu = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long c = os.getProcessCpuTime();
                long t = System.nanoTime();
                load.get();
                wall[r] = (System.nanoTime() - t) / 1e9;
                cpu[r] = (os.getProcessCpuTime() - c) / 1e9;
            }
            return new Timing(LinearBenchmark.median(wall), LinearBenchmark.median(cpu));
        }
    }

    /** The training thread's CPU time per epoch (the trainer calls pauseBefore and onEpoch on that thread). */
    private static final class EpochCpu implements TrainingListener {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final List<Double> seconds = new ArrayList<>();
        private long start;

        @Override
        public boolean pauseBefore(int epoch) {
            start = threads.getCurrentThreadCpuTime();
            return false;
        }

        @Override
        public void onEpoch(EpochStats stats) {
            seconds.add((threads.getCurrentThreadCpuTime() - start) / 1e9);
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2] + " (1, 5, 15 min)";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void row(String label, Timing timing, String target) {
        System.out.printf(Locale.ROOT, "%-60s %9s %9s %9s%n", label, format(timing.seconds()), format(timing.cpuSeconds()),
                target);
    }

    private static String format(double seconds) {
        return Double.isNaN(seconds) ? "n/a" : String.format(Locale.ROOT, "%.3f", seconds);
    }

    /** Medians over the timed epochs of a plain SGD run (no validation pass), after warm-up epochs. */
    private static Timing secondsPerEpoch(Loss loss, FeatureMatrix x, int[] labels, int classes) {
        TrainingHistory history = new TrainingHistory();
        EpochCpu cpu = new EpochCpu();
        int epochs = WARMUP_EPOCHS + TIMED_EPOCHS;
        SgdConfig config = SgdConfig.defaults().with(c -> {
            c.epochs = epochs;
            c.learningRate = LearningRate.constant(1e-3);
            c.l2 = 0;
        });
        new SgdTrainer(loss, config, List.of(history, cpu)).fit(x, labels, null, null, classes);
        return new Timing(median(history.epochs().stream().skip(WARMUP_EPOCHS).mapToDouble(EpochStats::seconds).toArray()),
                median(cpu.seconds.stream().skip(WARMUP_EPOCHS).mapToDouble(Double::doubleValue).toArray()));
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

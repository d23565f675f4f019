package io.github.fer4j.spark;

import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.FaceDetector;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fer-spark score}: a folder of photos or a FER2013 csv in, one Parquet row per photo or csv row out. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = FerSpark.Version.class,
        description = {
            "Find the faces in every photo under a folder (read recursively) and read their emotions, or read the emotion of "
                    + "every face of a FER2013 csv, on Apache Spark; write one Parquet row per photo or csv row.",
            "",
            "Photos: the columns are path, faces and error. faces is a list of {box {x, y, width, height}, probabilities "
                    + "{<class>: p, ...}, dominant}, the same numbers as fer predict --json, with the same defaults; it is "
                    + "empty when no face was found. error is null, or why the file could not be read (not an image, "
                    + "truncated, empty, too many pixels); such a file is one row, never a failed job.",
            "",
            "FER2013 (--fer2013): the columns are row (1 for the first row after the header), the csv's own columns "
                    + "but pixels (emotion, Usage), faces (one face, box 0,0,48,48) and error (why a row's pixels are bad).",
            "",
            "The output folder appears only when the job has succeeded (Spark writes beside it and it is renamed at the end); "
                    + "it must not exist yet. Any Spark or pandas reader opens it (pandas.read_parquet).",
            "",
            "On a cluster, give the jar to spark-submit, whose --master and --conf then apply:",
            "  spark-submit --master spark://host:7077 fer-spark.jar \\%n    score --input hdfs:///photos --output hdfs:///faces.parquet",
            "The model travels with the job (a broadcast): executors need no shared file system for it, and each executor "
                    + "JVM loads it once."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (rows that could not be read are counted and have an error)", "1:failure (Spark, the file system)",
            "2:bad usage or input: a missing input, an unreadable model, an output that exists"})
final class ScoreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "A folder of photos (JPEG, PNG, BMP, GIF, WebP; every file under it is read), or with --fer2013 a "
                    + "FER2013 csv (plain or .gz). Any path Spark reads: a local path, file:, hdfs:, s3a:.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "PATH", description = "The Parquet folder to write; it must not exist.")
    String output;

    @Option(names = "--fer2013", description = "The input is a FER2013 csv (emotion,pixels,Usage): each row is a 48x48 face, "
            + "classified as it is (no detection).")
    boolean fer2013;

    @Option(names = "--model", paramLabel = "NAME|FILE",
            description = "A built-in model by name, fast (the default) or accurate, or a model written by fer train or fer "
                    + "import-torch, on the driver's file system. Default: fast.")
    java.nio.file.Path model;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master when run without spark-submit. Default: local[*] (every core of this machine). "
                    + "Under spark-submit, give spark-submit's --master instead.")
    String master;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Spread the input over N partitions (tasks). Default: as Spark splits the input, or one per core "
                    + "when it makes fewer (a .gz csv is one partition).")
    Integer partitions;

    @Option(names = "--detector", defaultValue = FaceDetector.DEFAULT_KIND, paramLabel = "blazeface|haar|lbp",
            description = "Face detector: blazeface (a neural network; gives each face's eyes), haar or lbp (OpenCV's cascades). "
                    + "Default: ${DEFAULT-VALUE}, as fer predict.")
    String detector;

    @Option(names = "--align", negatable = true, defaultValue = EmotionRecognizer.DEFAULT_ALIGN, fallbackValue = "true",
            description = "Cut each face with its eyes level, sized from the distance between them, as fer predict does. "
                    + "Default: ${DEFAULT-VALUE}, as fer predict (--no-align / --align).")
    boolean align;

    @Option(names = "--min-face", defaultValue = "48", paramLabel = "PX",
            description = "Smallest face side to report. Default: ${DEFAULT-VALUE}, as fer predict.")
    int minFace;

    @Option(names = "--max-pixels", defaultValue = "40000000", paramLabel = "N",
            description = "Refuse photos larger than this many pixels (read from the header, so a decompression bomb costs "
                    + "nothing). Default: ${DEFAULT-VALUE}.")
    long maxPixels;

    @Option(names = "--whole-frame", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "A photo where no face is found and that is about square (0.8 to 1.25) is read as one face filling "
                    + "the frame, as fer predict does. On by default (--no-whole-frame turns it off).")
    boolean wholeFrame;

    @Option(names = "--prior-correction", defaultValue = "0.5", paramLabel = "P",
            description = "Undo this much of the model's training class balance for photos, as fer predict does: a power from "
                    + "0 (the network's own probabilities) to 1 (every emotion equally likely beforehand). Default: ${DEFAULT-VALUE}.")
    double priorCorrection;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        checkOptions();
        checkLocalInput();
        ScoringModel scoringModel = model == null ? ScoringModel.defaultModel()
                : io.github.fer4j.vision.BuiltInModels.builtInFor(model).map(b -> ScoringModel.builtIn(b.name()))
                        .orElseGet(() -> ScoringModel.read(model));
        // A session already running in this JVM (a notebook, a test) is used as it is, and left running.
        SparkSession existing = SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession().get()
                : SparkSession.getDefaultSession().isDefined() ? SparkSession.getDefaultSession().get() : null;
        SparkSession spark = existing != null ? existing : session();
        try {
            ParquetOutput out = new ParquetOutput(output, spark.sparkContext().hadoopConfiguration());
            Dataset<Row> rows;
            try {
                rows = fer2013 ? ScoreInputs.fer2013(spark, input) : ScoreInputs.photos(spark, input);
            } catch (Exception e) {
                // Spark's "path does not exist" for inputs it finds itself (hdfs:, s3a:); Scala does not declare it.
                if (e instanceof AnalysisException) {
                    throw new InvalidInputException(input + ": " + e.getMessage());
                }
                throw e;
            }
            int wanted = partitions != null ? partitions : spark.sparkContext().defaultParallelism();
            if (partitions != null || rows.rdd().getNumPartitions() < wanted) {
                rows = rows.repartition(wanted);
            }
            EmotionTransformer transformer = new EmotionTransformer(scoringModel)
                    .setDetector(detector.toLowerCase(Locale.ROOT)).setMinFaceSize(minFace).setMaxPixels(maxPixels)
                    .setWholeFrame(wholeFrame).setAlign(align).setPriorCorrection(priorCorrection);
            if (fer2013) {
                transformer.setInputFormat(EmotionTransformer.FER2013).setInputCol(ScoreInputs.pixelsColumn(rows))
                        .setPathCol(ScoreInputs.ROW);
            }
            Dataset<Row> scored = transformer.transform(rows);
            String[] kept = Arrays.stream(scored.columns())
                    .filter(c -> fer2013 ? !c.equals(transformer.getOrDefault(transformer.inputCol()))
                            : c.equals("path") || c.equals("faces") || c.equals("error"))
                    .toArray(String[]::new);
            long start = System.nanoTime();
            out.write(scored.select(Arrays.stream(kept).map(Column::new).toArray(Column[]::new)));
            double seconds = (System.nanoTime() - start) / 1e9;
            String what = fer2013 ? "rows" : "photos";
            // The counts come from the written output (scoring it again would cost as much as the job). Its name is
            // escaped because Spark reads a path with [ ] { } * ? as a glob.
            Row counts = spark.read().parquet(out.location().replaceAll("([\\\\\\[\\]{}*?])", "\\\\$1"))
                    .selectExpr("count(*)", "count(error)", "coalesce(sum(CASE WHEN faces IS NULL THEN 0 ELSE size(faces) END), 0)",
                            "count_if(faces IS NOT NULL AND size(faces) = 0)").first();
            long total = counts.getLong(0);
            err.printf(Locale.ROOT, "fer-spark: %d %s in %.1f s (%.1f %s/s, %d partitions, master %s)%n", total, what, seconds,
                    total / seconds, what, scored.rdd().getNumPartitions(), spark.sparkContext().master());
            err.printf(Locale.ROOT, "fer-spark: %d faces; %d %s without a face; %d could not be read (their error column says why)%n",
                    counts.getLong(2), counts.getLong(3), what, counts.getLong(1));
            spec.commandLine().getOut().println(out.location());
            spec.commandLine().getOut().flush();
            err.flush();
            return 0;
        } finally {
            if (existing == null) {
                spark.stop();
            }
        }
    }

    private void checkOptions() {
        try {
            FaceDetector.Kind.parse(detector);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--detector must be " + FaceDetector.Kind.choices() + ", not '"
                    + detector + "'");
        }
        if (minFace < 1 || maxPixels < 1 || (partitions != null && partitions < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--min-face, --max-pixels and --partitions must be positive");
        }
        if (!(priorCorrection >= 0 && priorCorrection <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prior-correction must be from 0 to 1, not " + priorCorrection);
        }
    }

    /** A local input is checked before Spark starts; others (hdfs:, s3a:) are Spark's to find. */
    private void checkLocalInput() {
        URI uri;
        try {
            uri = new URI(input);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        java.nio.file.Path local;
        if (uri == null || uri.getScheme() == null || uri.getScheme().length() == 1) {
            local = java.nio.file.Path.of(input);
        } else if (uri.getScheme().equals("file")) {
            local = java.nio.file.Path.of(uri);
        } else {
            return;
        }
        if (!Files.exists(local)) {
            throw InvalidInputException.at(local, fer2013 ? "no such FER2013 csv file" : "no such folder or photo");
        }
        if (fer2013 && !Files.isRegularFile(local)) {
            throw InvalidInputException.at(local, "is a folder; --fer2013 reads one csv file");
        }
    }

    private SparkSession session() {
        SparkSession.Builder builder = SparkSession.builder().appName("fer-spark score");
        String chosen = master != null ? master : System.getProperty("spark.master", "local[*]");
        builder.master(chosen);
        if (chosen.startsWith("local")) {
            // One machine: nothing listens beyond this host, and a batch job needs no web UI.
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false");
        }
        return builder.getOrCreate();
    }
}

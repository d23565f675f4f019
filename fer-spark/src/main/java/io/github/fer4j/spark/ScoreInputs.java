package io.github.fer4j.spark;

import io.github.fer4j.data.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/** Reads what fer-spark scores: a folder of photos (Spark's binaryFile source), or FER2013's csv with its rows numbered. */
public final class ScoreInputs {
    /** The column that numbers FER2013 rows: 1 for the first row after the header, in file order. */
    public static final String ROW = "row";

    private ScoreInputs() {
    }

    /**
     * Every file under {@code location} (a folder, read recursively, one file, or a glob), as Spark's binaryFile source
     * reads them: {@code path, modificationTime, length, content}. Spark's file sources pass over empty files; they are
     * added back here, each a row with empty content, so that an empty photo gets its row and its error like any other
     * file that cannot be read. Hidden files (names starting with . or _) stay out, as Spark leaves them out.
     */
    public static Dataset<Row> photos(SparkSession spark, String location) {
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(location);
        List<Row> empty = emptyFiles(spark, location, files.schema());
        return empty.isEmpty() ? files : files.union(spark.createDataFrame(empty, files.schema()));
    }

    private static List<Row> emptyFiles(SparkSession spark, String location, StructType schema) {
        boolean instants = Boolean.parseBoolean(spark.conf().get("spark.sql.datetime.java8API.enabled", "false"));
        List<Row> empty = new ArrayList<>();
        try {
            Path pattern = new Path(location);
            FileSystem fs = pattern.getFileSystem(spark.sparkContext().hadoopConfiguration());
            FileStatus[] roots = fs.globStatus(pattern);
            for (FileStatus root : roots == null ? new FileStatus[0] : roots) {
                RemoteIterator<LocatedFileStatus> listed = fs.listFiles(root.getPath(), true);
                while (listed.hasNext()) {
                    LocatedFileStatus file = listed.next();
                    if (file.getLen() == 0 && !hidden(root.getPath(), file.getPath())) {
                        Object time = instants ? Instant.ofEpochMilli(file.getModificationTime())
                                : new Timestamp(file.getModificationTime());
                        empty.add(RowFactory.create(fs.makeQualified(file.getPath()).toString(), time, 0L, new byte[0]));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + location + ": " + e.getMessage(), e);
        }
        return empty;
    }

    /** Whether a name between the root and the file (the file's included) starts with . or _ (Spark's hidden files). */
    private static boolean hidden(Path root, Path file) {
        for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
            if (p.getName().startsWith(".") || p.getName().startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    /**
     * FER2013's csv layout (plain or gzip; header {@code emotion,pixels[,Usage]}), each field a string as written, and a
     * {@link #ROW} column first so that a row's result and error can be traced back to its line (line = row + 1).
     */
    public static Dataset<Row> fer2013(SparkSession spark, String location) {
        Dataset<Row> csv = spark.read().option("header", "true").csv(location);
        if (Arrays.stream(csv.columns()).noneMatch(c -> c.trim().toLowerCase(Locale.ROOT).equals("pixels"))) {
            throw new InvalidInputException(location + ": no pixels column in the header (expected a FER2013 csv: "
                    + "emotion,pixels,Usage; found " + String.join(",", csv.columns()) + ")");
        }
        StructField[] fields = new StructField[csv.schema().size() + 1];
        fields[0] = DataTypes.createStructField(ROW, DataTypes.LongType, false);
        System.arraycopy(csv.schema().fields(), 0, fields, 1, csv.schema().size());
        JavaRDD<Row> numbered = csv.javaRDD().zipWithIndex().map(ScoreInputs::numbered);
        return spark.createDataFrame(numbered, new StructType(fields));
    }

    private static Row numbered(Tuple2<Row, Long> rowAndIndex) {
        Row row = rowAndIndex._1();
        Object[] values = new Object[row.size() + 1];
        values[0] = rowAndIndex._2() + 1;
        for (int i = 0; i < row.size(); i++) {
            values[i + 1] = row.get(i);
        }
        return RowFactory.create(values);
    }

    /** The name of the pixels column as the file spells it. */
    static String pixelsColumn(Dataset<Row> fer2013) {
        return Arrays.stream(fer2013.columns()).filter(c -> c.trim().toLowerCase(Locale.ROOT).equals("pixels")).findFirst()
                .orElseThrow();
    }
}

package io.github.fer4j.spark;

import io.github.fer4j.data.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes a DataFrame as a Parquet folder that appears whole or not at all: Spark writes into a hidden sibling folder,
 * which is renamed to the target only after the job and its commit succeed, and removed when they fail. (Spark's own
 * committer would leave a half-written target with a {@code _temporary} folder behind a failed job.)
 */
final class ParquetOutput {
    private final Path target;
    private final FileSystem fs;

    /** Checks the target before any work: it must not exist, and its parent must be a folder or creatable. */
    ParquetOutput(String location, Configuration hadoop) {
        try {
            target = new Path(location);
            fs = target.getFileSystem(hadoop);
            if (fs.exists(target)) {
                throw new InvalidInputException(location + ": already exists; remove it or choose another --output");
            }
            Path parent = target.getParent();
            if (parent != null && fs.exists(parent) && !fs.getFileStatus(parent).isDirectory()) {
                throw new InvalidInputException(location + ": " + parent + " is a file, not a folder");
            }
        } catch (IOException e) {
            throw new InvalidInputException(location + ": cannot check the output: " + e.getMessage());
        }
    }

    void write(Dataset<Row> rows) {
        Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            rows.write().parquet(temporary.toString());
            if (fs.exists(target)) {
                throw new InvalidInputException(target + ": appeared while the job ran; the results are left out of the way");
            }
            if (!fs.rename(temporary, target)) {
                throw new IOException("cannot rename " + temporary + " to " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                if (fs.exists(temporary)) {
                    // A failed job returns while Spark is still cancelling its other tasks, which can write into the
                    // folder after a first delete: wait for them to stop, then remove what they left.
                    settle(rows.sparkSession().sparkContext());
                    fs.delete(temporary, true);
                }
            } catch (IOException e) {
                System.err.println("fer-spark: could not remove " + temporary + ": " + e.getMessage());
            }
        }
    }

    /** Waits (at most a minute) until no stage of this Spark application is running any more. */
    private static void settle(org.apache.spark.SparkContext context) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (context.statusTracker().getActiveStageIds().length > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    String location() {
        return fs.makeQualified(target).toString();
    }
}

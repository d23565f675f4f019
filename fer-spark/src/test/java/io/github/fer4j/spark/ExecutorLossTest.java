package io.github.fer4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.data.FaceSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fer-spark score on a real standalone cluster (a Master, two Workers, an executor JVM of one core on each), one
 * executor killed with SIGKILL while it scores: Spark runs its tasks again elsewhere, and the output still has every
 * photo exactly once, the broken file as one row with its error, and appears only when the scoring is done, whole. Tagged
 * "cluster": it starts five JVMs and takes a minute or two, so CI runs it as a step of its own
 * ({@code mvn -B -pl fer-spark -am test -Dgroups=cluster -DexcludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}).
 */
@Tag("cluster")
class ExecutorLossTest {
    static final int PHOTOS = 300;
    static final int PARTITIONS = 12;

    @TempDir
    Path dir;

    /** Counts what the driver hears: executors removed, and tasks that failed because their executor was lost. */
    static final class Losses extends SparkListener {
        final AtomicInteger executorsRemoved = new AtomicInteger();
        final AtomicInteger tasksLost = new AtomicInteger();
        final List<String> reasons = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
            executorsRemoved.incrementAndGet();
            reasons.add(removed.executorId() + ": " + removed.reason());
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.reason() instanceof ExecutorLostFailure) {
                tasksLost.incrementAndGet();
            }
        }
    }

    @Test
    void anExecutorKilledMidJobLosesNoPhotoAndRepeatsNone() throws Exception {
        FaceSet faces = ComposedPhotos.faces();
        Path photos = dir.resolve("photos");
        List<String> names = new ArrayList<>(ComposedPhotos.write(photos, faces, PHOTOS, 41));
        Files.write(photos.resolve("broken.jpg"), ComposedPhotos.badFiles(faces).get("truncated.jpg"));
        names.add("broken.jpg");
        Path output = dir.resolve("faces.parquet");

        // The cluster's session is this test's own: any local one of an earlier test in this JVM goes first.
        SparkSession.getActiveSession().foreach(s -> { s.stop(); return null; });
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        ExecutorService driver = Executors.newSingleThreadExecutor();
        try (StandaloneCluster cluster = new StandaloneCluster(dir.resolve("cluster"), 2, 1, "2g")) {
            SparkSession spark = SparkSession.builder().master(cluster.masterUrl()).appName("fer-spark executor loss")
                    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false").config("spark.cores.max", "2").config("spark.executor.cores", "1")
                    .config("spark.executor.memory", "1g")
                    .config("spark.executor.extraClassPath", cluster.executorClassPath())
                    .config("spark.executor.extraJavaOptions", "-Djava.awt.headless=true -Dai.djl.offline=true")
                    .getOrCreate();
            SparkSession.setActiveSession(spark);
            Losses losses = new Losses();
            spark.sparkContext().addSparkListener(losses);
            try {
                awaitExecutors(spark, cluster, 2);
                Future<Integer> job = driver.submit(() -> FerSpark.execute("score", "--input", photos.toString(), "--output",
                        output.toString(), "--partitions", Integer.toString(PARTITIONS)));
                ProcessHandle killed = killOneExecutorMidScoring(spark, cluster, job);
                // When the executor was killed, Spark wrote beside the output, which was not there yet. From then on, when it
                // appears (renamed into place when the job succeeded; the command then reads it back to count its rows),
                // it appears whole, its _SUCCESS marker already inside, never half-written.
                assertFalse(Files.exists(output), "the output was there while the job still scored");
                try (java.util.stream.Stream<Path> beside = Files.list(dir)) {
                    assertTrue(beside.anyMatch(p -> p.getFileName().toString().startsWith(".faces.parquet.tmp-")),
                            "Spark writes into a hidden folder beside the output");
                }
                while (!job.isDone()) {
                    assertTrue(!Files.exists(output) || Files.isRegularFile(output.resolve("_SUCCESS")), "the output appeared incomplete");
                    Thread.sleep(20);
                }
                assertEquals(0, job.get(), () -> "the job failed; cluster logs:\n" + logs(cluster));
                assertFalse(killed.isAlive());
                assertTrue(losses.executorsRemoved.get() >= 1, "the driver saw the executor go: " + losses.reasons);
                assertTrue(losses.tasksLost.get() >= 1, "a task was running on it when it was killed");
                assertTrue(Files.isRegularFile(output.resolve("_SUCCESS")));

                List<Row> rows = spark.read().parquet(output.toString()).select("path", "faces", "error").collectAsList();
                Map<String, Integer> times = new HashMap<>();
                for (Row row : rows) {
                    String path = row.getString(0);
                    times.merge(path.substring(path.lastIndexOf('/') + 1), 1, Integer::sum);
                }
                assertEquals(new HashSet<>(names), times.keySet(), "every file has its row");
                Set<String> repeated = new HashSet<>();
                times.forEach((name, n) -> {
                    if (n != 1) {
                        repeated.add(name + " x" + n);
                    }
                });
                assertEquals(Set.of(), repeated, "no file has two rows");
                assertEquals(names.size(), rows.size());
                for (Row row : rows) {
                    if (row.getString(0).endsWith("/broken.jpg")) {
                        assertNotNull(row.get(2), "the broken file's row says why");
                        assertNull(row.get(1));
                    } else {
                        assertNull(row.get(2), row.getString(0) + ": " + row.get(2));
                    }
                }
                System.err.printf("executor loss: killed executor pid %d mid-job; %d executor(s) removed, %d task(s) lost and "
                        + "run again; %d rows, each file once%n", killed.pid(), losses.executorsRemoved.get(),
                        losses.tasksLost.get(), rows.size());
            } finally {
                spark.stop();
                SparkSession.clearActiveSession();
                SparkSession.clearDefaultSession();
            }
        } finally {
            driver.shutdownNow();
        }
    }

    /** Waits until {@code count} executors have registered with the driver. */
    private static void awaitExecutors(SparkSession spark, StandaloneCluster cluster, int count) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        // The driver counts itself among the block managers.
        while (spark.sparkContext().getExecutorMemoryStatus().size() < count + 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(count + " executors did not register within 180 s; cluster logs:\n" + logs(cluster));
            }
            Thread.sleep(200);
        }
    }

    /**
     * Once the scoring stage (the one of {@value #PARTITIONS} tasks) has finished two tasks and is running others,
     * kills one executor JVM with SIGKILL (kill -9); returns it.
     */
    private static ProcessHandle killOneExecutorMidScoring(SparkSession spark, StandaloneCluster cluster, Future<Integer> job)
            throws Exception {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (System.nanoTime() < deadline && !job.isDone()) {
            SparkStageInfo stage = scoringStage(spark);
            if (stage != null && stage.numCompletedTasks() >= 2 && stage.numActiveTasks() >= 1
                    && stage.numCompletedTasks() < PARTITIONS - 2) {
                List<ProcessHandle> executors = cluster.executors();
                assertEquals(2, executors.size(), "two executor JVMs, one per Worker");
                ProcessHandle victim = executors.get(0);
                assertTrue(victim.destroyForcibly(), "SIGKILL sent");
                victim.onExit().get(30, TimeUnit.SECONDS);
                return victim;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the job " + (job.isDone() ? "ended" : "did not reach its scoring stage")
                + " before an executor could be killed mid-way; cluster logs:\n" + logs(cluster));
    }

    /** The stage that scores the photos (the one of {@value #PARTITIONS} tasks) while it runs; null otherwise. */
    private static SparkStageInfo scoringStage(SparkSession spark) {
        for (int id : spark.sparkContext().statusTracker().getActiveStageIds()) {
            SparkStageInfo stage = spark.sparkContext().statusTracker().getStageInfo(id).getOrElse(() -> null);
            if (stage != null && stage.numTasks() == PARTITIONS) {
                return stage;
            }
        }
        return null;
    }

    private static String logs(StandaloneCluster cluster) {
        try {
            return cluster.logTail();
        } catch (java.io.IOException e) {
            return "(logs unreadable: " + e + ")";
        }
    }
}

package io.github.fer4j.spark;

import org.apache.spark.sql.SparkSession;

/** The tests' Spark: local[2] (CI's two cores), bound to 127.0.0.1, no web UI; one session for the whole test JVM. */
final class LocalSpark {
    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("fer-spark tests")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        // The commands under test take the thread's active session instead of starting their own.
        SparkSession.setActiveSession(spark);
        return spark;
    }
}

package io.github.fer4j.spark;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1 from the test's own class path: a Master and Workers, each a JVM of its own,
 * and the executors that the Workers start as JVMs of theirs, as on real machines. Stock Spark starts executors through
 * SPARK_HOME: here a folder whose {@code jars/} links every jar of the class path, with {@code SPARK_SCALA_VERSION=2.13}
 * (without it Spark looks for a source build: "Cannot find any build directories"); the class path's folders (the
 * modules' compiled classes in a reactor build) reach the executors as {@code spark.executor.extraClassPath}.
 */
final class StandaloneCluster implements AutoCloseable {
    /** The executors' main class, by which their JVMs are found among the Workers' children. */
    static final String EXECUTOR = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

    private final Path home;
    private final Path logs;
    private final int masterPort;
    private final List<Process> processes = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private final String folders;

    /** Starts a Master and {@code workers} Workers of {@code cores} cores and {@code memory} ("2g") each; waits for them. */
    StandaloneCluster(Path scratch, int workers, int cores, String memory) throws Exception {
        home = Files.createDirectories(scratch.resolve("spark-home"));
        logs = Files.createDirectories(scratch.resolve("logs"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        List<String> classPath = List.of(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .split(File.pathSeparator));
        List<String> dirs = new ArrayList<>();
        for (String entry : classPath) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                dirs.add(p.toAbsolutePath().toString());
            } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, p.toAbsolutePath());
                }
            }
        }
        folders = String.join(File.pathSeparator, dirs);
        masterPort = freePort();
        int masterUi = freePort();
        processes.add(start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(masterPort), "--webui-port", Integer.toString(masterUi)));
        awaitPort(masterPort);
        for (int w = 0; w < workers; w++) {
            Path work = Files.createDirectories(scratch.resolve("work-" + w));
            Process worker = start("worker-" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores",
                    Integer.toString(cores), "--memory", memory, "--work-dir", work.toString(), "--webui-port",
                    Integer.toString(freePort()), masterUrl());
            processes.add(worker);
            this.workers.add(worker);
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The class path's folders, for {@code spark.executor.extraClassPath}. */
    String executorClassPath() {
        return folders;
    }

    /** The executor JVMs running now (children of the Workers). */
    List<ProcessHandle> executors() {
        return workers.stream().flatMap(w -> w.toHandle().descendants())
                .filter(h -> h.info().commandLine().map(c -> c.contains(EXECUTOR)).orElse(false))
                .collect(Collectors.toList());
    }

    /** What the Master, the Workers and the executors logged, for a failure message. */
    String logTail() throws IOException {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.walk(logs.getParent())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log") || p.getFileName().toString().equals("stderr"))
                    .sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                out.append("== ").append(f).append('\n');
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> out.append(l).append('\n'));
            }
        }
        return out.toString();
    }

    private Process start(String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", home.resolve("jars") + File.separator + "*"));
        command.addAll(SparkJvm.OPENS);
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", home.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("SPARK_NO_DAEMONIZE", "1");
        return builder.start();
    }

    /** Stops everything it started, executors first (kill -9: nothing of theirs is worth keeping). */
    @Override
    public void close() throws InterruptedException {
        executors().forEach(ProcessHandle::destroyForcibly);
        List<Process> reversed = new ArrayList<>(processes);
        reversed.sort(Comparator.comparingInt(processes::indexOf).reversed());
        for (Process p : reversed) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroy();
        }
        for (Process p : reversed) {
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort();
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the Spark master did not listen on " + port + " within 120 s");
    }
}

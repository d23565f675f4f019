package io.github.fer4j.spark;

import io.github.fer4j.data.InvalidInputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fer-spark}: fer4j's batch scoring on Apache Spark, on one machine or through spark-submit on a cluster. */
@Command(name = "fer-spark", mixinStandardHelpOptions = true, subcommands = ScoreCommand.class, versionProvider = FerSpark.Version.class,
        description = "Score photos or FER2013 rows with a fer4j model on Apache Spark: locally (local[*]) with the fer-spark "
                + "launcher, or on a cluster as the jar given to spark-submit. Exit codes: 0 done, 1 failure, 2 bad usage or input.")
public final class FerSpark implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The version in the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = FerSpark.class.getPackage().getImplementationVersion();
            return new String[] {"fer-spark " + (version != null ? version : "(built from source)")};
        }
    }

    public static void main(String[] args) {
        int code = execute(args);
        // Spark's own threads (the listener bus, shuffle services) are not daemons; a finished job still ends the JVM.
        System.exit(code);
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new FerSpark());
        cli.setExecutionExceptionHandler(FerSpark::handle);
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: fer-spark score (fer-spark --help)");
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (e instanceof InvalidInputException) {
            err.println("fer-spark: " + e.getMessage());
            err.flush();
            return 2;
        }
        err.println("fer-spark: failed: " + e);
        if (System.getenv("FER_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("fer-spark: set FER_DEBUG=1 for the stack trace");
        }
        err.flush();
        return 1;
    }
}

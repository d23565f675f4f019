package io.github.fer4j.cli;

import io.github.fer4j.cnn.CnnEngine;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.Printable;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fer} command: entry point of the runnable jar. */
@Command(name = "fer",
        mixinStandardHelpOptions = true,
        versionProvider = Fer.VersionProvider.class,
        usageHelpAutoWidth = true,
        description = {
            "Facial expression recognition: train, evaluate and reproduce classifiers on FER2013.",
            "",
            "Without --data every command runs on synthetic faces (drawn faces whose mouth, brows and eyes follow the "
                    + "emotion), so everything works on a fresh machine; give --data fer2013.csv.gz for the real thing."
        },
        subcommands = {
            ReproduceCommand.class,
            TrainCommand.class,
            EnsembleCommand.class,
            ExportCommand.class,
            EvaluateCommand.class,
            PredictCommand.class,
            VideoCommand.class,
            EvaluatePhotosCommand.class,
            ServeCommand.class,
            ReportCommand.class,
            SweepCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Exit codes: 0 success, 1 failure, 2 bad usage or bad input (the message names the file, line and reason)."
        })
public final class Fer implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Native libraries' warnings are hidden by the launcher unless this is given; library logs show too. */
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Show the warnings and logs of the libraries fer4j uses (PyTorch, OpenCV, the web server).")
    void verbose(boolean on) {
        if (on) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
            System.setProperty("fer.ffmpeg.log", "true");
        }
    }

    /** The CNN engine, for every command that loads or saves a model; set before any model is read. */
    @CommandLine.Option(names = "--engine", scope = CommandLine.ScopeType.INHERIT, paramLabel = "onnxruntime|pytorch",
            description = "What runs CNN models: onnxruntime (the default: faster, and starts without loading PyTorch) or "
                    + "pytorch (DJL, the engine that trains them). Training always uses PyTorch.")
    void engine(String id) {
        System.setProperty(CnnEngine.PROPERTY, CnnEngine.named(id).id());
    }

    public static void main(String[] args) {
        // Library logs (the web server's) only when something is wrong.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // JavaCV's notes (options FFmpeg passed on, say) go through the same logger instead of straight to stderr.
        System.setProperty("org.bytedeco.javacpp.logger", System.getProperty("org.bytedeco.javacpp.logger", "slf4j"));
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Fer());
        TrainCommand.addFamilySettings(cli.getSubcommands().get("train").getCommandSpec());
        cli.setExecutionExceptionHandler(Fer::handle);
        // picocli answers "fer nosuchcommand --help" with the main help and 0; a word that is no command is an error.
        for (String arg : args) {
            if (arg.startsWith("-")) {
                continue;
            }
            if (!cli.getSubcommands().containsKey(arg)) {
                return unknownCommand(cli, arg);
            }
            break;
        }
        return cli.execute(args);
    }

    /** Names the unknown command and the commands it may have meant (picocli's own suggestions); exit 2. */
    private static int unknownCommand(CommandLine cli, String word) {
        PrintWriter err = cli.getErr();
        List<String> suggestions = new CommandLine.UnmatchedArgumentException(cli, List.of(word)).getSuggestions();
        err.println("fer: unknown command '" + Printable.of(word) + "'" + (suggestions.isEmpty() ? ""
                : "; did you mean " + String.join(" or ", suggestions) + "?"));
        err.println("fer: the commands are " + String.join(", ", cli.getSubcommands().keySet()) + " (fer --help)");
        err.flush();
        return 2;
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (e instanceof InvalidInputException) {
            err.println("fer: " + e.getMessage());
            err.flush();
            return 2;
        }
        err.println("fer: failed: " + e);
        if (System.getenv("FER_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("fer: set FER_DEBUG=1 for the stack trace");
        }
        err.flush();
        return 1;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar manifest. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Fer.class.getPackage().getImplementationVersion();
            return new String[] {"fer4j " + (v != null ? v : "dev") + " (Java " + Runtime.version() + ")"};
        }
    }
}

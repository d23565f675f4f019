package io.github.fer4j.cli;

import io.github.fer4j.cnn.CnnEngine;
import io.github.fer4j.cnn.CnnTraining;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.Printable;
import io.github.fer4j.onnx.OnnxInt8Engine;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fer} command: entry point of the runnable jar. */
@Command(name = "fer",
        mixinStandardHelpOptions = true,
        versionProvider = Fer.VersionProvider.class,
        usageHelpAutoWidth = true,
        description = {
            "Reads seven emotions (Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral) from the faces in photos, videos "
                    + "and a webcam page, offline, with models inside the jar; trains, evaluates and exports the "
                    + "classifiers on FER2013, and reproduces the seeds' study in one command.",
            "",
            "Without --data the training commands run on synthetic faces, so everything works on a fresh machine. "
                    + "Each command has its own --help."
        },
        commandListHeading = "%nCommands:%n",
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
    @CommandLine.Option(names = "--engine", scope = CommandLine.ScopeType.INHERIT, paramLabel = "onnxruntime|onnxruntime-int8|pytorch",
            description = "What runs CNN models: onnxruntime-int8 (8-bit integers; the default of predict, video, "
                    + "evaluate-photos and serve: about 3x faster per face, the same accuracy within 0.002), onnxruntime "
                    + "(fp32, exact; the default of the other commands) or pytorch (DJL, the engine that trains them; "
                    + "needs fer-pytorch.jar beside fer.jar). Training always uses PyTorch.")
    void engine(String id) {
        try {
            System.setProperty(CnnEngine.PROPERTY, CnnEngine.named(id).id());
        } catch (InvalidInputException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--engine: " + e.getMessage());
        }
    }

    public static void main(String[] args) {
        // Library logs (the web server's) only when something is wrong.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // JavaCV's notes (options FFmpeg passed on, say) go through the same logger instead of straight to stderr.
        System.setProperty("org.bytedeco.javacpp.logger", System.getProperty("org.bytedeco.javacpp.logger", "slf4j"));
        System.exit(execute(args));
    }

    /**
     * The commands that run the CNN on one face at a time, where the int8 engine is 3x faster than fp32 (1,947 against
     * 631 faces/s on one thread, bench/cnn.sh) at the same accuracy (PrivateTest 0.6815 against 0.6818, development
     * photos 0.6388 against 0.6365): they use it unless --engine or the system property names another. The others
     * (evaluate, export, ensemble) keep the exact fp32 engine.
     */
    static final java.util.Set<String> ONE_FACE_COMMANDS = java.util.Set.of("predict", "video", "evaluate-photos", "serve");

    /** The commands, in the order the help lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> c = new LinkedHashMap<>();
        c.put("reproduce", ReproduceCommand::new);
        c.put("train", TrainCommand::new);
        c.put("ensemble", EnsembleCommand::new);
        c.put("export", ExportCommand::new);
        c.put("import-torch", ImportTorchCommand::new);
        c.put("convert", ConvertCommand::new);
        c.put("models", ModelsCommand::new);
        c.put("evaluate", EvaluateCommand::new);
        c.put("predict", PredictCommand::new);
        c.put("video", VideoCommand::new);
        c.put("evaluate-photos", EvaluatePhotosCommand::new);
        c.put("serve", ServeCommand::new);
        c.put("report", ReportCommand::new);
        c.put("sweep", SweepCommand::new);
        c.put("generate-completion", CompletionCommand::new);
        c.put("help", CommandLine.HelpCommand::new);
        return Collections.unmodifiableMap(c);
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        String command = null;
        for (int i = 0; i < args.length && command == null; i++) {
            if (args[i].equals("--engine")) {
                i++; // its value is no command
            } else if (!args[i].startsWith("-")) {
                command = args[i];
            }
        }
        // fer.jar holds no PyTorch (fer-pytorch.jar beside it does): say so in one line rather than with the usage.
        for (int i = 0; i < args.length; i++) {
            String value = args[i].equals("--engine") && i + 1 < args.length ? args[i + 1]
                    : args[i].startsWith("--engine=") ? args[i].substring("--engine=".length()) : null;
            if (value != null && value.trim().equalsIgnoreCase(CnnEngine.PYTORCH)
                    && CnnEngine.available().stream().noneMatch(e -> e.id().equals(CnnEngine.PYTORCH))) {
                System.err.println("fer: --engine pytorch needs " + CnnTraining.MISSING);
                return 2;
            }
        }
        // picocli answers "fer nosuchcommand --help" with the main help and 0; a word that is no command is an error.
        if (command != null && !COMMANDS.containsKey(command)) {
            return unknownCommand(commandLine(COMMANDS.keySet()), command);
        }
        // Only the command that runs is built: picocli reads every command's options through reflection, and building
        // all eleven (train's with every trainer family's settings) was 0.4 s of each start. The help needs them all.
        boolean all = command == null || command.equals("help");
        CommandLine cli = commandLine(all ? COMMANDS.keySet() : List.of(command));
        cli.setExecutionExceptionHandler(Fer::handle);
        // --engine sets the engine for this command line only (tests run many in one JVM).
        String engine = System.getProperty(CnnEngine.PROPERTY);
        try {
            if (engine == null && command != null && ONE_FACE_COMMANDS.contains(command)) {
                System.setProperty(CnnEngine.PROPERTY, OnnxInt8Engine.ID);
            }
            return cli.execute(args);
        } finally {
            if (engine == null) {
                System.clearProperty(CnnEngine.PROPERTY);
            } else {
                System.setProperty(CnnEngine.PROPERTY, engine);
            }
        }
    }

    /** The command line with every command built (what the help and the completion script describe). */
    static CommandLine fullCommandLine() {
        return commandLine(COMMANDS.keySet());
    }

    private static CommandLine commandLine(java.util.Collection<String> names) {
        CommandLine cli = new CommandLine(new Fer());
        for (String name : names) {
            cli.addSubcommand(name, COMMANDS.get(name).get());
        }
        if (names.contains("train")) {
            TrainCommand.addFamilySettings(cli.getSubcommands().get("train").getCommandSpec());
        }
        return cli;
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

package io.github.fer4j.cli;

import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.CnnEngine;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.TorchRun;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.AtomicFiles;
import io.github.fer4j.model.ModelFile;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fer import-torch}: a network trained by the PyTorch trainer (trainer/train.py) as a fer4j model file. */
@Command(name = "import-torch", header = "Make a model file from a run of trainer/train.py",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Read one member of the PyTorch trainer's output (a folder with run.json, weights.safetensors and "
                + "probe.safetensors) into a fer4j model file, with the trainer's command, seed, data checksums and git "
                + "commit as its provenance. The file then works as one written by fer train: evaluate, predict, --tta, the "
                + "int8 engine, fer ensemble, fer export, and fer train --init to fine-tune it.",
                "Before anything is written the network is checked: every array the architecture needs, by name and shape, "
                        + "finite; the class list of its task; and the trainer's own probabilities for the probe faces, which "
                        + "fer4j must reproduce within 1e-4. Anything else is refused (exit 2) with the file and the tensor or "
                        + "field that is wrong, and nothing is written. Weights the trainer sent in fp16 are stored in fp16."})
final class ImportTorchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "The member's folder in the trainer's --out.")
    Path run;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the model (e.g. resnet18-seed1.fer).")
    Path out;

    @Option(names = "--architecture", paramLabel = "NAME",
            description = "Refuse the run unless it is of this architecture (fernet9, vgg10, resnet18, tiny, tinyres).")
    String architecture;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(out)) {
            throw InvalidInputException.at(out, "is a folder; give a file name to write");
        }
        Architecture expected = null;
        if (architecture != null) {
            try {
                expected = Architecture.named(architecture);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--architecture: " + e.getMessage());
            }
        }
        TorchRun torch = TorchRun.read(run, expected);
        CnnModel model = CnnEngine.selected().open(torch.stored());
        double difference = torch.checkProbe(model);
        // The file's bytes, loaded back, must give the same probe answers before they replace anything at --out.
        byte[] bytes = ModelFile.toBytes(model);
        CnnModel reloaded = (CnnModel) ModelFile.load(new ByteArrayInputStream(bytes), out.toString());
        double again = torch.checkProbe(reloaded);
        AtomicFiles.write(out, o -> o.write(bytes));
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote %s (%,d bytes): %s for %s %s, weights %s, default views %s%n", out, bytes.length,
                torch.architecture().id(), torch.task().cliName(), torch.task().classNames(),
                torch.description().has("weightsDtype") ? torch.description().get("weightsDtype").getAsString() : "?",
                model.testTimeAugmentation().id());
        o.printf(Locale.ROOT, "checked: %d probe faces, max |fer4j (%s) - trainer| %.2g (file read back: %.2g; allowed %.0e)%n",
                torch.probeFaces(), model.engine(), difference, again, TorchRun.PROBE_TOLERANCE);
        var metrics = torch.description().getAsJsonObject("metrics");
        if (metrics != null) {
            for (String split : new String[] {"PublicTest", "PrivateTest"}) {
                if (metrics.has(split)) {
                    var views = metrics.getAsJsonObject(split);
                    StringBuilder line = new StringBuilder("trainer's " + split + ":");
                    for (String tta : new String[] {"none", "flip", "crops"}) {
                        if (views.has(tta)) {
                            var m = views.getAsJsonObject(tta);
                            line.append(String.format(Locale.ROOT, " %s %.4f (ACA %.4f)", tta, m.get("accuracy").getAsDouble(),
                                    m.get("aca").getAsDouble()));
                        }
                    }
                    o.println(line);
                }
            }
        }
        o.flush();
        return 0;
    }
}

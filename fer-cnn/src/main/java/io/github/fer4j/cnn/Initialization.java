package io.github.fer4j.cnn;

import com.google.gson.JsonObject;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.task.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Fine-tuning: a run that starts from a trained CNN's parameters, and keeps its input normalisation, instead of random
 * weights (the network must be of the same architecture and task). Any CNN model file will do: one written by
 * {@code fer train}, or one imported from the PyTorch trainer by {@code fer import-torch}.
 *
 * @param model the model file to start from
 */
public record Initialization(Path model) {
    /** The network in the model file, checked against the run's architecture and task. */
    public StoredCnn load(Architecture architecture, Task task) {
        Classifier loaded = ModelFile.load(model);
        if (!(loaded instanceof CnnModel cnn)) {
            throw InvalidInputException.at(model, "is a " + loaded.kind() + " model; --init needs a CNN");
        }
        if (cnn.architecture() != architecture || cnn.task() != task) {
            throw InvalidInputException.at(model, "is a " + cnn.architecture().id() + " network for " + cnn.task().cliName()
                    + "; this run trains " + architecture.id() + " for " + task.cliName());
        }
        return cnn.stored();
    }

    /** What a checkpoint and the model file record: the file's name and SHA-256. */
    public JsonObject toJson(String sha256) {
        JsonObject json = new JsonObject();
        json.addProperty("model", model.getFileName().toString());
        json.addProperty("sha256", sha256);
        return json;
    }

    /** The SHA-256 of the model file, which a resumed run must match. */
    public String sha256() {
        if (!Files.isRegularFile(model)) {
            throw InvalidInputException.at(model, "no such model file (the --init)");
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(model), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw InvalidInputException.at(model, "cannot read: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

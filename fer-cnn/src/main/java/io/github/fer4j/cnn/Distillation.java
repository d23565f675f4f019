package io.github.fer4j.cnn;

import com.google.gson.JsonObject;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.ensemble.EnsembleClassifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Knowledge distillation: each Training face's target mixes a trained teacher's probabilities for that face with the
 * face's own label, {@code weight x teacher + (1 - weight) x label}, before label smoothing and class weights. The
 * teacher (usually an ensemble, whose members cost several networks per face) reads each whole 48x48 face once, the
 * way its model file says, before the first epoch; the student then learns those soft targets on its random views.
 * One network so trained reads faces at the speed of one network with part of the ensemble's accuracy.
 *
 * @param teacher the teacher's model file: any fer4j model whose classes include the task's (extra classes, such as
 *                FER+'s contempt, are dropped and the rest renormalised, as an ensemble does)
 * @param weight  the teacher's share of each target, in (0, 1]
 */
public record Distillation(Path teacher, double weight) {
    /**
     * The default share of the teacher. Mostly the teacher, as distillation usually is; the label keeps a say where
     * the teacher is sure and wrong.
     */
    public static final double DEFAULT_WEIGHT = 0.7;

    public Distillation {
        if (!(weight > 0 && weight <= 1)) {
            throw new IllegalArgumentException("the teacher's weight must be in (0, 1], not " + weight);
        }
    }

    /** What a checkpoint and the model file record: the teacher's file name, its SHA-256 and the weight. */
    public JsonObject toJson(String sha256) {
        JsonObject json = new JsonObject();
        json.addProperty("teacher", teacher.getFileName().toString());
        json.addProperty("teacherSha256", sha256);
        json.addProperty("weight", weight);
        return json;
    }

    /** The SHA-256 of the teacher's file, which a resumed run must match. */
    public String sha256() {
        if (!Files.isRegularFile(teacher)) {
            throw InvalidInputException.at(teacher, "no such model file (the --teacher)");
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(teacher), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw InvalidInputException.at(teacher, "cannot read the teacher: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The teacher's probabilities for {@code faces} at {@code indices}, row by row, each row in the order of the
     * task's classes. The teacher is read as a one-member ensemble of the task, which matches its classes by name and
     * drops and renormalises the ones the task lacks; a teacher without one of the task's classes is refused, naming
     * its file and the class.
     */
    public float[] teach(FaceSet faces, int[] indices, Task task) {
        EnsembleClassifier model;
        try {
            model = new EnsembleClassifier(task, List.of(ModelFile.load(teacher)), List.of(teacher.getFileName().toString()),
                    new double[] {1}, 1, ModelInfo.NONE);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.at(teacher, "cannot teach this task: " + e.getMessage());
        }
        int classes = task.classCount();
        float[] out = new float[indices.length * classes];
        int chunk = 4096;
        for (int from = 0; from < indices.length; from += chunk) {
            float[][] p = model.probabilities(faces, Arrays.copyOfRange(indices, from, Math.min(indices.length, from + chunk)));
            for (int k = 0; k < p.length; k++) {
                System.arraycopy(p[k], 0, out, (from + k) * classes, classes);
            }
        }
        return out;
    }
}

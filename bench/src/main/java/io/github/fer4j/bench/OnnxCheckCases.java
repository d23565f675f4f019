package io.github.fer4j.bench;

import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.TestTimeAugmentation;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.ensemble.EnsembleClassifier;
import io.github.fer4j.linear.LinearTrainer;
import io.github.fer4j.linear.SgdConfig;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelFile;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.onnx.OnnxExporter;
import io.github.fer4j.task.Task;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the cases of {@code bench/onnx-check.sh}: fer4j models exported to ONNX, the faces as float32 gray levels
 * {@code [N,1,48,48]}, and fer4j's own probabilities for them, so that a second ONNX runtime (onnxruntime-node) can run the
 * graphs with no fer4j code and report how far its answers are from fer4j's.
 *
 * <p>Usage: {@code OnnxCheckCases fer2013.csv.gz OUT_DIR [faces] [shipped.fer]}; without the data, synthetic faces.
 */
public final class OnnxCheckCases {
    private OnnxCheckCases() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        Path shipped = Path.of(args.length > 3 ? args[3] : "fer-models/src/main/resources/io/github/fer4j/models/default.fer");
        Files.createDirectories(out);
        FaceSet all = Files.isRegularFile(data) ? Fer2013Reader.read(data) : SyntheticFaces.generate(4 * n, 1);
        int[] test = Arrays.copyOf(all.indices(Split.PRIVATE_TEST), Math.min(n, all.indices(Split.PRIVATE_TEST).length));
        System.err.printf("onnx-check: %d PrivateTest faces of %s%n", test.length, all.source());

        var loaded = ModelFile.load(shipped);
        // The shipped ensemble's first network (or the model, were it one CNN).
        CnnModel cnn = (CnnModel) (loaded instanceof io.github.fer4j.ensemble.EnsembleClassifier e ? e.members().get(0) : loaded);
        Classifier softmax = LinearTrainer.softmax(SgdConfig.defaults().with(c -> c.epochs = 3)).fitAll(all, Task.EMOTIONS, List.of());
        Classifier logistic = LinearTrainer.logistic(SgdConfig.defaults().with(c -> c.epochs = 3)).fitAll(all, Task.HAPPY, List.of());
        Map<String, Classifier> cases = new LinkedHashMap<>();
        cases.put("shipped-cnn", cnn);
        cases.put("shipped-cnn-tta-crops", cnn.withTestTimeAugmentation(TestTimeAugmentation.CROPS));
        cases.put("softmax-pixels", softmax);
        cases.put("logistic-pixels-happy", logistic);
        cases.put("ensemble-cnn-flip-softmax", new EnsembleClassifier(Task.EMOTIONS,
                List.of(cnn.withTestTimeAugmentation(TestTimeAugmentation.FLIP), softmax), List.of("cnn", "softmax"),
                new double[] {0.8, 0.2}, 1.3, ModelInfo.NONE));

        float[] pixels = new float[test.length * FaceSet.PIXELS];
        for (int k = 0; k < test.length; k++) {
            byte[] face = all.face(test[k]);
            for (int p = 0; p < FaceSet.PIXELS; p++) {
                pixels[k * FaceSet.PIXELS + p] = face[p] & 0xff;
            }
        }
        write(out.resolve("faces.f32"), pixels);
        StringBuilder manifest = new StringBuilder();
        for (Map.Entry<String, Classifier> c : cases.entrySet()) {
            Classifier model = c.getValue();
            Files.write(out.resolve(c.getKey() + ".onnx"), OnnxExporter.toBytes(model, c.getKey()));
            float[][] p = model.probabilities(all, test);
            int classes = model.classNames().size();
            float[] flat = new float[test.length * classes];
            for (int k = 0; k < test.length; k++) {
                System.arraycopy(p[k], 0, flat, k * classes, classes);
            }
            write(out.resolve(c.getKey() + ".expected.f32"), flat);
            manifest.append(c.getKey()).append(' ').append(test.length).append(' ').append(classes).append('\n');
        }
        Files.writeString(out.resolve("cases.txt"), manifest);
    }

    private static void write(Path file, float[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Files.write(file, bytes.array());
    }
}

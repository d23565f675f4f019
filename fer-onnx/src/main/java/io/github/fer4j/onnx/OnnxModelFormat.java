package io.github.fer4j.onnx;

import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ForeignModelFormat;
import java.nio.file.Path;
import java.util.Locale;

/** Lets every place that takes a model file ({@code ModelFile.load}) take an {@code .onnx} graph too. */
public final class OnnxModelFormat implements ForeignModelFormat {
    @Override
    public String name() {
        return "ONNX";
    }

    @Override
    public boolean claims(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    @Override
    public Classifier load(Path file) {
        return OnnxClassifier.load(file);
    }
}

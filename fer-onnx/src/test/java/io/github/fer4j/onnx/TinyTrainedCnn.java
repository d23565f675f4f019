package io.github.fer4j.onnx;

import io.github.fer4j.cnn.Architecture;
import io.github.fer4j.cnn.CnnConfig;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.pytorch.CnnClassifier;
import io.github.fer4j.pytorch.CnnTrainer;
import io.github.fer4j.task.Task;
import java.util.List;
import java.util.stream.IntStream;

/** The tiny CNN the engine tests compare engines on: trained once per test JVM on synthetic faces, with its test faces. */
record TinyTrainedCnn(FaceSet faces, CnnClassifier trained, int[] test) {
    private static TinyTrainedCnn shared;

    static synchronized TinyTrainedCnn get() throws java.io.IOException {
        if (shared == null) {
            FaceSet faces = SyntheticFaces.generate(700, 11);
            CnnConfig config = CnnConfig.defaults(Architecture.TINY, 1, 3).with(c -> c.batchSize = 32);
            CnnClassifier trained = (CnnClassifier) new CnnTrainer(config).fitAll(faces, Task.EMOTIONS, List.of());
            int[] test = IntStream.range(0, faces.size()).filter(i -> faces.split(i) != Split.TRAINING).toArray();
            shared = new TinyTrainedCnn(faces, trained, test);
        }
        return shared;
    }
}

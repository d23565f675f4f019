package io.github.fer4j.pytorch;

import io.github.fer4j.cnn.CnnEngine;
import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.cnn.StoredCnn;
import java.io.IOException;

/** Runs stored CNNs on PyTorch through DJL: the engine that trains them, and the default when nothing faster is present. */
public final class PyTorchEngine implements CnnEngine {
    public static final String ID = CnnEngine.PYTORCH;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int preference() {
        return 0;
    }

    @Override
    public CnnModel open(StoredCnn stored) throws IOException {
        return CnnClassifier.restore(stored.task(), stored.architecture(), stored.mean(), stored.std(), stored.parameters(),
                stored.info()).withTestTimeAugmentation(stored.tta());
    }
}

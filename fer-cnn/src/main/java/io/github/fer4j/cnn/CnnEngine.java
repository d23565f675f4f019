package io.github.fer4j.cnn;

import io.github.fer4j.data.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * What runs a stored CNN: {@code onnxruntime} and {@code onnxruntime-int8} (fer-onnx) or {@code pytorch} (DJL, fer-pytorch), found on the class
 * path through {@link ServiceLoader}. The fastest one present runs by default; the system property
 * {@value #PROPERTY} (the command line's {@code --engine}) chooses another.
 */
public interface CnnEngine {
    /** The system property that names the engine to use. */
    String PROPERTY = "fer.engine";

    /** The id of fer-pytorch's engine, which may be absent (a runtime without PyTorch). */
    String PYTORCH = "pytorch";

    /** The name users give it. */
    String id();

    /** Among the engines present, the highest runs by default. */
    int preference();

    /** The network, ready to classify; an IOException when the parameters do not fit the architecture. */
    CnnModel open(StoredCnn stored) throws IOException;

    /** The engines on the class path, the default first. */
    static List<CnnEngine> available() {
        List<CnnEngine> engines = new ArrayList<>();
        ServiceLoader.load(CnnEngine.class).forEach(engines::add);
        engines.sort(Comparator.comparingInt(CnnEngine::preference).reversed());
        return engines;
    }

    /** The engine the property names, else the default; an unknown name is an InvalidInputException listing the others. */
    static CnnEngine selected() {
        String wanted = System.getProperty(PROPERTY, "").trim();
        if (!wanted.isEmpty()) {
            return named(wanted);
        }
        List<CnnEngine> engines = available();
        if (engines.isEmpty()) {
            throw new InvalidInputException("no CNN engine on the class path: add io.github.fer4j:fer-onnx (ONNX Runtime), "
                    + "or io.github.fer4j:fer-pytorch");
        }
        return engines.get(0);
    }

    /** The engine called {@code id}; an unknown name is an InvalidInputException listing the engines present. */
    static CnnEngine named(String id) {
        List<CnnEngine> engines = available();
        for (CnnEngine engine : engines) {
            if (engine.id().equalsIgnoreCase(id)) {
                return engine;
            }
        }
        if (id.equalsIgnoreCase(PYTORCH)) {
            throw new InvalidInputException("engine '" + id + "' needs " + CnnTraining.MISSING);
        }
        throw new InvalidInputException("engine '" + id + "' is not one of "
                + engines.stream().map(CnnEngine::id).toList() + " (--engine, or the system property " + PROPERTY + ")");
    }
}

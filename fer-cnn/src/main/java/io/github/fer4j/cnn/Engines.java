package io.github.fer4j.cnn;

import ai.djl.engine.Engine;

/** Starts DJL's PyTorch engine the fer4j way: offline (the natives come from the jar, never the network). */
final class Engines {
    private Engines() {
    }

    static Engine pytorch() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return Engine.getEngine("PyTorch");
    }
}

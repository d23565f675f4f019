package io.github.fer4j.pytorch;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

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

    /**
     * Turns PyTorch's gradient recording off for the calling thread and returns whether it was on. The switch is per
     * thread, and DJL turns it off only on the thread that starts the engine: on any other thread (a Spark task, a
     * server's worker) loading parameters into a network fails ("a leaf Variable that requires grad is being used in
     * an in-place operation") and inference records a graph it never uses.
     */
    static boolean gradientsOff() {
        boolean was = JniUtils.isGradMode();
        if (was) {
            JniUtils.setGradMode(false);
        }
        return was;
    }

    /** Puts the calling thread's gradient recording back as {@link #gradientsOff()} found it. */
    static void restoreGradients(boolean was) {
        if (was) {
            JniUtils.setGradMode(true);
        }
    }
}

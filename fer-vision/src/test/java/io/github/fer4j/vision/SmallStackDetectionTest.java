package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;

/**
 * BlazeFace's first detection in a JVM may come from a thread with a small stack (a server worker, a Spark task): loading
 * ONNX Runtime and the graph takes about 1 MB of stack, more than such a thread may have left, and running out of it
 * there kills the JVM with SIGSEGV rather than a Java error. A fresh JVM whose first detection runs on a 256 KB thread
 * must finish and find the face.
 */
class SmallStackDetectionTest {
    /** The probe: a drawn face detected on a thread of 256 KB stack, nothing loaded before; exit 0 when one face is found. */
    public static void main(String[] args) throws Exception {
        int[] found = {-1};
        Thread t = new Thread(null, () -> {
            try (PointerScope scope = new PointerScope()) {
                found[0] = new FaceDetector(FaceDetector.Kind.BLAZEFACE, 48).detect(Images.gray(DrawnFace.draw(480, 200, 0))).size();
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        System.exit(found[0] == 1 ? 0 : 1);
    }

    @Test
    void firstDetectionOnASmallStackThread() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                SmallStackDetectionTest.class.getName()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), "the probe JVM's exit status (139: killed by SIGSEGV)");
    }
}

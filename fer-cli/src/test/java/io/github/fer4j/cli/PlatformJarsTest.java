package io.github.fer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The jars built for each desktop platform (bench/platforms.sh puts them under fer-cli/target/platforms/PLATFORM/)
 * hold that platform's natives of OpenCV, FFmpeg, JavaCPP, OpenBLAS and ONNX Runtime, all of them, and no other
 * platform's; fer.jar holds no PyTorch, and fer-pytorch.jar only its platform's libtorch and DJL bridge. Without built
 * jars the test is skipped, saying so (mvn test builds none).
 */
class PlatformJarsTest {
    static final Path PLATFORMS = Path.of(System.getProperty("fer.platform.jars", "target/platforms"));

    /** bytedeco's platform names, with ONNX Runtime's and DJL's for the same platform (DJL has no macOS x86_64 libtorch). */
    record Platform(String javacpp, String onnxruntime, String djl, String library) { }

    static final Map<String, Platform> KNOWN = Map.of(
            "linux-x86_64", new Platform("linux-x86_64", "linux-x64", "linux-x86_64", ".so"),
            "linux-arm64", new Platform("linux-arm64", "linux-aarch64", "linux-aarch64", ".so"),
            "macosx-arm64", new Platform("macosx-arm64", "osx-aarch64", "osx-aarch64", ".dylib"),
            "macosx-x86_64", new Platform("macosx-x86_64", "osx-x64", null, ".dylib"),
            "windows-x86_64", new Platform("windows-x86_64", "win-x64", "win-x86_64", ".dll"));

    @Test
    void eachPlatformsJarsHoldItsNativesAndNoOthers() throws IOException {
        List<Path> dirs = new ArrayList<>();
        if (Files.isDirectory(PLATFORMS)) {
            try (Stream<Path> list = Files.list(PLATFORMS)) {
                list.filter(d -> Files.isRegularFile(d.resolve("fer.jar"))).sorted().forEach(dirs::add);
            }
        }
        Assumptions.assumeFalse(dirs.isEmpty(), "no platform jars under " + PLATFORMS.toAbsolutePath()
                + ": bench/platforms.sh builds them (mvn test builds none)");
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            Platform platform = KNOWN.get(name);
            assertTrue(platform != null, "unknown platform folder " + dir);
            List<String> fer = entries(dir.resolve("fer.jar"));
            try (JarFile jar = new JarFile(dir.resolve("fer.jar").toFile())) {
                assertEquals(name, jar.getManifest().getMainAttributes().getValue("X-Fer-Platform"), dir + "/fer.jar's manifest");
            }
            for (String[] lib : new String[][] {{"opencv", "opencv_core"}, {"opencv", "jniopencv_core"},
                    {"opencv", "opencv_imgproc"}, {"opencv", "opencv_objdetect"}, {"opencv", "opencv_imgcodecs"},
                    {"opencv", "opencv_dnn"}, {"opencv", "opencv_calib3d"}, {"ffmpeg", "avcodec"}, {"ffmpeg", "avformat"},
                    {"ffmpeg", "swscale"}, {"ffmpeg", "jniavcodec"}, {"javacpp", "jnijavacpp"}, {"openblas", "openblas"},
                    {"openblas", "jniopenblas_nolapack"}}) {
                String prefix = "org/bytedeco/" + lib[0] + "/" + platform.javacpp() + "/";
                assertTrue(fer.stream().anyMatch(e -> e.startsWith(prefix) && native_(e, lib[1], platform)),
                        name + ": fer.jar lacks " + lib[1] + " under " + prefix);
            }
            String ort = "ai/onnxruntime/native/" + platform.onnxruntime() + "/";
            assertTrue(fer.stream().anyMatch(e -> e.startsWith(ort) && native_(e, "onnxruntime", platform)),
                    name + ": fer.jar lacks ONNX Runtime under " + ort);
            assertTrue(fer.stream().anyMatch(e -> e.startsWith(ort) && native_(e, "onnxruntime4j_jni", platform)),
                    name + ": fer.jar lacks ONNX Runtime's JNI library under " + ort);
            List<String> foreign = new ArrayList<>();
            for (String e : fer) {
                boolean otherBytedeco = e.startsWith("org/bytedeco/") && KNOWN.keySet().stream()
                        .anyMatch(p -> !p.equals(name) && e.contains("/" + p + "/"));
                boolean otherOrt = e.startsWith("ai/onnxruntime/native/") && !e.equals("ai/onnxruntime/native/")
                        && !e.startsWith(ort);
                boolean torch = e.startsWith("pytorch/") || e.startsWith("jnilib/") || e.startsWith("ai/djl/");
                boolean python = e.contains("/python/");
                if (otherBytedeco || otherOrt || torch || python) {
                    foreign.add(e);
                }
            }
            assertTrue(foreign.isEmpty(), name + ": fer.jar holds what its platform does not run: "
                    + foreign.subList(0, Math.min(10, foreign.size())));
            Path torchJar = dir.resolve("fer-pytorch.jar");
            if (Files.isRegularFile(torchJar)) {
                List<String> torch = entries(torchJar);
                assertTrue(torch.stream().anyMatch(e -> e.startsWith("io/github/fer4j/pytorch/")), name + ": fer-pytorch.jar lacks fer-pytorch");
                if (platform.djl() != null) {
                    assertTrue(torch.stream().anyMatch(e -> e.startsWith("pytorch/cpu/" + platform.djl() + "/")
                            && native_(e, "torch", platform)), name + ": fer-pytorch.jar lacks libtorch for " + platform.djl());
                    assertTrue(torch.stream().anyMatch(e -> e.startsWith("jnilib/" + platform.djl() + "/cpu/")
                            && native_(e, "djl_torch", platform)), name + ": fer-pytorch.jar lacks DJL's bridge for " + platform.djl());
                }
                List<String> others = torch.stream().filter(e -> (e.startsWith("pytorch/") || e.startsWith("jnilib/"))
                        && e.endsWith("/") == false && !e.startsWith("jnilib/pytorch.properties")
                        && (platform.djl() == null || !(e.startsWith("pytorch/cpu/" + platform.djl() + "/")
                                || e.startsWith("jnilib/" + platform.djl() + "/cpu/")))).toList();
                assertTrue(others.isEmpty(), name + ": fer-pytorch.jar holds other natives: "
                        + others.subList(0, Math.min(10, others.size())));
                assertFalse(torch.stream().anyMatch(e -> e.startsWith("org/bytedeco/")), name + ": fer-pytorch.jar repeats fer.jar");
            }
        }
    }

    /** Whether {@code entry} is a native library of {@code name} for the platform (libNAME.so.N, NAME.4130.dll, ...). */
    static boolean native_(String entry, String name, Platform platform) {
        String file = entry.substring(entry.lastIndexOf('/') + 1);
        String bare = file.startsWith("lib") ? file.substring(3) : file;
        return bare.startsWith(name) && file.contains(platform.library());
    }

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(java.util.zip.ZipEntry::getName).toList();
        }
    }
}

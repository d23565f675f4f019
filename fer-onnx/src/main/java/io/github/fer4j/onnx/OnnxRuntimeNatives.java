package io.github.fer4j.onnx;

import io.github.fer4j.data.FaceSetCache;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Keeps ONNX Runtime's native libraries unpacked in fer4j's cache folder and points ONNX Runtime at them
 * ({@value #PROPERTY}). Left to itself, ONNX Runtime copies its 28 MB library out of the jar into a new temporary folder
 * at every start, which was two thirds of its 0.5 s start here (0.17 s from the unpacked copy). A folder belongs to the
 * libraries' contents (their sizes and CRC-32s in the jar's directory), so a rebuilt fer.jar reuses it and another
 * ONNX Runtime version gets its own. When anything goes wrong, or the library is not in a jar, or the user has set the
 * property, ONNX Runtime unpacks as it always does.
 */
final class OnnxRuntimeNatives {
    /** ONNX Runtime's own setting: the folder that holds its native libraries. */
    static final String PROPERTY = "onnxruntime.native.path";
    /** The libraries fer.jar carries (linux x86-64 only; other platforms' are left to ONNX Runtime). */
    private static final String FOLDER = "/ai/onnxruntime/native/linux-x64/";
    private static final List<String> LIBRARIES = List.of("libonnxruntime.so", "libonnxruntime4j_jni.so");
    private static final String COMPLETE = "complete";

    private static boolean prepared;

    private OnnxRuntimeNatives() {
    }

    /** Before ONNX Runtime first loads: the cached copy when it can be used, else nothing changes. */
    static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        if (System.getProperty(PROPERTY) != null || !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")
                || !System.getProperty("os.arch", "").matches("amd64|x86_64")
                || OnnxRuntimeNatives.class.getResource(FOLDER + LIBRARIES.get(0)) == null) {
            return;
        }
        try {
            Path jar = Path.of(ai.onnxruntime.OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                return;
            }
            var cache = FaceSetCache.fromSettings().folder();
            if (cache.isEmpty()) {
                return;
            }
            Path folder = cache.get().resolve("onnxruntime-" + key(jar));
            if (!Files.isRegularFile(folder.resolve(COMPLETE))) {
                unpack(folder);
            }
            System.setProperty(PROPERTY, folder.toString());
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // ONNX Runtime unpacks into a temporary folder, as without this cache.
        }
    }

    /**
     * The libraries' sizes and CRC-32s as the jar's directory records them (nothing is inflated): the same libraries
     * share one folder however often fer.jar is rebuilt, and another ONNX Runtime gets a folder of its own.
     */
    private static String key(Path jar) throws IOException {
        StringBuilder identity = new StringBuilder();
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            for (String library : LIBRARIES) {
                JarEntry entry = file.getJarEntry(FOLDER.substring(1) + library);
                if (entry == null || entry.getSize() < 0 || entry.getCrc() < 0) {
                    throw new IOException(library + " has no size or checksum in " + jar);
                }
                identity.append(library).append('|').append(entry.getSize()).append('|').append(entry.getCrc()).append('|');
            }
        }
        return Long.toHexString(Integer.toUnsignedLong(identity.toString().hashCode()));
    }

    /** Unpacks into a fresh sibling folder and renames it into place, so no reader ever sees half a library. */
    private static void unpack(Path folder) throws IOException {
        Files.createDirectories(folder.getParent());
        Path staging = Files.createTempDirectory(folder.getParent(), folder.getFileName() + ".unpacking-");
        try {
            for (String library : LIBRARIES) {
                try (InputStream in = OnnxRuntimeNatives.class.getResourceAsStream(FOLDER + library)) {
                    if (in == null) {
                        throw new IOException(library + " is not in the jar");
                    }
                    Files.copy(in, staging.resolve(library));
                }
            }
            Files.createFile(staging.resolve(COMPLETE));
            try {
                Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Another process unpacked it first (or this file system cannot rename folders): use what is there.
                if (!Files.isRegularFile(folder.resolve(COMPLETE))) {
                    throw e;
                }
            }
        } finally {
            if (Files.exists(staging)) {
                try (Stream<Path> files = Files.walk(staging)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}

package io.github.fer4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds FER2013 for the quality gates: $FER2013, else ../shared/data/fer2013.csv.gz from the project root. */
public final class TestData {
    private TestData() {
    }

    public static final String MISSING = "FER2013 not found (set FER2013=/path/to/fer2013.csv.gz or put it at "
            + "../shared/data/fer2013.csv.gz beside the checkout): skipping the real-data quality gate";

    public static Optional<Path> fer2013() {
        String env = System.getenv("FER2013");
        if (env != null && !env.isBlank() && Files.isRegularFile(Path.of(env))) {
            return Optional.of(Path.of(env));
        }
        // Tests run in a module folder; the project root is one of its parents.
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 3 && dir != null; up++, dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("fer-core"))) {
                Path candidate = dir.resolve("../shared/data/fer2013.csv.gz").normalize();
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Writes a test's input bytes to {@code file} (a fuzzed input read as a file) and returns the file. */
    public static Path written(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

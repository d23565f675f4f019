package io.github.fer4j.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens whatever a user points at: a FER2013 csv (plain or gzip) or an image-folder tree. */
public final class FaceSetReader {
    private FaceSetReader() {
    }

    public static LoadResult load(Path path, boolean skipBad, LoadProgress progress) {
        return Files.isDirectory(path)
                ? new ImageFolderReader(skipBad, progress).load(path)
                : new Fer2013Reader(skipBad, progress).load(path);
    }
}

package io.github.fer4j.data;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads the image-folder layout of FER2013 ({@code train/<emotion>/*.png}, {@code test/<emotion>/*.jpg}):
 * emotion folder names in any case and common synonyms, colour turned to gray, other sizes resized to
 * 48x48 by area averaging. Files under {@code test/} named {@code PrivateTest_*} go to PrivateTest, the
 * rest of {@code test/} to PublicTest; {@code val/} or {@code validation/} is PublicTest.
 */
public final class ImageFolderReader {
    /** Every suffix an ImageIO reader on the class path takes (JPEG, PNG, BMP, GIF, WBMP and TIFF in the JDK alone). */
    private static final List<String> EXTENSIONS = java.util.Arrays.stream(javax.imageio.ImageIO.getReaderFileSuffixes())
            .map(s -> "." + s.toLowerCase(java.util.Locale.ROOT)).distinct().toList();

    private final boolean skipBadFiles;
    private final LoadProgress progress;

    public ImageFolderReader(boolean skipBadFiles, LoadProgress progress) {
        this.skipBadFiles = skipBadFiles;
        this.progress = progress;
    }

    public LoadResult load(Path root) {
        if (!Files.isDirectory(root)) {
            throw InvalidInputException.at(root, "not a directory");
        }
        List<Path> splitDirs = sortedChildren(root).stream().filter(Files::isDirectory).toList();
        List<Path> files = new ArrayList<>();
        List<Emotion> emotions = new ArrayList<>();
        List<Split> splits = new ArrayList<>();
        for (Path splitDir : splitDirs) {
            Optional<Split> split = folderSplit(splitDir.getFileName().toString());
            if (split.isEmpty()) {
                throw InvalidInputException.at(splitDir,
                        "unknown split folder (expected train, test, val, validation, PublicTest or PrivateTest)");
            }
            for (Path emotionDir : sortedChildren(splitDir)) {
                if (!Files.isDirectory(emotionDir)) {
                    continue;
                }
                Emotion emotion = Emotion.parseLabel(emotionDir.getFileName().toString()).orElseThrow(() ->
                        InvalidInputException.at(emotionDir, "unknown emotion folder (expected one of "
                                + "angry, disgust, fear, happy, sad, surprise, neutral, or a FER2013 id 0-6)"));
                for (Path file : sortedChildren(emotionDir)) {
                    if (isImage(file)) {
                        files.add(file);
                        emotions.add(emotion);
                        splits.add(fileSplit(split.get(), splitDir, file));
                    }
                }
            }
        }
        if (files.isEmpty()) {
            throw InvalidInputException.at(root, "no images found (expected train/<emotion>/*.png|jpg and test/<emotion>/...)");
        }
        byte[] pixels = new byte[files.size() * FaceSet.PIXELS];
        byte[] emotionIds = new byte[files.size()];
        byte[] splitIds = new byte[files.size()];
        int n = 0;
        int skipped = 0;
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            try {
                byte[] face = readFace(files.get(i));
                System.arraycopy(face, 0, pixels, n * FaceSet.PIXELS, FaceSet.PIXELS);
                emotionIds[n] = (byte) emotions.get(i).id();
                splitIds[n] = (byte) splits.get(i).ordinal();
                n++;
            } catch (InvalidInputException e) {
                if (!skipBadFiles) {
                    throw e;
                }
                skipped++;
                if (reasons.size() < 10) {
                    reasons.add(e.getMessage());
                }
            }
            progress.update(i + 1, files.size());
        }
        if (n == 0) {
            throw InvalidInputException.at(root, "no readable images (" + skipped + " skipped)");
        }
        FaceSet faces = new FaceSet(java.util.Arrays.copyOf(pixels, n * FaceSet.PIXELS),
                java.util.Arrays.copyOf(emotionIds, n), java.util.Arrays.copyOf(splitIds, n),
                root.getFileName() + "/", "");
        return new LoadResult(faces, true, skipped, List.copyOf(reasons));
    }

    /** Decodes one image file into a 48x48 gray face. */
    public static byte[] readFace(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw InvalidInputException.at(file, "cannot decode image: " + e.getMessage());
        }
        if (image == null) {
            throw InvalidInputException.at(file, "not an image in a format this reader knows (png, jpg, bmp, gif)");
        }
        return toFace(image);
    }

    /** Any image -> 48x48 gray levels: gray conversion, then area-average resizing when the size differs. */
    public static byte[] toFace(BufferedImage image) {
        Image scaled = image.getWidth() == FaceSet.SIDE && image.getHeight() == FaceSet.SIDE
                ? image
                : image.getScaledInstance(FaceSet.SIDE, FaceSet.SIDE, Image.SCALE_AREA_AVERAGING);
        BufferedImage gray = new BufferedImage(FaceSet.SIDE, FaceSet.SIDE, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        g.drawImage(scaled, 0, 0, null);
        g.dispose();
        byte[] face = new byte[FaceSet.PIXELS];
        gray.getRaster().getDataElements(0, 0, FaceSet.SIDE, FaceSet.SIDE, face);
        return face;
    }

    private static Optional<Split> folderSplit(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return switch (key) {
            case "train", "training" -> Optional.of(Split.TRAINING);
            case "test", "publictest", "val", "valid", "validation" -> Optional.of(Split.PUBLIC_TEST);
            case "privatetest" -> Optional.of(Split.PRIVATE_TEST);
            default -> Optional.empty();
        };
    }

    private static Split fileSplit(Split folder, Path splitDir, Path file) {
        boolean testFolder = splitDir.getFileName().toString().equalsIgnoreCase("test");
        if (testFolder && file.getFileName().toString().startsWith("PrivateTest")) {
            return Split.PRIVATE_TEST;
        }
        return folder;
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(file) && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static List<Path> sortedChildren(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.sorted().toList();
        } catch (IOException e) {
            throw InvalidInputException.at(dir, "cannot list: " + e.getMessage());
        }
    }
}

package io.github.fer4j.cli;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.FaceSetReader;
import io.github.fer4j.data.FerPlusLabels;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.LoadResult;
import io.github.fer4j.data.SyntheticFaces;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Where the faces come from: a FER2013 csv(.gz), an image-folder tree, or synthetic faces by default. */
final class DataOptions {
    @Option(names = "--data", paramLabel = "PATH",
            description = "fer2013.csv, fer2013.csv.gz or an image folder (train/<emotion>/*.png, test/<emotion>/...). "
                    + "Default: synthetic faces.")
    Path data;

    @Option(names = "--skip-bad-rows", description = "Skip rows (or image files) that break the format, and say how many.")
    boolean skipBadRows;

    @Option(names = "--validation-fraction", paramLabel = "F",
            description = "For data without a Usage column: move this seeded fraction of Training to PublicTest.")
    Double validationFraction;

    @Option(names = "--labels", defaultValue = "fer2013", paramLabel = "fer2013|ferplus",
            description = "Which labels: FER2013's own, or FER+'s majority votes (8 classes with contempt; implies --task ferplus). "
                    + "Default: ${DEFAULT-VALUE}.")
    String labels;

    @Option(names = "--ferplus", paramLabel = "FILE",
            description = "FER+ labels (fer2013new.csv, row-aligned with the data). Default: ferplus/fer2013new.csv beside --data.")
    Path ferPlusFile;

    @Option(names = "--synthetic-faces", paramLabel = "N", defaultValue = "12000",
            description = "How many synthetic faces to draw when no --data is given (default: ${DEFAULT-VALUE}).")
    int syntheticFaces;

    /** The loaded faces and whether they are the synthetic default. */
    record Loaded(FaceSet faces, boolean synthetic) { }

    /** True when --labels asks for FER+. */
    boolean ferPlusLabels() {
        return switch (labels.trim().toLowerCase(Locale.ROOT)) {
            case "fer2013" -> false;
            case "ferplus", "fer+" -> true;
            default -> throw new InvalidInputException("--labels must be fer2013 or ferplus, not '" + labels + "'");
        };
    }

    Loaded load(long seed) {
        return load(seed, ferPlusLabels());
    }

    /** Loads the faces; with {@code ferPlus}, keeps those with a FER+ majority label and attaches it. */
    Loaded load(long seed, boolean ferPlus) {
        if (ferPlus && data == null) {
            throw new InvalidInputException("FER+ labels need --data with the original fer2013.csv(.gz), row-aligned with fer2013new.csv");
        }
        if (data == null) {
            System.err.printf(Locale.ROOT, "fer: no --data given: using %d synthetic faces (seed %d)%n", syntheticFaces, seed);
            return new Loaded(SyntheticFaces.generate(syntheticFaces, seed), true);
        }
        long start = System.nanoTime();
        LoadResult result = FaceSetReader.load(data, skipBadRows, Progress.load("load " + data.getFileName()));
        FaceSet faces = result.faces();
        if (result.skippedRows() > 0) {
            System.err.printf(Locale.ROOT, "fer: skipped %d bad rows of %s; first ones:%n", result.skippedRows(), data);
            result.skippedReasons().forEach(r -> System.err.println("  " + r));
        }
        if (validationFraction != null) {
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new InvalidInputException("--validation-fraction must be between 0 and 1, got " + validationFraction);
            }
            if (result.hadSplits()) {
                System.err.println("fer: " + data + " has a Usage column; --validation-fraction is ignored");
            } else {
                faces = faces.withValidationFraction(validationFraction, seed);
            }
        }
        System.err.printf(Locale.ROOT, "fer: loaded %,d faces from %s in %.1f s%n", faces.size(), data,
                (System.nanoTime() - start) / 1e9);
        if (ferPlus) {
            Path file = ferPlusFile != null ? ferPlusFile : data.toAbsolutePath().resolveSibling("ferplus").resolve("fer2013new.csv");
            FerPlusLabels.Result relabelled = FerPlusLabels.apply(faces, file);
            faces = relabelled.faces();
            System.err.printf(Locale.ROOT, "fer: FER+ labels from %s: %,d faces kept, %,d dropped (%d without a FER+ image, "
                    + "%d without a majority, %d voted unknown or not a face)%n", file, faces.size(), relabelled.dropped(),
                    relabelled.unnamed(), relabelled.noMajority(), relabelled.unknownOrNotFace());
        }
        return new Loaded(faces, false);
    }
}

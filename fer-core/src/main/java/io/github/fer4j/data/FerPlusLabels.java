package io.github.fer4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * FER+ relabelling of FER2013 (Barsoum et al., ICMI 2016): {@code fer2013new.csv}, row-aligned with fer2013.csv,
 * with ten taggers' votes per face. A face gets the class that more than half of its votes chose once single
 * outlier votes are dropped (FER+'s "majority" mode); faces with no such class, a majority for "unknown" or "not
 * a face", or no FER+ image name are dropped. Eight classes: the seven emotions and contempt.
 */
public final class FerPlusLabels {
    /** The classes, in the csv's column order. */
    public static final List<String> CLASSES = List.of("Neutral", "Happy", "Surprise", "Sad", "Angry", "Disgust", "Fear",
            "Contempt");
    private static final String HEADER = "Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF";
    private static final int VOTE_COLUMNS = 10;

    /** The faces kept, with their FER+ classes, and how many were dropped for each reason. */
    public record Result(FaceSet faces, int unnamed, int noMajority, int unknownOrNotFace) {
        public int dropped() {
            return unnamed + noMajority + unknownOrNotFace;
        }
    }

    private FerPlusLabels() {
    }

    /** The largest vote count a row may hold. */
    static final int MAX_VOTES = 1000;

    /**
     * The majority class of ten vote counts (8 classes, unknown, not a face), as FER+'s own "majority" mode
     * computes it: a class chosen by a single tagger is an outlier and its vote is dropped, then the class must
     * hold more than half of the remaining votes. Returns 0..7, -1 when no class has a majority, -2 when the
     * majority is "unknown" or "not a face".
     */
    static int majority(int[] votes) {
        int total = 0;
        int best = 0;
        for (int c = 0; c < votes.length; c++) {
            int v = votes[c] <= 1 ? 0 : votes[c];
            total += v;
            if (v > (votes[best] <= 1 ? 0 : votes[best])) {
                best = c;
            }
        }
        int max = votes[best] <= 1 ? 0 : votes[best];
        if (total == 0 || 2 * max <= total) {
            return -1;
        }
        return best < CLASSES.size() ? best : -2;
    }

    /** Applies the FER+ labels in {@code csv} to FER2013 as read from its original file, row by row. */
    public static Result apply(FaceSet fer2013, Path csv) {
        if (!Files.isRegularFile(csv)) {
            throw InvalidInputException.at(csv, "no such FER+ labels file (fer2013new.csv)");
        }
        List<Integer> kept = new ArrayList<>();
        List<Byte> labels = new ArrayList<>();
        List<int[]> keptVotes = new ArrayList<>();
        int unnamed = 0;
        int noMajority = 0;
        int unknown = 0;
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.strip().equals(HEADER)) {
                throw InvalidInputException.at(csv, 1, "expected the FER+ header '" + HEADER + "'");
            }
            String line;
            int row = 0;
            while ((line = in.readLine()) != null) {
                long lineNumber = row + 2L;
                if (line.isBlank()) {
                    continue;
                }
                if (row >= fer2013.size()) {
                    throw InvalidInputException.at(csv, lineNumber, "more rows than " + fer2013.source() + " has ("
                            + fer2013.size() + "): FER+ labels must be row-aligned with the original fer2013.csv");
                }
                String[] f = line.split(",", -1);
                if (f.length != 2 + VOTE_COLUMNS) {
                    throw InvalidInputException.at(csv, lineNumber, "expected 12 fields, found " + f.length);
                }
                if (!f[0].strip().equals(fer2013.split(row).csvName())) {
                    throw InvalidInputException.at(csv, lineNumber, "Usage '" + Printable.of(f[0].strip()) + "' but row " + (row + 1) + " of "
                            + fer2013.source() + " is " + fer2013.split(row).csvName() + ": the files are not row-aligned");
                }
                int[] votes = new int[VOTE_COLUMNS];
                for (int c = 0; c < VOTE_COLUMNS; c++) {
                    try {
                        votes[c] = Integer.parseInt(f[2 + c].strip());
                    } catch (NumberFormatException e) {
                        throw InvalidInputException.at(csv, lineNumber, "vote count '" + Printable.of(f[2 + c]) + "' is not an integer");
                    }
                    if (votes[c] < 0) {
                        throw InvalidInputException.at(csv, lineNumber, "negative vote count " + votes[c]);
                    }
                    // FER+ asked ten taggers per face; a count far above that is a broken file (and would overflow
                    // the majority's sums).
                    if (votes[c] > MAX_VOTES) {
                        throw InvalidInputException.at(csv, lineNumber, "vote count " + votes[c] + " is more than "
                                + MAX_VOTES + " (FER+ has ten taggers per face)");
                    }
                }
                int label = majority(votes);
                if (f[1].isBlank()) {
                    unnamed++;
                } else if (label == -1) {
                    noMajority++;
                } else if (label == -2) {
                    unknown++;
                } else {
                    kept.add(row);
                    labels.add((byte) label);
                    keptVotes.add(votes);
                }
                row++;
            }
            if (row != fer2013.size()) {
                throw InvalidInputException.at(csv, "has " + row + " rows but " + fer2013.source() + " has " + fer2013.size()
                        + ": FER+ labels must be row-aligned with the original fer2013.csv");
            }
        } catch (IOException e) {
            throw InvalidInputException.at(csv, "cannot read: " + e.getMessage());
        }
        int[] idx = kept.stream().mapToInt(Integer::intValue).toArray();
        FaceSet subset = fer2013.subset(idx);
        byte[] ferPlus = new byte[idx.length];
        byte[] votes = new byte[idx.length * CLASSES.size()];
        for (int k = 0; k < idx.length; k++) {
            ferPlus[k] = labels.get(k);
            for (int c = 0; c < CLASSES.size(); c++) {
                votes[k * CLASSES.size() + c] = (byte) Math.min(keptVotes.get(k)[c], Byte.MAX_VALUE);
            }
        }
        byte[] emotions = new byte[idx.length];
        byte[] splits = new byte[idx.length];
        for (int k = 0; k < idx.length; k++) {
            emotions[k] = (byte) subset.emotionId(k);
            splits[k] = (byte) subset.split(k).ordinal();
        }
        FaceSet labelled = new FaceSet(subset.pixelArray(), emotions, splits, fer2013.source() + " + FER+ labels",
                fer2013.sha256(), ferPlus, votes);
        return new Result(labelled, unnamed, noMajority, unknown);
    }
}

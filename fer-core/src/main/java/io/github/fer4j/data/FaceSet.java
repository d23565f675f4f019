package io.github.fer4j.data;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A set of 48x48 grayscale faces with their emotions and splits, held as bytes (N x 2304) so that all of
 * FER2013 takes 83 MB. Immutable once built.
 */
public final class FaceSet {
    /** Side of a face in pixels. */
    public static final int SIDE = 48;
    /** Pixels in one face. */
    public static final int PIXELS = SIDE * SIDE;
    /** FER+ has eight classes: the seven emotions and contempt. */
    static final int FER_PLUS_CLASSES = 8;

    private final byte[] pixels;
    private final byte[] emotions;
    private final byte[] splits;
    private final String source;
    private final String sha256;
    /** FER+ majority-vote classes (index into {@link FerPlusLabels#CLASSES}), or null when not loaded. */
    private final byte[] ferPlus;
    private final byte[] ferPlusVotes;

    /**
     * @param pixels   N x 2304 row-major gray levels (unsigned bytes)
     * @param emotions N emotion ids (0..6)
     * @param splits   N split ordinals
     * @param source   where the faces came from, for provenance
     * @param sha256   SHA-256 of the source file in hex, or "" when there is no single file
     */
    public FaceSet(byte[] pixels, byte[] emotions, byte[] splits, String source, String sha256) {
        this(pixels, emotions, splits, source, sha256, null);
    }

    /** A set that also carries FER+ labels ({@code ferPlus} may be null). */
    public FaceSet(byte[] pixels, byte[] emotions, byte[] splits, String source, String sha256, byte[] ferPlus) {
        this(pixels, emotions, splits, source, sha256, ferPlus, null);
    }

    /**
     * A set that also carries FER+ labels and the taggers' votes behind them ({@code ferPlusVotes}: N x 8 vote
     * counts for the FER+ classes, may be null).
     */
    public FaceSet(byte[] pixels, byte[] emotions, byte[] splits, String source, String sha256, byte[] ferPlus,
                   byte[] ferPlusVotes) {
        if (pixels.length != emotions.length * PIXELS || splits.length != emotions.length
                || (ferPlus != null && ferPlus.length != emotions.length)
                || (ferPlusVotes != null && (ferPlus == null || ferPlusVotes.length != emotions.length * FER_PLUS_CLASSES))) {
            throw new IllegalArgumentException("pixels, labels and splits disagree on the number of faces");
        }
        this.ferPlus = ferPlus;
        this.ferPlusVotes = ferPlusVotes;
        this.pixels = pixels;
        this.emotions = emotions;
        this.splits = splits;
        this.source = source;
        this.sha256 = sha256;
    }

    public int size() {
        return emotions.length;
    }

    public Emotion emotion(int i) {
        return Emotion.ofId(emotions[i]);
    }

    public int emotionId(int i) {
        return emotions[i];
    }

    public boolean hasFerPlusLabels() {
        return ferPlus != null;
    }

    public boolean hasFerPlusVotes() {
        return ferPlusVotes != null;
    }

    /** How many of the FER+ taggers chose class {@code c} (an index into {@link FerPlusLabels#CLASSES}) for face {@code i}. */
    public int ferPlusVotes(int i, int c) {
        if (ferPlusVotes == null) {
            throw new IllegalStateException("no FER+ votes loaded for " + source);
        }
        return ferPlusVotes[i * FER_PLUS_CLASSES + c];
    }

    /** The FER+ class of face {@code i}: an index into {@link FerPlusLabels#CLASSES}. */
    public int ferPlusLabel(int i) {
        if (ferPlus == null) {
            throw new IllegalStateException("no FER+ labels loaded for " + source);
        }
        return ferPlus[i];
    }

    public Split split(int i) {
        return Split.values()[splits[i]];
    }

    /** Gray level 0..255 of pixel {@code p} (row-major) of face {@code i}. */
    public int pixel(int i, int p) {
        return pixels[i * PIXELS + p] & 0xFF;
    }

    /** A copy of face {@code i}, 2304 unsigned bytes. */
    public byte[] face(int i) {
        return Arrays.copyOfRange(pixels, i * PIXELS, (i + 1) * PIXELS);
    }

    /** The backing pixel array, N x 2304; callers must not modify it. Hot loops read it directly. */
    public byte[] pixelArray() {
        return pixels;
    }

    public String source() {
        return source;
    }

    public String sha256() {
        return sha256;
    }

    /** Indices of the faces in a split, in file order. */
    public int[] indices(Split split) {
        int n = 0;
        for (byte s : splits) {
            if (s == split.ordinal()) {
                n++;
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < splits.length; i++) {
            if (splits[i] == split.ordinal()) {
                out[k++] = i;
            }
        }
        return out;
    }

    public boolean has(Split split) {
        for (byte s : splits) {
            if (s == split.ordinal()) {
                return true;
            }
        }
        return false;
    }

    /** The faces at the given indices, in that order, as a new set. */
    public FaceSet subset(int[] idx) {
        byte[] p = new byte[idx.length * PIXELS];
        byte[] e = new byte[idx.length];
        byte[] s = new byte[idx.length];
        byte[] f = ferPlus == null ? null : new byte[idx.length];
        byte[] v = ferPlusVotes == null ? null : new byte[idx.length * FER_PLUS_CLASSES];
        for (int k = 0; k < idx.length; k++) {
            if (v != null) {
                System.arraycopy(ferPlusVotes, idx[k] * FER_PLUS_CLASSES, v, k * FER_PLUS_CLASSES, FER_PLUS_CLASSES);
            }
            System.arraycopy(pixels, idx[k] * PIXELS, p, k * PIXELS, PIXELS);
            e[k] = emotions[idx[k]];
            s[k] = splits[idx[k]];
            if (f != null) {
                f[k] = ferPlus[idx[k]];
            }
        }
        return new FaceSet(p, e, s, source, sha256, f, v);
    }

    public FaceSet subset(Split split) {
        return subset(indices(split));
    }

    /** Counts per split and emotion: {@code counts().get(split)[emotionId]}. */
    public Map<Split, int[]> counts() {
        Map<Split, int[]> out = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            out.put(s, new int[Emotion.COUNT]);
        }
        for (int i = 0; i < size(); i++) {
            out.get(split(i))[emotions[i]]++;
        }
        return out;
    }

    /**
     * For data without a Usage column (everything Training): moves a seeded random {@code fraction} of the
     * Training faces to PublicTest so that validation, early stopping and thresholds have data to use.
     */
    public FaceSet withValidationFraction(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
        }
        int[] train = indices(Split.TRAINING);
        int[] order = train.clone();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        byte[] s = splits.clone();
        int moved = (int) Math.round(order.length * fraction);
        for (int k = 0; k < moved; k++) {
            s[order[k]] = (byte) Split.PUBLIC_TEST.ordinal();
        }
        return new FaceSet(pixels, emotions, s, source, sha256, ferPlus, ferPlusVotes);
    }
}

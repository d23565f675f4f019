package io.github.fer4j.vision;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.fer4j.data.FaceSet;
import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.function.Function;

/**
 * Why a face was read as it was: how much the probability of the emotion it was read as drops when each patch of its
 * 48x48 crop is hidden, an occlusion-sensitivity map. A patch of {@value #PATCH} px (a quarter of the side: an eye, the
 * mouth) filled with the crop's mean gray level slides over the crop by {@value #STRIDE} px, 7 x 7 places; each
 * {@value #CELL} x {@value #CELL} px cell of the crop gets the mean drop of the patches that cover it, so the map is
 * {@value #CELLS} x {@value #CELLS} cells, row by row. A positive drop: the cell held what the answer rests on; a
 * negative one: hiding it made the answer more likely.
 */
public record OcclusionMap(String emotion, double probability, double[] drops) {
    public static final int PATCH = 12;
    public static final int STRIDE = 6;
    public static final int CELL = 6;
    public static final int CELLS = FaceSet.SIDE / CELL;
    /** Patch places along each side: 0, 6, ..., 36. */
    static final int PLACES = (FaceSet.SIDE - PATCH) / STRIDE + 1;

    public OcclusionMap {
        if (drops.length != CELLS * CELLS) {
            throw new IllegalArgumentException("an occlusion map has " + CELLS * CELLS + " cells, not " + drops.length);
        }
    }

    /** The drop of the cell at ({@code row}, {@code col}). */
    public double drop(int row, int col) {
        return drops[row * CELLS + col];
    }

    /**
     * The map of a crop read as class {@code target} with probability {@code probability}: {@code probabilities} gives
     * the class probabilities of a batch of crops (every crop {@link FaceSet#PIXELS} bytes), as the answer was computed.
     */
    static OcclusionMap of(byte[] crop, int target, String emotion, double probability,
                           Function<byte[][], float[][]> probabilities) {
        int mean = 0;
        for (byte b : crop) {
            mean += b & 0xFF;
        }
        byte fill = (byte) Math.round((double) mean / crop.length);
        byte[][] hidden = new byte[PLACES * PLACES][];
        for (int py = 0; py < PLACES; py++) {
            for (int px = 0; px < PLACES; px++) {
                byte[] c = crop.clone();
                for (int y = py * STRIDE; y < py * STRIDE + PATCH; y++) {
                    java.util.Arrays.fill(c, y * FaceSet.SIDE + px * STRIDE, y * FaceSet.SIDE + px * STRIDE + PATCH, fill);
                }
                hidden[py * PLACES + px] = c;
            }
        }
        float[][] p = probabilities.apply(hidden);
        // drop of patch (py, px) = probability - p(hidden)[target]; a cell's drop is the mean over the patches covering it,
        // those starting at cell - 1 and cell (in cells; a patch spans two), within 0..PLACES-1.
        double[] drops = new double[CELLS * CELLS];
        for (int row = 0; row < CELLS; row++) {
            for (int col = 0; col < CELLS; col++) {
                double sum = 0;
                int n = 0;
                for (int py = Math.max(0, row - 1); py <= Math.min(PLACES - 1, row); py++) {
                    for (int px = Math.max(0, col - 1); px <= Math.min(PLACES - 1, col); px++) {
                        sum += probability - p[py * PLACES + px][target];
                        n++;
                    }
                }
                drops[row * CELLS + col] = sum / n;
            }
        }
        return new OcclusionMap(emotion, probability, drops);
    }

    /** The largest drop in the map, the cell an answer rests on most. */
    public double maxDrop() {
        double max = Double.NEGATIVE_INFINITY;
        for (double d : drops) {
            max = Math.max(max, d);
        }
        return max;
    }

    /**
     * {@code {"emotion", "probability", "patch", "stride", "cell", "rows", "cols", "drops": [[row 0], ...]}}: the drops
     * in probability units, 4 decimals.
     */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("emotion", emotion);
        o.addProperty("probability", Math.round(probability * 10000) / 10000.0);
        o.addProperty("patch", PATCH);
        o.addProperty("stride", STRIDE);
        o.addProperty("cell", CELL);
        o.addProperty("rows", CELLS);
        o.addProperty("cols", CELLS);
        JsonArray rows = new JsonArray();
        for (int row = 0; row < CELLS; row++) {
            JsonArray r = new JsonArray();
            for (int col = 0; col < CELLS; col++) {
                r.add(Math.round(drop(row, col) * 10000) / 10000.0);
            }
            rows.add(r);
        }
        o.add("drops", rows);
        return o;
    }

    /**
     * The crop enlarged {@code scale} times with the map over it: red where hiding a cell lowers the answer's
     * probability, blue where it raises it, opaque at the map's largest drop (or 0.1, whichever is larger, so that a
     * map of tiny drops stays faint), smoothed between cell centres.
     */
    public BufferedImage render(byte[] crop, int scale) {
        int side = FaceSet.SIDE * scale;
        BufferedImage face = new BufferedImage(FaceSet.SIDE, FaceSet.SIDE, BufferedImage.TYPE_BYTE_GRAY);
        face.getRaster().setDataElements(0, 0, FaceSet.SIDE, FaceSet.SIDE, crop);
        BufferedImage heat = new BufferedImage(CELLS, CELLS, BufferedImage.TYPE_INT_ARGB);
        double top = 0.1;
        for (double d : drops) {
            top = Math.max(top, Math.abs(d));
        }
        for (int row = 0; row < CELLS; row++) {
            for (int col = 0; col < CELLS; col++) {
                double v = drop(row, col) / top;
                int alpha = (int) Math.round(200 * Math.min(1, Math.abs(v)));
                int rgb = v >= 0 ? 0xE0301E : 0x1E64E0;
                heat.setRGB(col, row, alpha << 24 | rgb);
            }
        }
        BufferedImage out = new BufferedImage(side, side, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(face, 0, 0, side, side, null);
        g.setComposite(AlphaComposite.SrcOver);
        g.drawImage(heat, 0, 0, side, side, null);
        g.dispose();
        return out;
    }
}

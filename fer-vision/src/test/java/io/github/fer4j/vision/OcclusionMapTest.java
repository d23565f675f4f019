package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The "why" map ({@link OcclusionMap}): a model that looks at one region only gives a map that peaks there. */
class OcclusionMapTest {
    /**
     * A model that reads only the 12x12 square at rows {@code top}..{@code top + 11}, columns {@code left}..{@code left +
     * 11}: Happy with probability 0.05 + 0.9 * (the square's mean level / 255), the rest shared evenly by the others.
     */
    private record OneRegion(int top, int left) implements Classifier {
        @Override
        public String kind() {
            return "one-region";
        }

        @Override
        public Task task() {
            return Task.EMOTIONS;
        }

        @Override
        public float[] probabilities(byte[] face) {
            double sum = 0;
            for (int y = top; y < top + 12; y++) {
                for (int x = left; x < left + 12; x++) {
                    sum += face[y * FaceSet.SIDE + x] & 0xFF;
                }
            }
            float happy = (float) (0.05 + 0.9 * sum / 144 / 255);
            float[] p = new float[7];
            Arrays.fill(p, (1 - happy) / 6);
            p[3] = happy;
            return p;
        }

        @Override
        public ModelInfo info() {
            return ModelInfo.NONE;
        }

        @Override
        public Classifier withInfo(ModelInfo info) {
            return this;
        }
    }

    /** A dark face (level 40) with a bright square (220) where the model looks, at rows 30-41, columns 6-17 (cells 5-6, 1-2). */
    private static byte[] crop(int top, int left) {
        byte[] crop = new byte[FaceSet.PIXELS];
        Arrays.fill(crop, (byte) 40);
        for (int y = top; y < top + 12; y++) {
            Arrays.fill(crop, y * FaceSet.SIDE + left, y * FaceSet.SIDE + left + 12, (byte) 220);
        }
        return crop;
    }

    @Test
    void aModelThatLooksAtOneRegionGivesAMapThatPeaksThere() {
        EmotionRecognizer recognizer = EmotionRecognizer.create(new OneRegion(30, 6), "one-region",
                new EmotionRecognizer.Options(FaceDetector.Kind.HAAR, 48, 1_000_000));
        byte[] crop = crop(30, 6);
        RecognizedFace face = recognizer.classify(new FaceBox(0, 0, 48, 48), crop);
        assertEquals("Happy", face.dominant());
        OcclusionMap map = recognizer.explain(face);
        assertEquals("Happy", map.emotion());
        assertEquals(face.probability("Happy"), map.probability(), 1e-9);
        // The square is cells rows 5-6, columns 1-2 (6 px cells). Hiding any patch that covers part of it lowers Happy.
        int bestRow = 0;
        int bestCol = 0;
        for (int row = 0; row < OcclusionMap.CELLS; row++) {
            for (int col = 0; col < OcclusionMap.CELLS; col++) {
                if (map.drop(row, col) > map.drop(bestRow, bestCol)) {
                    bestRow = row;
                    bestCol = col;
                }
            }
        }
        assertTrue(bestRow >= 5 && bestRow <= 6 && bestCol >= 1 && bestCol <= 2, "peak at cell " + bestRow + ", " + bestCol);
        assertEquals(map.maxDrop(), map.drop(bestRow, bestCol), 0);
        assertTrue(map.maxDrop() > 0.1, "hiding the square costs Happy " + map.maxDrop());
        // A cell no patch over the square reaches (a patch spans two cells) keeps the answer exactly.
        for (int row = 0; row < OcclusionMap.CELLS; row++) {
            for (int col = 0; col < OcclusionMap.CELLS; col++) {
                boolean near = row >= 3 && row <= 7 && col <= 4;
                if (!near) {
                    assertEquals(0, map.drop(row, col), 1e-6, "cell " + row + ", " + col);
                }
            }
        }
        // The same model looking elsewhere moves the peak there: the map follows the model, not the picture.
        EmotionRecognizer elsewhere = EmotionRecognizer.create(new OneRegion(6, 30), "one-region",
                new EmotionRecognizer.Options(FaceDetector.Kind.HAAR, 48, 1_000_000));
        OcclusionMap other = elsewhere.explain(elsewhere.classify(new FaceBox(0, 0, 48, 48), crop(6, 30)));
        assertTrue(other.drop(1, 5) > 0.1 && other.drop(5, 1) == 0, "peak moved: " + other.drop(1, 5) + ", " + other.drop(5, 1));
    }

    /**
     * Cells average the patches over them: patch places 0, 6, ..., 36 (7 x 7); a patch spans cells p and p + 1, so an
     * inner cell has four patches, an edge cell two, a corner cell one. With a model whose answer drops by exactly the
     * hidden patch's index (row-major) / 100, corner cell (0, 0) gets patch 0's drop 0, cell (0, 1) the mean of patches 0
     * and 1 = 0.005, cell (1, 1) the mean of patches 0, 1, 7 and 8 = 0.04, cell (7, 7) patch 48's 0.48.
     */
    @Test
    void cellsAverageThePatchesOverThem() {
        OcclusionMap map = OcclusionMap.of(new byte[FaceSet.PIXELS], 0, "Angry", 0.9, crops -> {
            float[][] p = new float[crops.length][];
            for (int i = 0; i < crops.length; i++) {
                p[i] = new float[] {0.9f - i / 100f};
            }
            return p;
        });
        assertEquals(0, map.drop(0, 0), 1e-6);
        assertEquals(0.005, map.drop(0, 1), 1e-6);
        assertEquals(0.04, map.drop(1, 1), 1e-6);
        assertEquals(0.48, map.drop(7, 7), 1e-6);
        assertEquals(List.of(8, 8), List.of(map.toJson().getAsJsonArray("drops").size(),
                map.toJson().getAsJsonArray("drops").get(0).getAsJsonArray().size()));
        BufferedImage png = map.render(new byte[FaceSet.PIXELS], 4);
        assertEquals(192, png.getWidth());
        // Red grows with the drop: the corner of the largest drop is redder than the corner of none.
        assertTrue((png.getRGB(190, 190) >> 16 & 0xFF) > (png.getRGB(1, 1) >> 16 & 0xFF));
    }
}

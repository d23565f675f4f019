package io.github.fer4j.features;

import io.github.fer4j.data.FaceSet;
import java.util.stream.IntStream;

/** A dense row-major n x d float matrix of features, one row per face. */
public record FeatureMatrix(float[] values, int rows, int columns) {

    /** Extracts features for the faces at {@code indices}. */
    public static FeatureMatrix of(FaceSet faces, int[] indices, FeatureExtractor extractor) {
        int d = extractor.dimension();
        float[] x = new float[Math.multiplyExact(indices.length, d)];
        byte[] pixels = faces.pixelArray();
        // Rows are independent, so extracting them in parallel gives the same matrix as in order.
        IntStream.range(0, indices.length).parallel()
                .forEach(k -> extractor.extract(pixels, indices[k] * FaceSet.PIXELS, x, k * d));
        return new FeatureMatrix(x, indices.length, d);
    }
}

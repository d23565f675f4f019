package io.github.fer4j.spark;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.FaceBox;
import io.github.fer4j.vision.FaceDetector;
import io.github.fer4j.vision.RecognizedFace;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Scores the rows of one partition for {@link EmotionTransformer}: takes the executor's recognizer (loaded once per
 * JVM from the broadcast model) and appends faces and error to each row. Photos are read one at a time, as
 * {@code fer predict} reads them; FER2013 faces in batches, as {@code fer evaluate} classifies them.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    /** FER2013 faces classified per network call: large enough that the per-call cost vanishes. */
    static final int FER2013_BATCH = 256;

    private final Broadcast<byte[]> modelBytes;
    private final String modelKey;
    private final String modelName;
    private final String detector;
    private final int minFaceSize;
    private final long maxPixels;
    private final boolean wholeFrame;
    private final boolean align;
    private final double priorCorrection;
    private final boolean fer2013;
    private final int inputIndex;
    private final int pathIndex;
    private final String pathName;
    private final int width;

    PartitionScorer(Broadcast<byte[]> modelBytes, String modelKey, String modelName, EmotionRecognizer.Options options,
                    boolean fer2013, int inputIndex, int pathIndex, String pathName, int width) {
        this.modelBytes = modelBytes;
        this.modelKey = modelKey;
        this.modelName = modelName;
        this.detector = options.detector().name();
        this.minFaceSize = options.minFaceSize();
        this.maxPixels = options.maxPixels();
        this.wholeFrame = options.wholeFrame();
        this.align = options.align();
        this.priorCorrection = options.priorCorrection();
        this.fer2013 = fer2013;
        this.inputIndex = inputIndex;
        this.pathIndex = pathIndex;
        this.pathName = pathName;
        this.width = width;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        EmotionRecognizer recognizer = ExecutorModels.recognizer(modelKey, modelBytes::value, modelName,
                new EmotionRecognizer.Options(FaceDetector.Kind.valueOf(detector), minFaceSize, maxPixels, false, wholeFrame, align,
                        priorCorrection));
        return fer2013 ? new Fer2013Batches(rows, recognizer.model()) : new PhotoRows(rows, recognizer);
    }

    /** The row's values with faces and error appended. */
    private Row withResult(Row row, List<Row> faces, String error) {
        Object[] values = new Object[width + 2];
        for (int i = 0; i < width; i++) {
            values[i] = row.get(i);
        }
        values[width] = faces == null ? null : CollectionConverters.asScala(faces).toSeq();
        values[width + 1] = error;
        return RowFactory.create(values);
    }

    /** How errors name a row: its path, or "row 12" for a numbered row (FER2013), or "row" when there is neither. */
    private String name(Row row) {
        if (pathIndex < 0 || row.isNullAt(pathIndex)) {
            return "row";
        }
        Object value = row.get(pathIndex);
        return value instanceof String path ? path : pathName + " " + value;
    }

    private static Row face(FaceBox box, float[] probabilities, List<String> classNames) {
        Object[] p = new Object[probabilities.length];
        for (int c = 0; c < p.length; c++) {
            p[c] = (double) probabilities[c];
        }
        // A FER2013 row is a face already cut: the whole 48x48 frame, found by no detector.
        return RowFactory.create(RowFactory.create(box.x(), box.y(), box.width(), box.height()), RowFactory.create(p),
                classNames.get(Classifier.mostProbable(probabilities)), RecognizedFace.WHOLE_FRAME, null);
    }

    private static Row face(RecognizedFace face) {
        FaceBox box = face.box();
        return RowFactory.create(RowFactory.create(box.x(), box.y(), box.width(), box.height()),
                RowFactory.create(face.probabilities().values().toArray()), face.dominant(), face.detector(),
                Double.isNaN(face.confidence()) ? null : face.confidence());
    }

    /** Why a row failed: the decoder's own words for a bad file, the exception otherwise (a bug, but still one row). */
    private static String reason(String name, RuntimeException e) {
        return e instanceof InvalidInputException ? e.getMessage()
                : name + ": could not be read (" + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")";
    }

    /** Photos, one at a time and lazily, so that a partition never holds more than one decoded image. */
    private final class PhotoRows implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final EmotionRecognizer recognizer;

        PhotoRows(Iterator<Row> rows, EmotionRecognizer recognizer) {
            this.rows = rows;
            this.recognizer = recognizer;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public Row next() {
            Row row = rows.next();
            String name = name(row);
            if (row.isNullAt(inputIndex)) {
                return withResult(row, null, name + ": no image bytes (the input column is null)");
            }
            try {
                byte[] encoded = (byte[]) row.get(inputIndex);
                List<Row> faces = new ArrayList<>();
                for (RecognizedFace face : recognizer.recognize(recognizer.decoder().decodeLumaReporting(encoded, name).image())) {
                    faces.add(face(face));
                }
                return withResult(row, faces, null);
            } catch (RuntimeException e) {
                return withResult(row, null, reason(name, e));
            }
        }
    }

    /** FER2013 rows, parsed one by one and classified in batches of {@link #FER2013_BATCH}. */
    private final class Fer2013Batches implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final Classifier model;
        private final List<Row> ready = new ArrayList<>();
        private int next;

        Fer2013Batches(Iterator<Row> rows, Classifier model) {
            this.rows = rows;
            this.model = model;
        }

        @Override
        public boolean hasNext() {
            if (next == ready.size()) {
                fill();
            }
            return next < ready.size();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.get(next++);
        }

        private void fill() {
            ready.clear();
            next = 0;
            List<Row> batch = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            byte[] pixels = new byte[FER2013_BATCH * FaceSet.PIXELS];
            int faces = 0;
            while (batch.size() < FER2013_BATCH && rows.hasNext()) {
                Row row = rows.next();
                batch.add(row);
                String error;
                if (row.isNullAt(inputIndex)) {
                    error = name(row) + ": no pixels field";
                } else {
                    try {
                        byte[] face = Fer2013Reader.pixels(row.getString(inputIndex));
                        System.arraycopy(face, 0, pixels, faces * FaceSet.PIXELS, FaceSet.PIXELS);
                        faces++;
                        error = null;
                    } catch (InvalidInputException e) {
                        error = name(row) + ": " + e.getMessage();
                    }
                }
                errors.add(error);
            }
            float[][] probabilities = new float[0][];
            if (faces > 0) {
                // The same call fer evaluate makes (Evaluation.on): the model sees the rows as a FaceSet.
                FaceSet set = new FaceSet(java.util.Arrays.copyOf(pixels, faces * FaceSet.PIXELS), new byte[faces], new byte[faces],
                        modelName, "");
                int[] indices = new int[faces];
                for (int i = 0; i < faces; i++) {
                    indices[i] = i;
                }
                try {
                    probabilities = model.probabilities(set, indices);
                } catch (RuntimeException e) {
                    // Not expected for well-formed pixels; still a batch of rows with errors, not a failed task.
                    for (int i = 0; i < errors.size(); i++) {
                        if (errors.get(i) == null) {
                            errors.set(i, reason(name(batch.get(i)), e));
                        }
                    }
                }
            }
            FaceBox whole = new FaceBox(0, 0, FaceSet.SIDE, FaceSet.SIDE);
            int k = 0;
            for (int i = 0; i < batch.size(); i++) {
                String error = errors.get(i);
                ready.add(error != null ? withResult(batch.get(i), null, error)
                        : withResult(batch.get(i), List.of(face(whole, probabilities[k++], model.classNames())), null));
            }
        }
    }
}

package io.github.fer4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.TestData;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.vision.EmotionRecognizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fer-spark score --fer2013 on 2,000 FER2013 rows (drawn faces when FER2013 is absent) against fer evaluate's Evaluation. */
class Fer2013ScoringTest {
    private static final int ROWS = 2000;

    @TempDir
    Path dir;

    @Test
    void scoresEveryRowAsFerEvaluateDoes() throws Exception {
        Path csv = dir.resolve("fer2013-rows.csv");
        Files.write(csv, rows());
        SparkSession spark = LocalSpark.session();
        Path output = dir.resolve("rows.parquet");
        assertEquals(0, FerSpark.execute("score", "--fer2013", "--input", csv.toString(), "--output", output.toString()));
        List<Row> rows = spark.read().parquet(output.toString()).orderBy("row").collectAsList();
        assertEquals(List.of("row", "emotion", "pixels", "Usage", "faces", "error").stream().filter(c -> !c.equals("pixels")).toList(),
                List.of(rows.get(0).schema().fieldNames()));
        assertEquals(ROWS, rows.size());

        // What fer evaluate computes for these rows: Evaluation.on(model, faces, indices) is exactly this.
        Classifier model = EmotionRecognizer.defaultModel();
        FaceSet faces = Fer2013Reader.read(csv);
        int[] all = IntStream.range(0, faces.size()).toArray();
        float[][] expected = model.probabilities(faces, all);
        int[] truth = model.task().labels(faces, all);
        Evaluation evaluate = Evaluation.of(model.classNames(), truth, expected);

        float[][] scored = new float[ROWS][];
        for (int i = 0; i < ROWS; i++) {
            Row row = rows.get(i);
            assertEquals(i + 1, row.getLong(0));
            assertEquals(String.valueOf(faces.emotionId(i)), row.getString(1), "row " + (i + 1) + " is the csv's row " + (i + 1));
            assertTrue(row.isNullAt(4), "row " + (i + 1) + ": " + row.get(4));
            List<Row> found = row.getList(3);
            assertEquals(1, found.size());
            Row face = found.get(0);
            assertEquals(List.of(0, 0, 48, 48), List.of(face.getStruct(0).getInt(0), face.getStruct(0).getInt(1),
                    face.getStruct(0).getInt(2), face.getStruct(0).getInt(3)));
            Row p = face.getStruct(1);
            scored[i] = new float[p.size()];
            for (int c = 0; c < p.size(); c++) {
                scored[i][c] = (float) p.getDouble(c);
                assertEquals(model.classNames().get(c), p.schema().fieldNames()[c]);
            }
            // Batches of 256 rows against fer evaluate's chunks: the same network, so the same numbers up to float rounding.
            for (int c = 0; c < p.size(); c++) {
                assertEquals(expected[i][c], scored[i][c], 1e-5, "row " + (i + 1) + " class " + c);
            }
            assertEquals(model.classNames().get(Classifier.mostProbable(expected[i])), face.getString(2), "row " + (i + 1));
            assertEquals("whole-frame", face.getString(3), "row " + (i + 1) + ": a FER2013 row is a face already cut");
        }
        Evaluation spark2 = Evaluation.of(model.classNames(), truth, scored);
        assertEquals(evaluate.accuracy(), spark2.accuracy());
        assertEquals(evaluate.aca(), spark2.aca());
        assertArrayEquals(evaluate.confusionMatrix().counts(), spark2.confusionMatrix().counts());
    }

    @Test
    void aBadRowIsARowWithItsReason() throws Exception {
        FaceSet drawn = SyntheticFaces.generate(1, 5);
        String good = pixels(drawn, 0);
        Path csv = dir.resolve("bad-rows.csv");
        Files.writeString(csv, String.join("\n",
                "emotion,pixels,Usage",
                "3," + good + ",PublicTest",
                "3," + good.substring(0, good.lastIndexOf(' ')) + ",PublicTest",
                "4," + good.replaceFirst("^\\d+ \\d+ ", "12 256 ") + ",PublicTest",
                "5," + good.replaceFirst(" \\d+ ", " x7 ") + ",PublicTest",
                "6,,PublicTest",
                "2") + "\n");
        SparkSession spark = LocalSpark.session();
        Path output = dir.resolve("bad.parquet");
        assertEquals(0, FerSpark.execute("score", "--fer2013", "--input", csv.toString(), "--output", output.toString()));
        List<Row> rows = spark.read().parquet(output.toString()).orderBy("row").collectAsList();
        List<String> errors = new ArrayList<>();
        rows.forEach(r -> errors.add(r.isNullAt(4) ? null : r.getString(4)));
        assertEquals(java.util.Arrays.asList(null,
                "row 2: expected 2304 pixels, found 2303",
                "row 3: pixel 2 is outside 0..255: 256",
                "row 4: pixel 2 is not an integer: unexpected character 'x'",
                "row 5: no pixels field",
                "row 6: no pixels field"), errors);
        assertEquals(1, rows.get(0).getList(3).size());
        assertTrue(rows.get(1).isNullAt(3));
    }

    /** The csv's header and 2,000 rows: FER2013's PublicTest lines as they are in the file, or drawn faces without it. */
    private static List<String> rows() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("emotion,pixels,Usage");
        if (TestData.fer2013().isPresent()) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(TestData.fer2013().get())), StandardCharsets.US_ASCII))) {
                String line;
                while (lines.size() <= ROWS && (line = in.readLine()) != null) {
                    if (line.endsWith(",PublicTest")) {
                        lines.add(line);
                    }
                }
            }
        } else {
            FaceSet drawn = SyntheticFaces.generate(ROWS, 11);
            for (int i = 0; i < ROWS; i++) {
                lines.add(drawn.emotionId(i) + "," + pixels(drawn, i) + ",PublicTest");
            }
        }
        return lines;
    }

    private static String pixels(FaceSet faces, int i) {
        StringJoiner s = new StringJoiner(" ");
        for (int p = 0; p < FaceSet.PIXELS; p++) {
            s.add(String.valueOf(faces.pixel(i, p)));
        }
        return s.toString();
    }
}

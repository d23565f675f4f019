package io.github.fer4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.cli.Fer;
import io.github.fer4j.data.FaceSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fer-spark score on 500 composed photos and 10 broken files in local[2]: every photo's faces equal what fer predict
 * --engine onnxruntime --json gives for it (the fer command run in this JVM, on the fp32 engine Spark uses), and every broken file is one row with fer predict's reason.
 */
class PhotoScoringTest {
    private static final int PHOTOS = 500;

    @TempDir
    static Path dir;

    static Path photos;
    static Map<String, byte[]> bad;

    @BeforeAll
    static void compose() throws Exception {
        FaceSet faces = ComposedPhotos.faces();
        photos = dir.resolve("photos");
        ComposedPhotos.write(photos, faces, PHOTOS, 12);
        bad = ComposedPhotos.badFiles(faces);
        Files.createDirectories(photos.resolve("broken"));
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            Files.write(photos.resolve("broken").resolve(e.getKey()), e.getValue());
        }
    }

    @Test
    void everyPhotoAsFerPredictReadsItAndEveryBrokenFileIsOneRowWithItsReason() throws Exception {
        SparkSession spark = LocalSpark.session();
        Path output = dir.resolve("faces.parquet");
        int loadsBefore = ExecutorModels.loads();
        assertEquals(0, FerSpark.execute("score", "--input", photos.toString(), "--output", output.toString(), "--partitions", "8"));
        assertTrue(ExecutorModels.loads() - loadsBefore <= 1, "one model load per JVM, not per task: "
                + (ExecutorModels.loads() - loadsBefore) + " loads for 8 partitions");
        assertTrue(Files.isRegularFile(output.resolve("_SUCCESS")));

        Path json = dir.resolve("predict.json");
        // fer predict exits 2 because some files could not be read; its JSON has every file all the same.
        // Spark scores on the exact fp32 engine, as the batch commands do; fer predict's own default is int8.
        assertEquals(2, Fer.execute("predict", "--engine", "onnxruntime", "--json", json.toString(), photos.toString()));
        Map<String, JsonObject> predicted = new HashMap<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonArray("photos")) {
            predicted.put(Path.of(e.getAsJsonObject().get("file").getAsString()).getFileName().toString(), e.getAsJsonObject());
        }

        List<Row> rows = spark.read().parquet(output.toString()).collectAsList();
        assertEquals(PHOTOS + bad.size(), rows.size(), "one row per file");
        assertEquals(List.of("path", "faces", "error"), List.of(rows.get(0).schema().fieldNames()));
        int faces = 0;
        int noFace = 0;
        for (Row row : rows) {
            String path = row.getString(0);
            String name = path.substring(path.lastIndexOf('/') + 1);
            JsonObject expected = predicted.get(name);
            assertNotNull(expected, "fer predict read " + name);
            if (bad.containsKey(name)) {
                assertTrue(row.isNullAt(1), name + ": no faces for a file that could not be read");
                String reason = expected.get("error").getAsString();
                reason = reason.substring(reason.indexOf(name) + name.length());
                assertTrue(reason.length() > 2, name + ": a reason");
                assertTrue(!row.isNullAt(2) && row.getString(2).endsWith(name + reason),
                        name + ": expected the reason '" + reason + "', got '" + row.getString(2) + "'");
                continue;
            }
            assertNull(row.get(2), name + ": " + row.get(2));
            assertFalse(expected.has("error"), name);
            JsonArray want = expected.getAsJsonArray("faces");
            List<Row> got = row.getList(1);
            assertEquals(want.size(), got.size(), name + ": faces");
            for (int f = 0; f < got.size(); f++) {
                JsonObject w = want.get(f).getAsJsonObject();
                Row g = got.get(f);
                Row box = g.getStruct(0);
                JsonObject wantBox = w.getAsJsonObject("box");
                assertEquals(List.of(wantBox.get("x").getAsInt(), wantBox.get("y").getAsInt(), wantBox.get("width").getAsInt(),
                        wantBox.get("height").getAsInt()), List.of(box.getInt(0), box.getInt(1), box.getInt(2), box.getInt(3)), name);
                Row probabilities = g.getStruct(1);
                JsonObject wantProbabilities = w.getAsJsonObject("probabilities");
                assertEquals(wantProbabilities.size(), probabilities.size(), name);
                for (int c = 0; c < probabilities.size(); c++) {
                    String cls = probabilities.schema().fieldNames()[c];
                    assertEquals(wantProbabilities.get(cls).getAsDouble(), probabilities.getDouble(c), name + " " + cls);
                }
                assertEquals(w.get("dominant").getAsString(), g.getString(2), name);
                assertEquals(w.get("detector").getAsString(), g.getString(3), name + ": the detector that found the face");
                assertEquals(w.has("confidence"), !g.isNullAt(4), name + ": a confidence where the detector gives one");
            }
            faces += got.size();
            noFace += got.isEmpty() ? 1 : 0;
        }
        // The check is only as good as the photos: most must have faces found, and some none.
        assertTrue(faces > PHOTOS / 2, faces + " faces found in " + PHOTOS + " photos");
        assertTrue(noFace > 0, "some photos have no face");
    }

    @Test
    void fitsInAPipelineAndKeepsTheInputColumns() {
        SparkSession spark = LocalSpark.session();
        Dataset<Row> files = ScoreInputs.photos(spark, photos.resolve("broken").toString());
        EmotionTransformer transformer = new EmotionTransformer(ScoringModel.defaultModel());
        Dataset<Row> scored = new Pipeline().setStages(new PipelineStage[] {transformer}).fit(files).transform(files);
        assertEquals(List.of("path", "modificationTime", "length", "content", "faces", "error"), List.of(scored.columns()));
        assertEquals(bad.size(), scored.where("error IS NOT NULL AND faces IS NULL").count());
        EmotionTransformer copy = transformer.copy(new org.apache.spark.ml.param.ParamMap().put(transformer.errorCol(), "why"));
        assertEquals(List.of("path", "modificationTime", "length", "content", "faces", "why"), List.of(copy.transform(files).columns()));
        // The prior correction is fer predict's by default, and a power from 0 to 1.
        assertEquals(0.5, transformer.options().priorCorrection());
        assertEquals(0.0, transformer.setPriorCorrection(0).options().priorCorrection());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> transformer.setPriorCorrection(1.5));
    }
}

package io.github.fer4j.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.train.TrainingHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedStudyTest {
    @TempDir
    Path out;

    @Test
    void writesEveryRunAndASummaryWithTheSeedsNumbers() throws IOException {
        List<String> log = new ArrayList<>();
        SeedStudy study = new SeedStudy(new SeedStudy.Config(2, 1, 2, 1, 1), log::add, run -> List.of());
        JsonObject summary = study.run(SyntheticFaces.generate(1500, 1), true, out);
        assertEquals(5, summary.getAsJsonArray("runs").size());
        for (SeedStudy.Run run : study.runs()) {
            Path dir = out.resolve(run.id());
            assertTrue(Files.size(dir.resolve("model.fer")) > 0, run.id());
            assertEquals(3, Files.readAllLines(dir.resolve("history.csv")).size(), "header + 2 epochs");
            assertEquals(TrainingHistory.HEADER, Files.readAllLines(dir.resolve("history.csv")).get(0));
            JsonObject metrics = JsonParser.parseString(Files.readString(dir.resolve("metrics-PublicTest.json"))).getAsJsonObject();
            assertTrue(metrics.has("aca") && metrics.has("confusionMatrix"));
            assertEquals(run.tuned(), Files.exists(dir.resolve("metrics-PrivateTest.json")), "PrivateTest only for tuned runs");
        }
        String table = Files.readString(out.resolve("summary.md"));
        assertTrue(table.contains("| binary ACA, threshold 0.5 | 0.5078 |"), table);
        assertTrue(table.contains("| multiclass ACA | 0.1368 |"), table);
        assertTrue(summary.getAsJsonObject("data").get("synthetic").getAsBoolean());
        assertTrue(Files.exists(out.resolve(SeedStudy.SUMMARY)));
        assertEquals(5, log.stream().filter(l -> l.startsWith("run ")).count());
        List<Examples.Face> examples = Examples.read(out);
        assertEquals(7 * 8, examples.stream().filter(f -> f.group().equals("sample")).count(), "8 samples per emotion");
        assertTrue(examples.stream().anyMatch(f -> f.group().equals("mistake")));
        JsonObject sweep = JsonParser.parseString(Files.readString(out.resolve("sweep/sweep.json"))).getAsJsonObject();
        assertEquals(9, sweep.getAsJsonArray("cells").size());
    }

    @Test
    void aShortCnnRunJoinsTheStudyTable() throws IOException {
        SeedStudy study = new SeedStudy(new SeedStudy.Config(1, 1, 1, 1, 0)
                .withCnn(io.github.fer4j.train.Settings.of("epochs", "1", "architecture", "tiny", "batch", "32")),
                line -> { }, run -> List.of());
        JsonObject summary = study.run(SyntheticFaces.generate(900, 2), true, out);
        assertEquals(6, summary.getAsJsonArray("runs").size());
        JsonObject cnn = summary.getAsJsonArray("runs").get(5).getAsJsonObject();
        assertEquals(SeedStudy.MULTICLASS_CNN, cnn.get("id").getAsString());
        assertEquals("cnn", cnn.get("model").getAsString());
        assertTrue(Files.exists(out.resolve(SeedStudy.MULTICLASS_CNN).resolve("metrics-PrivateTest.json")));
        String table = summary.get("comparisonTable").getAsString();
        assertTrue(table.contains("fer4j, CNN (PublicTest)"), table);
        double aca = cnn.getAsJsonObject("metrics").getAsJsonObject("PublicTest").get("aca").getAsDouble();
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "%.4f", aca)), table);
    }
}

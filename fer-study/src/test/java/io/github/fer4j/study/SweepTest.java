package io.github.fer4j.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.train.Settings;
import io.github.fer4j.linear.SoftmaxRegression;
import io.github.fer4j.task.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {
    @TempDir
    Path out;

    @Test
    void interruptedSweepResumesAndSettingsChangesRerunCells() throws IOException {
        FaceSet faces = SyntheticFaces.generate(900, 4);
        Sweep.Grid grid = new Sweep.Grid(Task.EMOTIONS, SoftmaxRegression.KIND,
                Settings.of("epochs", "2", "schedule", "constant", "l2", "0", "seed", "1"), List.of(1e-3, 1e-2), List.of(50, 100));
        List<String> first = new ArrayList<>();
        JsonObject full = new Sweep(grid, first::add, id -> List.of()).run(faces, out);
        assertEquals(4, full.getAsJsonArray("cells").size());

        // Simulate an interruption after two cells: remove the summary and two cell files.
        Files.delete(out.resolve(Sweep.SUMMARY));
        Files.delete(out.resolve("cells/" + Sweep.cellId(1e-2, 50) + ".json"));
        Files.delete(out.resolve("cells/" + Sweep.cellId(1e-2, 100) + ".json"));
        List<String> second = new ArrayList<>();
        JsonObject resumed = new Sweep(grid, second::add, id -> List.of()).run(faces, out);
        assertEquals(2, second.stream().filter(l -> l.contains("already done")).count(), String.join("\n", second));
        for (int i = 0; i < 4; i++) {
            JsonObject a = full.getAsJsonArray("cells").get(i).getAsJsonObject();
            JsonObject b = resumed.getAsJsonArray("cells").get(i).getAsJsonObject();
            assertEquals(a.get("accuracy"), b.get("accuracy"), "same seed: a rerun cell equals the uninterrupted one");
            assertEquals(a.get("aca"), b.get("aca"));
        }

        Sweep.Grid longer = new Sweep.Grid(Task.EMOTIONS, SoftmaxRegression.KIND,
                Settings.of("epochs", "3", "schedule", "constant", "l2", "0", "seed", "1"), List.of(1e-3), List.of(50));
        List<String> third = new ArrayList<>();
        new Sweep(longer, third::add, id -> List.of()).run(faces, out);
        assertTrue(third.stream().noneMatch(l -> l.contains("already done")), "other epochs: the cell runs again");
    }
}

package io.github.fer4j.study;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.model.AtomicFiles;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.MetricsSummary;
import io.github.fer4j.task.Task;
import io.github.fer4j.train.Settings;
import io.github.fer4j.train.TrainerFamily;
import io.github.fer4j.train.TrainingHistory;
import io.github.fer4j.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A grid search over learning rate x batch size, judged on PublicTest (accuracy and ACA of the last epoch).
 * Each finished cell is written at once to {@code cells/}; a second run with the same settings skips the
 * cells already there, so an interrupted sweep resumes where it stopped. {@code sweep.json} is written last.
 */
public final class Sweep {
    public static final String SUMMARY = "sweep.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /**
     * The grid: a model kind with the settings every cell shares (as {@link TrainerFamily} takes them: epochs,
     * schedule, seed, ...), and the learning rates and batch sizes it crosses.
     */
    public record Grid(Task task, String kind, Settings settings, List<Double> learningRates, List<Integer> batchSizes) {
        public Grid {
            if (learningRates.isEmpty() || batchSizes.isEmpty()) {
                throw new IllegalArgumentException("a sweep needs at least one learning rate and one batch size");
            }
            if (settings.has("lr") || settings.has("batch")) {
                throw new IllegalArgumentException("a sweep sets lr and batch itself");
            }
            learningRates = List.copyOf(learningRates);
            batchSizes = List.copyOf(batchSizes);
            // Fails here, before any cell, on a setting the family does not take.
            TrainerFamily.of(kind).trainer(kind, settings);
        }

        Settings cell(double lr, int batch) {
            return settings.with("lr", lr).with("batch", batch);
        }
    }

    /** One finished cell. */
    public record Cell(double learningRate, int batchSize, double accuracy, double aca, double seconds, boolean resumed) { }

    private final Grid grid;
    private final Consumer<String> log;
    private final Function<String, List<TrainingListener>> listeners;

    public Sweep(Grid grid, Consumer<String> log, Function<String, List<TrainingListener>> listeners) {
        this.grid = grid;
        this.log = log;
        this.listeners = listeners;
    }

    static String cellId(double lr, int batch) {
        return String.format(Locale.ROOT, "lr%s-batch%d", Double.toString(lr), batch);
    }

    /** The settings that make a finished cell reusable: a cell written under other settings is run again. */
    private JsonObject settings(double lr, int batch) {
        JsonObject s = new JsonObject();
        s.addProperty("task", grid.task().cliName());
        s.addProperty("model", grid.kind());
        s.addProperty("learningRate", lr);
        s.addProperty("batchSize", batch);
        new java.util.TreeSet<>(grid.settings().names()).forEach(name -> s.addProperty(name, grid.settings().text(name, "")));
        return s;
    }

    public JsonObject run(FaceSet faces, Path out) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw io.github.fer4j.data.InvalidInputException.at(out, "is a file, not an output folder");
        }
        Path cells = out.resolve("cells");
        Files.createDirectories(cells);
        Files.deleteIfExists(out.resolve(SUMMARY));
        List<Cell> done = new ArrayList<>();
        int total = grid.learningRates().size() * grid.batchSizes().size();
        int n = 0;
        int epochs = 0;
        String schedule = "";
        for (double lr : grid.learningRates()) {
            for (int batch : grid.batchSizes()) {
                n++;
                String id = cellId(lr, batch);
                Path file = cells.resolve(id + ".json");
                JsonObject settings = settings(lr, batch);
                if (Files.exists(file)) {
                    JsonObject saved = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
                    if (saved.get("settings").equals(settings) && saved.has("epochs")) {
                        epochs = saved.get("epochs").getAsInt();
                        schedule = saved.get("schedule").getAsString();
                        Cell cell = new Cell(lr, batch, saved.get("accuracy").getAsDouble(), saved.get("aca").getAsDouble(),
                                saved.get("seconds").getAsDouble(), true);
                        done.add(cell);
                        log.accept(String.format(Locale.ROOT, "sweep %d/%d %s: already done (accuracy %.4f, ACA %.4f)",
                                n, total, id, cell.accuracy(), cell.aca()));
                        continue;
                    }
                }
                TrainingHistory history = new TrainingHistory();
                List<TrainingListener> all = new ArrayList<>(listeners.apply(id));
                all.add(history);
                Classifier model = TrainerFamily.of(grid.kind()).trainer(grid.kind(), grid.cell(lr, batch))
                        .fitAll(faces, grid.task(), all);
                MetricsSummary metrics = model.info().metrics().get("PublicTest");
                if (metrics == null) {
                    throw new io.github.fer4j.data.InvalidInputException(faces.source() + ": a sweep judges cells on PublicTest, "
                            + "and these faces have none");
                }
                JsonObject training = model.info().training().settings();
                epochs = training.get("epochs").getAsInt();
                schedule = training.get("schedule").getAsString();
                Cell cell = new Cell(lr, batch, metrics.accuracy(), metrics.aca(),
                        history.totalSeconds(), false);
                JsonObject json = new JsonObject();
                json.add("settings", settings);
                json.addProperty("accuracy", cell.accuracy());
                json.addProperty("aca", cell.aca());
                json.addProperty("seconds", cell.seconds());
                json.addProperty("epochs", epochs);
                json.addProperty("schedule", schedule);
                AtomicFiles.writeString(file, GSON.toJson(json));
                done.add(cell);
                log.accept(String.format(Locale.ROOT, "sweep %d/%d %s: accuracy %.4f, ACA %.4f (%.1f s)", n, total, id,
                        cell.accuracy(), cell.aca(), cell.seconds()));
            }
        }
        JsonObject summary = toJson(done, epochs, schedule);
        AtomicFiles.writeString(out.resolve("sweep.md"), table(done));
        AtomicFiles.writeString(out.resolve(SUMMARY), GSON.toJson(summary));
        return summary;
    }

    private JsonObject toJson(List<Cell> cells, int epochs, String schedule) {
        JsonObject json = new JsonObject();
        json.addProperty("task", grid.task().cliName());
        json.addProperty("model", grid.kind());
        json.addProperty("epochs", epochs);
        json.addProperty("schedule", schedule);
        json.addProperty("split", "PublicTest");
        json.add("learningRates", GSON.toJsonTree(grid.learningRates()));
        json.add("batchSizes", GSON.toJsonTree(grid.batchSizes()));
        JsonArray list = new JsonArray();
        Cell best = cells.get(0);
        for (Cell c : cells) {
            JsonObject o = new JsonObject();
            o.addProperty("learningRate", c.learningRate());
            o.addProperty("batchSize", c.batchSize());
            o.addProperty("accuracy", c.accuracy());
            o.addProperty("aca", c.aca());
            o.addProperty("seconds", c.seconds());
            list.add(o);
            if (c.aca() > best.aca()) {
                best = c;
            }
        }
        json.add("cells", list);
        JsonObject b = new JsonObject();
        b.addProperty("learningRate", best.learningRate());
        b.addProperty("batchSize", best.batchSize());
        b.addProperty("accuracy", best.accuracy());
        b.addProperty("aca", best.aca());
        json.add("bestByAca", b);
        return json;
    }

    private String table(List<Cell> cells) {
        StringBuilder t = new StringBuilder("| learning rate | batch | PublicTest accuracy | PublicTest ACA | seconds |\n|---|---|---|---|---|\n");
        for (Cell c : cells) {
            t.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.1f |%n", Double.toString(c.learningRate()),
                    c.batchSize(), c.accuracy(), c.aca(), c.seconds()));
        }
        return t.toString();
    }
}

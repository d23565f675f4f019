package io.github.fer4j.study;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.features.PixelFeatures;
import io.github.fer4j.linear.ClassWeights;
import io.github.fer4j.linear.LearningRate;
import io.github.fer4j.linear.LinearClassifier;
import io.github.fer4j.linear.LogisticRegression;
import io.github.fer4j.linear.SgdConfig;
import io.github.fer4j.linear.SoftmaxRegression;
import io.github.fer4j.linear.TrainingHistory;
import io.github.fer4j.linear.TrainingListener;
import io.github.fer4j.model.AtomicFiles;
import io.github.fer4j.task.Task;
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

    /** The grid and the fixed settings of every cell. */
    public record Grid(Task task, String kind, List<Double> learningRates, List<Integer> batchSizes, int epochs,
                       String schedule, double l2, ClassWeights classWeights, long seed) {
        public Grid {
            if (learningRates.isEmpty() || batchSizes.isEmpty()) {
                throw new IllegalArgumentException("a sweep needs at least one learning rate and one batch size");
            }
            learningRates = List.copyOf(learningRates);
            batchSizes = List.copyOf(batchSizes);
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
        s.addProperty("epochs", grid.epochs());
        s.addProperty("schedule", grid.schedule());
        s.addProperty("l2", grid.l2());
        s.addProperty("classWeights", grid.classWeights().name());
        s.addProperty("seed", grid.seed());
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
        for (double lr : grid.learningRates()) {
            for (int batch : grid.batchSizes()) {
                n++;
                String id = cellId(lr, batch);
                Path file = cells.resolve(id + ".json");
                JsonObject settings = settings(lr, batch);
                if (Files.exists(file)) {
                    JsonObject saved = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
                    if (saved.get("settings").equals(settings)) {
                        Cell cell = new Cell(lr, batch, saved.get("accuracy").getAsDouble(), saved.get("aca").getAsDouble(),
                                saved.get("seconds").getAsDouble(), true);
                        done.add(cell);
                        log.accept(String.format(Locale.ROOT, "sweep %d/%d %s: already done (accuracy %.4f, ACA %.4f)",
                                n, total, id, cell.accuracy(), cell.aca()));
                        continue;
                    }
                }
                SgdConfig config = new SgdConfig(grid.epochs(), batch, LearningRate.parse(grid.schedule(), lr, grid.epochs()),
                        grid.l2(), 0, grid.classWeights(), 0, grid.seed());
                TrainingHistory history = new TrainingHistory();
                List<TrainingListener> all = new ArrayList<>(listeners.apply(id));
                all.add(history);
                LinearClassifier model = grid.kind().equals(LogisticRegression.KIND)
                        ? LogisticRegression.fit(faces, grid.task(), new PixelFeatures(), config, all)
                        : SoftmaxRegression.fit(faces, grid.task(), new PixelFeatures(), config, all);
                JsonObject metrics = model.info().getAsJsonObject("metrics").getAsJsonObject("PublicTest");
                Cell cell = new Cell(lr, batch, metrics.get("accuracy").getAsDouble(), metrics.get("aca").getAsDouble(),
                        history.totalSeconds(), false);
                JsonObject json = new JsonObject();
                json.add("settings", settings);
                json.addProperty("accuracy", cell.accuracy());
                json.addProperty("aca", cell.aca());
                json.addProperty("seconds", cell.seconds());
                AtomicFiles.writeString(file, GSON.toJson(json));
                done.add(cell);
                log.accept(String.format(Locale.ROOT, "sweep %d/%d %s: accuracy %.4f, ACA %.4f (%.1f s)", n, total, id,
                        cell.accuracy(), cell.aca(), cell.seconds()));
            }
        }
        JsonObject summary = toJson(done);
        AtomicFiles.writeString(out.resolve("sweep.md"), table(done));
        AtomicFiles.writeString(out.resolve(SUMMARY), GSON.toJson(summary));
        return summary;
    }

    private JsonObject toJson(List<Cell> cells) {
        JsonObject json = new JsonObject();
        json.addProperty("task", grid.task().cliName());
        json.addProperty("model", grid.kind());
        json.addProperty("epochs", grid.epochs());
        json.addProperty("schedule", grid.schedule());
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

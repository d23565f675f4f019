package io.github.fer4j.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.eval.Calibration;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.eval.ThresholdSweep;
import io.github.fer4j.train.EpochStats;
import io.github.fer4j.train.TrainingHistory;
import io.github.fer4j.model.AtomicFiles;
import io.github.fer4j.study.Examples;
import io.github.fer4j.study.SeedStudy;
import io.github.fer4j.task.Task;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws every figure of a finished study (a folder with {@code summary.json}) and writes {@code index.html},
 * laid out like the seeds' paper: Data, Binary task, Multiclass task, Hyper-parameters, and the seeds'
 * numbers beside ours. Reads only saved results, so the report can be drawn again without training; the
 * page is self-contained (inline style, figures as files beside it, nothing from the network).
 */
public final class Report {
    public static final String INDEX = "index.html";
    public static final String FIGURES = "figures";

    private final Path dir;
    private final JsonObject summary;
    private final Map<String, JsonObject> runs = new LinkedHashMap<>();
    private final StringBuilder html = new StringBuilder();
    private FigureWriter figures;
    private List<Examples.Face> examples;

    private Report(Path dir, JsonObject summary) {
        this.dir = dir;
        this.summary = summary;
        for (JsonElement e : summary.getAsJsonArray("runs")) {
            runs.put(e.getAsJsonObject().get("id").getAsString(), e.getAsJsonObject());
        }
    }

    /** Renders the report of the study in {@code dir}; returns the figure files written. */
    public static List<Path> render(Path dir) throws IOException {
        Path summaryFile = dir.resolve(SeedStudy.SUMMARY);
        if (!Files.isRegularFile(summaryFile)) {
            throw InvalidInputException.at(dir, "no " + SeedStudy.SUMMARY + " here: not a finished fer reproduce folder");
        }
        JsonObject summary;
        try {
            summary = JsonParser.parseString(Files.readString(summaryFile)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw InvalidInputException.at(summaryFile, "not valid JSON: " + e.getMessage());
        }
        Report report = new Report(dir, summary);
        report.figures = new FigureWriter(dir.resolve(FIGURES));
        report.examples = Examples.read(dir);
        report.write();
        return report.figures.written();
    }

    /** A run's evaluation on a split, read back from the summary into its typed form; null when there is none. */
    private Evaluation metrics(String run, String split) {
        JsonObject r = runs.get(run);
        if (r == null) {
            return null;
        }
        JsonObject m = r.getAsJsonObject("metrics");
        return m.has(split) ? Evaluation.fromJson(m.getAsJsonObject(split)) : null;
    }

    private List<EpochStats> history(String run) throws IOException {
        return TrainingHistory.readCsv(dir.resolve(runs.get(run).get("historyCsv").getAsString()));
    }

    private void write() throws IOException {
        JsonObject data = summary.getAsJsonObject("data");
        boolean synthetic = data.get("synthetic").getAsBoolean();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>fer4j: the seeds' study, reproduced</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}")
                .append("h1{font-size:1.7em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2em}")
                .append("figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}")
                .append("figcaption{font-size:.92em;color:#444;margin-top:.3em}")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:.93em}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}th{background:#eef4fa}.note{background:#fff6e0;padding:.6em 1em;border-left:4px solid #E69F00}")
                .append(".grid{display:flex;flex-wrap:wrap;gap:1em}.grid figure{flex:1 1 460px}")
                .append("</style></head><body>\n");
        html.append("<h1>Facial expression recognition on FER2013: the seeds' study, reproduced by fer4j</h1>\n");
        html.append("<p>Data: <code>").append(esc(data.get("source").getAsString())).append("</code>, ")
                .append(data.get("faces").getAsInt()).append(" faces");
        if (!data.get("sha256").getAsString().isEmpty()) {
            html.append(", SHA-256 <code>").append(data.get("sha256").getAsString(), 0, 16).append("…</code>");
        }
        html.append(". All metrics are on PublicTest unless marked PrivateTest; ACA is the mean per-class recall.</p>\n");
        if (synthetic) {
            html.append("<p class=\"note\">These results come from <b>synthetic faces</b> (no FER2013 file was given). ")
                    .append("The pipeline is the real one; the numbers are not FER2013's and do not compare with the seeds'.</p>\n");
        }
        comparison();
        dataSection(data);
        binarySection();
        multiclassSection();
        sweepSection();
        html.append("<p style=\"margin-top:3em;font-size:.85em;color:#666\">Generated by <code>fer report</code> from the saved results in this folder. ")
                .append("Every figure is also available as SVG (click it).</p>\n</body></html>\n");
        AtomicFiles.writeString(dir.resolve(INDEX), html.toString());
    }

    private void comparison() {
        html.append("<h2>The seeds' numbers beside ours</h2>\n");
        html.append(markdownTable(summary.get("comparisonTable").getAsString()));
        html.append("<p>Seeds' settings: lr 1e-5 constant, batch 100, seed 1, ")
                .append(summary.getAsJsonObject("config").get("epochs").getAsInt())
                .append(" epochs (the seeds ran 40,000). Tuned: standardized pixels, lr 1e-3 with a cosine schedule, L2 1e-4, ")
                .append("balanced class weights for the binary task. The seeds' multiclass ACA (0.1368) is below chance (1/7 = 0.1429): ")
                .append("a bug, since the same model with the same settings does better here.</p>\n");
    }

    private void dataSection(JsonObject data) throws IOException {
        html.append("<h2>Data</h2>\n");
        JsonObject counts = data.getAsJsonObject("countsBySplitAndEmotion");
        Map<String, int[]> bySplit = new LinkedHashMap<>();
        for (String split : counts.keySet()) {
            JsonArray a = counts.getAsJsonArray(split);
            int[] c = new int[a.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = a.get(i).getAsInt();
            }
            bySplit.put(split, c);
        }
        List<String> classes = Task.EMOTIONS.classNames();
        figure(figures.save("data-class-counts", Figures.classCounts("Faces per emotion and split", classes, bySplit)),
                "Faces per emotion in each split. Happy is the largest class and Disgust the smallest, which is why "
                        + "plain accuracy flatters a model that ignores the rare classes, and why ACA is reported beside it.");
        StringBuilder t = new StringBuilder("<table><tr><th>split</th>");
        classes.forEach(c -> t.append("<th>").append(c).append("</th>"));
        t.append("<th>all</th></tr>");
        bySplit.forEach((split, c) -> {
            t.append("<tr><td>").append(split).append("</td>");
            int sum = 0;
            for (int v : c) {
                t.append("<td>").append(v).append("</td>");
                sum += v;
            }
            t.append("<td>").append(sum).append("</td></tr>");
        });
        html.append(t).append("</table>\n");
        List<FaceGrid.Row> rows = new ArrayList<>();
        for (String emotion : classes) {
            List<FaceGrid.Cell> cells = new ArrayList<>();
            examples.stream().filter(f -> f.group().equals("sample") && f.truth().equals(emotion))
                    .forEach(f -> cells.add(new FaceGrid.Cell(f.pixels(), List.of(), Color.BLACK)));
            if (!cells.isEmpty()) {
                rows.add(new FaceGrid.Row(emotion, cells));
            }
        }
        figure(figures.save("data-samples", new FaceGrid("Training faces of each emotion (seed 000, Figure 1)", rows)),
                "The first Training faces of each emotion, 48x48 gray, shown at twice their size.");
    }

    private void binarySection() throws IOException {
        html.append("<h2>Binary task: Happy vs the rest (logistic regression)</h2>\n");
        for (String id : List.of(SeedStudy.BINARY_AS_WRITTEN, SeedStudy.BINARY_STEP_DECAY, SeedStudy.BINARY_TUNED)) {
            lossFigure(id);
        }
        Map<String, List<EpochStats>> compare = new LinkedHashMap<>();
        compare.put("constant 1e-5", history(SeedStudy.BINARY_AS_WRITTEN));
        compare.put("step decay", history(SeedStudy.BINARY_STEP_DECAY));
        figure(figures.save("binary-constant-vs-step", Figures.lossComparison(
                        "Constant vs step-decay learning rate (seed 000, Figures 2 and 4)", compare)),
                String.format(Locale.ROOT, "Final validation loss: constant %.4f, step decay %.4f. Starting high and dividing "
                                + "by 10 converges in a few epochs where lr 1e-5 barely moves.",
                        last(compare.get("constant 1e-5")).validationLoss(), last(compare.get("step decay")).validationLoss()));
        for (String id : List.of(SeedStudy.BINARY_TUNED, SeedStudy.BINARY_AS_WRITTEN)) {
            Evaluation m = metrics(id, "PublicTest");
            String name = id.equals(SeedStudy.BINARY_TUNED) ? "tuned" : "seeds' settings";
            html.append("<h3>").append(esc(runs.get(id).get("title").getAsString())).append("</h3>\n<div class=\"grid\">");
            figure(figures.save(id + "-pr", Figures.precisionRecall("Precision-recall, " + name, m)),
                    String.format(Locale.ROOT, "Average precision %.4f; F1 %.4f at threshold 0.5; best F1 %.4f at threshold %.3f "
                                    + "(seeds' F-measure: 0.40). Gray dashes: points of equal F1.",
                            m.precisionRecall().averagePrecision(), m.f1(), m.precisionRecall().bestF1(),
                            m.precisionRecall().bestThreshold()));
            figure(figures.save(id + "-roc", Figures.roc("ROC, " + name, m)),
                    String.format(Locale.ROOT, "Area under the ROC curve %.4f (0.5 is chance).", m.roc().auc()));
            html.append("</div>\n");
            figure(figures.save(id + "-thresholds", Figures.thresholdSweep("Threshold sweep, " + name + " (seed 000, Table 1)", m)),
                    "Precision, recall, F1 and ACA of the Happy class when a face counts as Happy at p &ge; threshold.");
            sweepTable(m);
            confusionPair(id, m);
        }
    }

    private void sweepTable(Evaluation m) {
        Map<Double, Double> seeds = Map.of(0.4, SeedStudy.SEEDS_BINARY_ACA_04, 0.5, SeedStudy.SEEDS_BINARY_ACA, 0.6,
                SeedStudy.SEEDS_BINARY_ACA_06);
        StringBuilder t = new StringBuilder("<table><tr><th>threshold</th><th>precision</th><th>recall</th><th>F1</th><th>accuracy</th><th>ACA</th><th>seeds' ACA</th></tr>");
        for (ThresholdSweep.Row r : m.thresholdSweep()) {
            Double seed = seeds.get(Math.round(r.threshold() * 100) / 100.0);
            t.append(String.format(Locale.ROOT, "<tr%s><td>%.2f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%s</td></tr>",
                    seed != null ? " style=\"font-weight:bold\"" : "", r.threshold(), r.precision(), r.recall(), r.f1(),
                    r.accuracy(), r.aca(), seed != null ? String.format(Locale.ROOT, "%.4f", seed) : ""));
        }
        html.append(t).append("</table>\n");
    }

    private void multiclassSection() throws IOException {
        html.append("<h2>Multiclass task: 7 emotions (softmax regression)</h2>\n");
        // Every 7-emotion run of the study, in its order: the seeds' settings, tuned, and a CNN when the study had one.
        for (JsonObject run : runs.values()) {
            if (!run.get("task").getAsString().equals(Task.EMOTIONS.cliName())) {
                continue;
            }
            String id = run.get("id").getAsString();
            lossFigure(id);
            Evaluation m = metrics(id, "PublicTest");
            confusionPair(id, m);
            figure(figures.save(id + "-per-class", Figures.perClass("Per-class recall, precision and F1, " + shortName(id), m)),
                    perClassCaption(m));
            if (m.calibration() != null) {
                html.append("<div class=\"grid\">");
                figure(figures.save(id + "-reliability", Figures.reliability("Reliability, " + shortName(id), m)),
                        String.format(Locale.ROOT, "Accuracy against confidence in %d bins; expected calibration error %.4f, "
                                + "negative log-likelihood %.4f. Points under the diagonal are overconfident.", Calibration.BINS,
                                m.calibration().expectedCalibrationError(), m.calibration().negativeLogLikelihood()));
                figure(figures.save(id + "-class-distribution", Figures.classDistribution(
                        "Predicted vs true class shares, " + shortName(id), m)), "How often each emotion is said, beside how often "
                        + "it is true: a model that over-predicts a class (\"always sad\") shows a taller orange bar there.");
                html.append("</div>\n");
            }
            Evaluation privateTest = metrics(id, "PrivateTest");
            if (privateTest != null) {
                html.append(String.format(Locale.ROOT, "<p>%s on PrivateTest (touched once): accuracy %.4f, ACA %.4f, macro F1 %.4f.</p>\n",
                        esc(run.get("title").getAsString()), privateTest.accuracy(), privateTest.aca(), privateTest.macroF1()));
            }
        }
        List<FaceGrid.Row> rows = new ArrayList<>();
        for (String group : List.of("correct", "mistake")) {
            List<Examples.Face> faces = examples.stream().filter(f -> f.group().equals(group)).toList();
            for (int start = 0; start < faces.size(); start += 8) {
                List<FaceGrid.Cell> cells = new ArrayList<>();
                for (Examples.Face f : faces.subList(start, Math.min(faces.size(), start + 8))) {
                    cells.add(new FaceGrid.Cell(f.pixels(), List.of("true " + f.truth(), "said " + f.predicted(),
                            String.format(Locale.ROOT, "p = %.2f", f.probability())),
                            group.equals("correct") ? Palette.GREEN.darker() : Palette.VERMILLION));
                }
                rows.add(new FaceGrid.Row(start == 0 ? (group.equals("correct") ? "right" : "wrong") : "", cells));
            }
        }
        if (!rows.isEmpty()) {
            figure(figures.save("multiclass-predictions", new FaceGrid("Tuned softmax on PublicTest: its most confident "
                            + "right answers and its most confident mistakes", rows)),
                    "Each face with its true emotion and what the model said, with the model's probability.");
        }
    }

    private String perClassCaption(Evaluation m) {
        StringBuilder s = new StringBuilder("Recall by emotion: ");
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < m.classNames().size(); c++) {
            parts.add(String.format(Locale.ROOT, "%s %.3f", m.classNames().get(c), m.confusionMatrix().recall(c)));
        }
        return s.append(String.join(", ", parts)).append(String.format(Locale.ROOT, "; macro F1 %.4f.", m.macroF1())).toString();
    }

    /** How a run is named in figure titles. */
    private static String shortName(String id) {
        return id.endsWith("cnn") ? "CNN" : id.endsWith("tuned") ? "tuned" : id.contains("step") ? "step decay" : "seeds' settings";
    }

    private void sweepSection() throws IOException {
        if (!summary.has("sweep")) {
            return;
        }
        Path file = dir.resolve(summary.get("sweep").getAsString());
        if (!Files.isRegularFile(file)) {
            return;
        }
        JsonObject sweep = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        html.append("<h2>Hyper-parameters: learning rate x batch size</h2>\n");
        html.append(String.format(Locale.ROOT, "<p>Softmax regression on the %s task, %d epochs per cell, %s schedule, judged on PublicTest.</p>\n",
                sweep.get("task").getAsString(), sweep.get("epochs").getAsInt(), sweep.get("schedule").getAsString()));
        html.append("<div class=\"grid\">");
        figure(figures.save("sweep-accuracy", Figures.sweep("PublicTest accuracy", sweep, "accuracy")), "Accuracy of each cell.");
        figure(figures.save("sweep-aca", Figures.sweep("PublicTest ACA", sweep, "aca")), "ACA of each cell.");
        html.append("</div>\n");
        JsonObject best = sweep.getAsJsonObject("bestByAca");
        StringBuilder t = new StringBuilder("<table><tr><th>learning rate</th><th>batch</th><th>accuracy</th><th>ACA</th><th>seconds</th></tr>");
        for (JsonElement e : sweep.getAsJsonArray("cells")) {
            JsonObject c = e.getAsJsonObject();
            boolean isBest = c.get("learningRate").getAsDouble() == best.get("learningRate").getAsDouble()
                    && c.get("batchSize").getAsInt() == best.get("batchSize").getAsInt();
            t.append(String.format(Locale.ROOT, "<tr%s><td>%s</td><td>%d</td><td>%.4f</td><td>%.4f</td><td>%.1f</td></tr>",
                    isBest ? " style=\"font-weight:bold\"" : "", Double.toString(c.get("learningRate").getAsDouble()),
                    c.get("batchSize").getAsInt(), c.get("accuracy").getAsDouble(), c.get("aca").getAsDouble(), c.get("seconds").getAsDouble()));
        }
        html.append(t).append("</table><p>Bold: the best cell by ACA.</p>\n");
    }

    private void lossFigure(String id) throws IOException {
        List<EpochStats> h = history(id);
        EpochStats end = last(h);
        JsonObject run = runs.get(id);
        figure(figures.save(id + "-loss", Figures.lossCurves(run.get("title").getAsString().replaceAll(" \\(.*", "") + ": loss per epoch", h)),
                String.format(Locale.ROOT, "%s. After %d epochs (%.1f s): training loss %.4f, validation loss %.4f, "
                                + "validation accuracy %.4f, ACA %.4f.", esc(run.get("title").getAsString()), end.epoch(),
                        run.get("trainingSeconds").getAsDouble(), end.trainLoss(), end.validationLoss(), end.validationAccuracy(),
                        end.validationAca()));
    }

    private void confusionPair(String id, Evaluation m) throws IOException {
        String name = shortName(id);
        html.append("<div class=\"grid\">");
        figure(figures.save(id + "-confusion-counts", Figures.confusion("Confusion, " + name, m, false)),
                String.format(Locale.ROOT, "Counts (rows: true class). Accuracy %.4f.", m.accuracy()));
        figure(figures.save(id + "-confusion-normalized", Figures.confusion("Confusion, " + name, m, true)),
                String.format(Locale.ROOT, "Each row divided by its total; the diagonal is the per-class recall, its mean the ACA (%.4f).",
                        m.aca()));
        html.append("</div>\n");
    }

    private void figure(String png, String caption) {
        String svg = png.replaceFirst("\\.png$", ".svg");
        html.append("<figure><a href=\"").append(FIGURES).append('/').append(svg).append("\"><img src=\"").append(FIGURES)
                .append('/').append(png).append("\" alt=\"").append(esc(caption)).append("\"></a><figcaption>")
                .append(caption).append("</figcaption></figure>\n");
    }

    private static EpochStats last(List<EpochStats> h) {
        return h.get(h.size() - 1);
    }

    /** Turns the summary's Markdown table into HTML. */
    static String markdownTable(String markdown) {
        StringBuilder t = new StringBuilder("<table>");
        boolean header = true;
        for (String line : markdown.split("\n")) {
            if (!line.startsWith("|")) {
                if (!line.isBlank()) {
                    t.append("</table><p>").append(esc(line)).append("</p><table>");
                }
                continue;
            }
            if (line.startsWith("|---")) {
                continue;
            }
            String tag = header ? "th" : "td";
            t.append("<tr>");
            for (String cell : line.substring(1, line.length() - 1).split("\\|")) {
                t.append('<').append(tag).append('>').append(esc(cell.trim())).append("</").append(tag).append('>');
            }
            t.append("</tr>");
            header = false;
        }
        return t.append("</table>\n").toString().replace("<table></table>", "");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

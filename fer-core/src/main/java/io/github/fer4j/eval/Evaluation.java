package io.github.fer4j.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.MetricsSummary;
import java.util.List;
import java.util.Locale;

/**
 * Everything fer4j reports about a model on a set of faces: the confusion matrix and its metrics, and for a
 * two-class task the curves of the positive class (class 1) too. Predictions are the most probable class.
 */
public final class Evaluation {
    /** At most this many points of a curve go to JSON; metrics always use the whole curve. */
    private static final int CURVE_POINTS = 400;

    private final List<String> classNames;
    private final ConfusionMatrix matrix;
    private final PrecisionRecallCurve precisionRecall;
    private final RocCurve roc;
    private final List<ThresholdSweep.Row> sweep;
    private final Calibration calibration;

    private Evaluation(List<String> classNames, ConfusionMatrix matrix, PrecisionRecallCurve precisionRecall,
                       RocCurve roc, List<ThresholdSweep.Row> sweep, Calibration calibration) {
        this.classNames = List.copyOf(classNames);
        this.matrix = matrix;
        this.precisionRecall = precisionRecall;
        this.roc = roc;
        this.sweep = sweep;
        this.calibration = calibration;
    }

    /** Evaluates class probabilities {@code probabilities[i][c]} against true classes. */
    public static Evaluation of(List<String> classNames, int[] truth, float[][] probabilities) {
        int classes = classNames.size();
        ConfusionMatrix cm = new ConfusionMatrix(classes);
        for (int i = 0; i < truth.length; i++) {
            cm.add(truth[i], Classifier.mostProbable(probabilities[i]));
        }
        Calibration calibration = Calibration.of(truth, probabilities);
        if (classes != 2) {
            return new Evaluation(classNames, cm, null, null, List.of(), calibration);
        }
        float[] positive = new float[truth.length];
        for (int i = 0; i < truth.length; i++) {
            positive[i] = probabilities[i][1];
        }
        return new Evaluation(classNames, cm, PrecisionRecallCurve.of(truth, positive), RocCurve.of(truth, positive),
                ThresholdSweep.of(truth, positive), calibration);
    }

    /** Evaluates a model on the faces at {@code indices}, their classes taken from the model's task. */
    public static Evaluation on(Classifier model, FaceSet faces, int[] indices) {
        return of(model.classNames(), model.task().labels(faces, indices), model.probabilities(faces, indices));
    }
    public List<String> classNames() {
        return classNames;
    }

    /** The headline numbers as stored in model files (F1, average precision and ROC AUC for two classes only). */
    public MetricsSummary summary() {
        return new MetricsSummary(matrix.total(), accuracy(), aca(), macroF1(), isBinary() ? f1() : Double.NaN,
                isBinary() ? precisionRecall.averagePrecision() : Double.NaN, isBinary() ? roc.auc() : Double.NaN);
    }

    public ConfusionMatrix confusionMatrix() {
        return matrix;
    }

    public double accuracy() {
        return matrix.accuracy();
    }

    public double aca() {
        return matrix.aca();
    }

    public double macroF1() {
        return matrix.macroF1();
    }

    public boolean isBinary() {
        return precisionRecall != null;
    }

    /** F1 of the positive class at threshold 0.5 (binary only). */
    public double f1() {
        return matrix.f1(1);
    }

    public PrecisionRecallCurve precisionRecall() {
        return precisionRecall;
    }

    public RocCurve roc() {
        return roc;
    }

    public List<ThresholdSweep.Row> thresholdSweep() {
        return sweep;
    }

    /** The reliability of the model's confidence; null for an evaluation read from JSON written without it. */
    public Calibration calibration() {
        return calibration;
    }

    /** The metrics as JSON with the documented top-level keys. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("faces", matrix.total());
        json.addProperty("accuracy", matrix.accuracy());
        json.addProperty("aca", matrix.aca());
        json.addProperty("macroF1", matrix.macroF1());
        JsonObject cm = new JsonObject();
        cm.add("classes", strings(classNames));
        JsonArray counts = new JsonArray();
        for (long[] row : matrix.counts()) {
            JsonArray r = new JsonArray();
            for (long v : row) {
                r.add(v);
            }
            counts.add(r);
        }
        cm.add("counts", counts);
        JsonArray normalized = new JsonArray();
        for (double[] row : matrix.rowNormalized()) {
            normalized.add(numbers(row));
        }
        cm.add("rowNormalized", normalized);
        json.add("confusionMatrix", cm);
        JsonArray perClass = new JsonArray();
        for (int c = 0; c < classNames.size(); c++) {
            JsonObject o = new JsonObject();
            o.addProperty("class", classNames.get(c));
            o.addProperty("precision", matrix.precision(c));
            o.addProperty("recall", matrix.recall(c));
            o.addProperty("f1", matrix.f1(c));
            o.addProperty("support", matrix.support(c));
            perClass.add(o);
        }
        json.add("perClass", perClass);
        // "Always sad": how often each class is predicted, beside how often it is true.
        JsonObject distribution = new JsonObject();
        JsonArray trueShare = new JsonArray();
        JsonArray predictedShare = new JsonArray();
        for (int c = 0; c < classNames.size(); c++) {
            trueShare.add(matrix.total() == 0 ? 0 : (double) matrix.support(c) / matrix.total());
            predictedShare.add(matrix.total() == 0 ? 0 : (double) matrix.predicted(c) / matrix.total());
        }
        distribution.add("true", trueShare);
        distribution.add("predicted", predictedShare);
        json.add("classDistribution", distribution);
        if (calibration != null) {
            JsonObject cal = new JsonObject();
            cal.addProperty("expectedCalibrationError", calibration.expectedCalibrationError());
            cal.addProperty("negativeLogLikelihood", calibration.negativeLogLikelihood());
            JsonArray bins = new JsonArray();
            for (Calibration.Bin b : calibration.bins()) {
                JsonObject o = new JsonObject();
                o.addProperty("from", b.from());
                o.addProperty("to", b.to());
                o.addProperty("count", b.count());
                if (b.count() > 0) {
                    o.addProperty("confidence", b.confidence());
                    o.addProperty("accuracy", b.accuracy());
                }
                bins.add(o);
            }
            cal.add("bins", bins);
            json.add("calibration", cal);
        }
        if (isBinary()) {
            json.addProperty("positiveClass", classNames.get(1));
            json.addProperty("f1", f1());
            json.addProperty("averagePrecision", precisionRecall.averagePrecision());
            json.addProperty("rocAuc", roc.auc());
            JsonObject best = new JsonObject();
            best.addProperty("threshold", precisionRecall.bestThreshold());
            best.addProperty("f1", precisionRecall.bestF1());
            json.add("bestF1", best);
            JsonArray rows = new JsonArray();
            for (ThresholdSweep.Row row : sweep) {
                JsonObject o = new JsonObject();
                o.addProperty("threshold", row.threshold());
                o.addProperty("precision", row.precision());
                o.addProperty("recall", row.recall());
                o.addProperty("f1", row.f1());
                o.addProperty("accuracy", row.accuracy());
                o.addProperty("aca", row.aca());
                o.addProperty("seeds", row.seeds());
                rows.add(o);
            }
            json.add("thresholdSweep", rows);
            JsonObject pr = new JsonObject();
            int[] keep = thin(precisionRecall.thresholds().length);
            pr.add("threshold", numbers(precisionRecall.thresholds(), keep));
            pr.add("precision", numbers(precisionRecall.precision(), keep));
            pr.add("recall", numbers(precisionRecall.recall(), keep));
            json.add("precisionRecallCurve", pr);
            JsonObject rc = new JsonObject();
            int[] keepRoc = thin(roc.falsePositiveRate().length);
            rc.add("falsePositiveRate", numbers(roc.falsePositiveRate(), keepRoc));
            rc.add("truePositiveRate", numbers(roc.truePositiveRate(), keepRoc));
            json.add("rocCurve", rc);
        }
        return json;
    }

    /**
     * Reads back what {@link #toJson} wrote (the one JSON form of an evaluation), so that figures and reports are
     * drawn from typed values. The curves come back with the points the JSON kept (at most 400).
     */
    public static Evaluation fromJson(JsonObject json) {
        JsonObject cm = json.getAsJsonObject("confusionMatrix");
        List<String> classes = new java.util.ArrayList<>();
        cm.getAsJsonArray("classes").forEach(e -> classes.add(e.getAsString()));
        JsonArray rows = cm.getAsJsonArray("counts");
        long[][] counts = new long[rows.size()][rows.size()];
        for (int t = 0; t < counts.length; t++) {
            JsonArray row = rows.get(t).getAsJsonArray();
            for (int p = 0; p < counts.length; p++) {
                counts[t][p] = row.get(p).getAsLong();
            }
        }
        ConfusionMatrix matrix = ConfusionMatrix.of(counts);
        Calibration calibration = null;
        if (json.has("calibration")) {
            JsonObject cal = json.getAsJsonObject("calibration");
            List<Calibration.Bin> bins = new java.util.ArrayList<>();
            for (var e : cal.getAsJsonArray("bins")) {
                JsonObject o = e.getAsJsonObject();
                bins.add(new Calibration.Bin(o.get("from").getAsDouble(), o.get("to").getAsDouble(), o.get("count").getAsLong(),
                        number(o, "confidence"), number(o, "accuracy")));
            }
            calibration = new Calibration(bins, cal.get("expectedCalibrationError").getAsDouble(),
                    number(cal, "negativeLogLikelihood"));
        }
        if (!json.has("precisionRecallCurve")) {
            return new Evaluation(classes, matrix, null, null, List.of(), calibration);
        }
        JsonObject pr = json.getAsJsonObject("precisionRecallCurve");
        JsonObject best = json.getAsJsonObject("bestF1");
        PrecisionRecallCurve curve = new PrecisionRecallCurve(doubles(pr, "threshold"), doubles(pr, "precision"),
                doubles(pr, "recall"), json.get("averagePrecision").getAsDouble(), best.get("f1").getAsDouble(),
                best.get("threshold").getAsDouble());
        JsonObject rc = json.getAsJsonObject("rocCurve");
        RocCurve roc = new RocCurve(doubles(rc, "falsePositiveRate"), doubles(rc, "truePositiveRate"), json.get("rocAuc").getAsDouble());
        List<ThresholdSweep.Row> sweep = new java.util.ArrayList<>();
        for (var e : json.getAsJsonArray("thresholdSweep")) {
            JsonObject o = e.getAsJsonObject();
            sweep.add(new ThresholdSweep.Row(o.get("threshold").getAsDouble(), o.get("precision").getAsDouble(),
                    o.get("recall").getAsDouble(), o.get("f1").getAsDouble(), o.get("accuracy").getAsDouble(),
                    o.get("aca").getAsDouble(), o.get("seeds").getAsBoolean()));
        }
        return new Evaluation(classes, matrix, curve, roc, List.copyOf(sweep), calibration);
    }

    /** A number that JSON may hold as null (NaN is written as null by default serialisers). */
    private static double number(JsonObject json, String key) {
        return json.has(key) && !json.get(key).isJsonNull() ? json.get(key).getAsDouble() : Double.NaN;
    }

    private static double[] doubles(JsonObject json, String key) {
        JsonArray a = json.getAsJsonArray(key);
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    /** A readable summary for a terminal. */
    public String toTable() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "faces %d   accuracy %.4f   ACA %.4f   macro F1 %.4f%n",
                matrix.total(), accuracy(), aca(), macroF1()));
        if (isBinary()) {
            out.append(String.format(Locale.ROOT, "%s: F1 %.4f   average precision %.4f   ROC AUC %.4f   best F1 %.4f at threshold %.3f%n",
                    classNames.get(1), f1(), precisionRecall.averagePrecision(), roc.auc(), precisionRecall.bestF1(),
                    precisionRecall.bestThreshold()));
        }
        if (calibration != null) {
            out.append(String.format(Locale.ROOT, "calibration: expected calibration error %.4f   negative log-likelihood %.4f%n",
                    calibration.expectedCalibrationError(), calibration.negativeLogLikelihood()));
        }
        out.append(String.format(Locale.ROOT, "%n%-10s %9s %9s %9s %8s %9s %9s%n", "class", "precision", "recall", "F1", "support",
                "true %", "said %"));
        for (int c = 0; c < classNames.size(); c++) {
            out.append(String.format(Locale.ROOT, "%-10s %9.4f %9.4f %9.4f %8d %9.1f %9.1f%n", classNames.get(c),
                    matrix.precision(c), matrix.recall(c), matrix.f1(c), matrix.support(c),
                    100.0 * matrix.support(c) / Math.max(1, matrix.total()), 100.0 * matrix.predicted(c) / Math.max(1, matrix.total())));
        }
        out.append(String.format(Locale.ROOT, "%nconfusion matrix (rows: true class, columns: predicted)%n%-10s", ""));
        for (String name : classNames) {
            out.append(String.format(Locale.ROOT, " %8s", abbreviate(name)));
        }
        out.append('\n');
        long[][] counts = matrix.counts();
        for (int t = 0; t < counts.length; t++) {
            out.append(String.format(Locale.ROOT, "%-10s", classNames.get(t)));
            for (long v : counts[t]) {
                out.append(String.format(Locale.ROOT, " %8d", v));
            }
            out.append('\n');
        }
        if (isBinary()) {
            out.append(String.format(Locale.ROOT, "%nthreshold sweep (%s when p >= threshold; * = the seeds' thresholds)%n", classNames.get(1)));
            out.append(String.format(Locale.ROOT, "%-10s %9s %9s %9s %9s %9s%n", "threshold", "precision", "recall", "F1", "accuracy", "ACA"));
            for (ThresholdSweep.Row row : sweep) {
                out.append(String.format(Locale.ROOT, "%-10s %9.4f %9.4f %9.4f %9.4f %9.4f%n",
                        String.format(Locale.ROOT, "%.2f%s", row.threshold(), row.seeds() ? "*" : ""),
                        row.precision(), row.recall(), row.f1(), row.accuracy(), row.aca()));
            }
        }
        return out.toString();
    }

    private static String abbreviate(String name) {
        return name.length() > 8 ? name.substring(0, 8) : name;
    }

    private static int[] thin(int length) {
        int n = Math.min(length, CURVE_POINTS);
        int[] keep = new int[n];
        for (int i = 0; i < n; i++) {
            keep[i] = n == 1 ? 0 : (int) Math.round((double) i * (length - 1) / (n - 1));
        }
        return keep;
    }

    private static JsonArray numbers(double[] values) {
        JsonArray a = new JsonArray();
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    private static JsonArray numbers(double[] values, int[] keep) {
        JsonArray a = new JsonArray();
        for (int i : keep) {
            a.add(values[i]);
        }
        return a;
    }

    private static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }
}

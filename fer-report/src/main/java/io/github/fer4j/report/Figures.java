package io.github.fer4j.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.fer4j.eval.Calibration;
import io.github.fer4j.eval.ConfusionMatrix;
import io.github.fer4j.eval.Evaluation;
import io.github.fer4j.eval.PrecisionRecallCurve;
import io.github.fer4j.eval.RocCurve;
import io.github.fer4j.eval.ThresholdSweep;
import io.github.fer4j.train.EpochStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The charts of a report, each built from typed results (an {@link Evaluation}, a history), never from a model. */
public final class Figures {
    static final int WIDTH = 800;
    static final int HEIGHT = 500;
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
            new float[] {6, 4}, 0);

    private Figures() {
    }

    /** fer4j's look for a chart: fonts, the Okabe-Ito series colours, white backgrounds (other modules' charts use it too). */
    public static void style(AxesChartStyler s) {
        s.setChartTitleFont(Palette.TITLE);
        s.setAxisTitleFont(Palette.AXIS_TITLE);
        s.setAxisTickLabelsFont(Palette.TICKS);
        s.setLegendFont(Palette.LEGEND);
        s.setSeriesColors(Palette.SERIES);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendBorderColor(Palette.GRAY);
        s.setAntiAlias(true);
    }

    private static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setXAxisMaxLabelCount(16);
        return chart;
    }

    /** Training and validation loss per epoch, with the learning rate on a second axis (seeds' Figures 2-4). */
    public static XYChart lossCurves(String title, List<EpochStats> history) {
        XYChart chart = xy(title, "epoch", "loss (cross-entropy)");
        double[] epochs = history.stream().mapToDouble(EpochStats::epoch).toArray();
        chart.addSeries("training loss", epochs, history.stream().mapToDouble(EpochStats::trainLoss).toArray())
                .setMarker(SeriesMarkers.NONE).setLineColor(Palette.BLUE).setLineWidth(2.5f);
        double[] validation = history.stream().mapToDouble(EpochStats::validationLoss).toArray();
        if (java.util.Arrays.stream(validation).noneMatch(Double::isNaN)) {
            chart.addSeries("validation loss", epochs, validation).setMarker(SeriesMarkers.NONE)
                    .setLineColor(Palette.ORANGE).setLineWidth(2.5f);
        }
        XYSeries lr = chart.addSeries("learning rate (right axis)", epochs,
                history.stream().mapToDouble(EpochStats::learningRate).toArray());
        lr.setYAxisGroup(1);
        lr.setMarker(SeriesMarkers.NONE).setLineColor(Palette.GRAY).setLineStyle(DASHED);
        chart.setYAxisGroupTitle(1, "learning rate");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().putYAxisGroupDecimalPatternMap(1, "0.0E0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        return chart;
    }

    /** Several runs' validation (or training) loss on one plot: constant vs step-decay learning rate. */
    public static XYChart lossComparison(String title, Map<String, List<EpochStats>> runs) {
        XYChart chart = xy(title, "epoch", "loss (cross-entropy)");
        int k = 0;
        for (Map.Entry<String, List<EpochStats>> run : runs.entrySet()) {
            List<EpochStats> h = run.getValue();
            double[] epochs = h.stream().mapToDouble(EpochStats::epoch).toArray();
            Color color = Palette.SERIES[k++ % Palette.SERIES.length];
            chart.addSeries(run.getKey() + ", training", epochs, h.stream().mapToDouble(EpochStats::trainLoss).toArray())
                    .setMarker(SeriesMarkers.NONE).setLineColor(color).setLineWidth(2.5f);
            chart.addSeries(run.getKey() + ", validation", epochs, h.stream().mapToDouble(EpochStats::validationLoss).toArray())
                    .setMarker(SeriesMarkers.NONE).setLineColor(color).setLineStyle(DASHED);
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        return chart;
    }

    /** Precision-recall curve with iso-F1 lines and the operating points at 0.5 and at best F1 (Figure 5). */
    public static XYChart precisionRecall(String title, Evaluation metrics) {
        PrecisionRecallCurve curve = metrics.precisionRecall();
        double[] recall = curve.recall();
        double[] precision = curve.precision();
        double[] thresholds = curve.thresholds();
        String positive = metrics.classNames().get(1);
        XYChart chart = xy(String.format(Locale.ROOT, "%s (AP %.3f)", title, curve.averagePrecision()),
                "recall (" + positive + ")", "precision (" + positive + ")");
        for (double f : new double[] {0.2, 0.4, 0.6, 0.8}) {
            // Points of constant F1 = f: p = f r / (2 r - f), for r from f / (2 - f) to 1.
            List<Double> rs = new ArrayList<>();
            List<Double> ps = new ArrayList<>();
            for (int i = 0; i <= 100; i++) {
                double r = f / (2 - f) + (1 - f / (2 - f)) * i / 100.0;
                rs.add(r);
                ps.add(f * r / (2 * r - f));
            }
            XYSeries iso = chart.addSeries(String.format(Locale.ROOT, "F1 = %.1f", f), rs, ps);
            iso.setMarker(SeriesMarkers.NONE).setLineColor(new Color(0xCCCCCC)).setLineStyle(DASHED).setShowInLegend(f == 0.2);
            if (f == 0.2) {
                iso.setLabel("iso-F1 lines (0.2, 0.4, 0.6, 0.8)");
            }
        }
        chart.addSeries("precision-recall", recall, precision).setMarker(SeriesMarkers.NONE).setLineColor(Palette.BLUE)
                .setLineWidth(2.5f);
        double best = curve.bestThreshold();
        int at05 = nearest(thresholds, 0.5);
        int atBest = nearest(thresholds, best);
        chart.addSeries(String.format(Locale.ROOT, "threshold 0.5 (F1 %.3f)", metrics.f1()),
                new double[] {recall[at05]}, new double[] {precision[at05]}).setMarker(SeriesMarkers.DIAMOND)
                .setMarkerColor(Palette.VERMILLION);
        chart.addSeries(String.format(Locale.ROOT, "best F1 %.3f at threshold %.2f", curve.bestF1(), best),
                new double[] {recall[atBest]}, new double[] {precision[atBest]}).setMarker(SeriesMarkers.CIRCLE)
                .setMarkerColor(Palette.GREEN);
        chart.getStyler().setMarkerSize(12);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        return chart;
    }

    private static int nearest(double[] values, double target) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (Math.abs(values[i] - target) < Math.abs(values[best] - target)) {
                best = i;
            }
        }
        return best;
    }

    /** ROC curve with its AUC and the chance diagonal. */
    public static XYChart roc(String title, Evaluation metrics) {
        RocCurve curve = metrics.roc();
        XYChart chart = xy(String.format(Locale.ROOT, "%s (AUC %.3f)", title, curve.auc()),
                "false positive rate", "true positive rate");
        chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1}).setMarker(SeriesMarkers.NONE)
                .setLineColor(Palette.GRAY).setLineStyle(DASHED);
        chart.addSeries(String.format(Locale.ROOT, "ROC (AUC %.3f)", curve.auc()), curve.falsePositiveRate(),
                        curve.truePositiveRate())
                .setMarker(SeriesMarkers.NONE).setLineColor(Palette.BLUE).setLineWidth(2.5f);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        return chart;
    }

    /** Precision, recall, F1 and ACA against the threshold (Table 1 as a plot). */
    public static XYChart thresholdSweep(String title, Evaluation metrics) {
        List<ThresholdSweep.Row> rows = metrics.thresholdSweep();
        XYChart chart = xy(title, "threshold on p(" + metrics.classNames().get(1) + ")", "metric");
        List<ToDoubleFunction<ThresholdSweep.Row>> columns = List.of(ThresholdSweep.Row::precision, ThresholdSweep.Row::recall,
                ThresholdSweep.Row::f1, ThresholdSweep.Row::aca);
        String[] labels = {"precision", "recall", "F1", "ACA"};
        Color[] colors = {Palette.BLUE, Palette.ORANGE, Palette.GREEN, Palette.VERMILLION};
        double[] t = rows.stream().mapToDouble(ThresholdSweep.Row::threshold).toArray();
        for (int i = 0; i < labels.length; i++) {
            chart.addSeries(labels[i], t, rows.stream().mapToDouble(columns.get(i)).toArray()).setMarker(SeriesMarkers.CIRCLE)
                    .setMarkerColor(colors[i]).setLineColor(colors[i]).setLineWidth(2f);
        }
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        return chart;
    }

    /** A confusion matrix as a heatmap, true classes top to bottom, with ACA in the title (Figures 6-7). */
    public static HeatMapChart confusion(String title, Evaluation metrics, boolean normalized) {
        ConfusionMatrix cm = metrics.confusionMatrix();
        List<String> classes = metrics.classNames();
        double[][] normalizedRows = cm.rowNormalized();
        int k = classes.size();
        int side = k <= 2 ? 520 : 760;
        HeatMapChart chart = new HeatMapChartBuilder().width(side).height(side - 40)
                .title(String.format(Locale.ROOT, "%s, %s (accuracy %.3f, ACA %.3f)", title,
                        normalized ? "row-normalized" : "counts", metrics.accuracy(), metrics.aca()))
                .xAxisTitle("predicted").yAxisTitle("true").build();
        style(chart.getStyler());
        chart.getStyler().setChartTitleFont(k <= 2 ? Palette.LEGEND.deriveFont(java.awt.Font.BOLD, 13f) : Palette.TITLE);
        chart.getStyler().setRangeColors(Palette.SEQUENTIAL);
        chart.getStyler().setShowValue(true);
        chart.getStyler().setValueFont(Palette.TICKS.deriveFont(java.awt.Font.BOLD, 13f));
        chart.getStyler().setValueFontColor(Color.BLACK);
        chart.getStyler().setHeatMapValueDecimalPattern(normalized ? "0.00" : "0");
        chart.getStyler().setDecimalPattern(normalized ? "0.00" : "0");
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setMin(0);
        if (normalized) {
            chart.getStyler().setMax(1);
        }
        List<String> trueLabels = new ArrayList<>(classes);
        java.util.Collections.reverse(trueLabels);
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                // y index 0 is the bottom row, so the first class goes to the top.
                cells.add(new Number[] {p, k - 1 - t, normalized ? normalizedRows[t][p] : (double) cm.count(t, p)});
            }
        }
        chart.addSeries("confusion", classes, trueLabels, cells);
        return chart;
    }

    /** Bars per emotion, styled, with the legend inside; the y axis as given. */
    private static CategoryChart bars(String title, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("emotion")
                .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLabelsVisible(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        return chart;
    }

    /** Per-class recall and precision bars. */
    public static CategoryChart perClass(String title, Evaluation metrics) {
        CategoryChart chart = bars(title, "score");
        List<String> classes = metrics.classNames();
        ConfusionMatrix cm = metrics.confusionMatrix();
        List<Double> recall = new ArrayList<>();
        List<Double> precision = new ArrayList<>();
        List<Double> f1 = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            recall.add(cm.recall(c));
            precision.add(cm.precision(c));
            f1.add(cm.f1(c));
        }
        chart.addSeries("recall", classes, recall);
        chart.addSeries("precision", classes, precision);
        chart.addSeries("F1", classes, f1);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        return chart;
    }

    /**
     * The reliability diagram: in each bin of confidence, the accuracy of the faces that fell in it against their mean
     * confidence; a calibrated model lies on the diagonal. Empty bins have no point; each bin's count is in the
     * metrics JSON (the title gives the ECE).
     */
    public static XYChart reliability(String title, Evaluation metrics) {
        Calibration cal = metrics.calibration();
        XYChart chart = xy(String.format(Locale.ROOT, "%s (ECE %.3f)", title, cal.expectedCalibrationError()),
                "confidence (probability of the class said)", "accuracy");
        chart.addSeries("perfectly calibrated", new double[] {0, 1}, new double[] {0, 1}).setMarker(SeriesMarkers.NONE)
                .setLineColor(Palette.GRAY).setLineStyle(DASHED);
        List<Double> confidence = new ArrayList<>();
        List<Double> accuracy = new ArrayList<>();
        for (Calibration.Bin b : cal.bins()) {
            if (b.count() > 0) {
                confidence.add(b.confidence());
                accuracy.add(b.accuracy());
            }
        }
        chart.addSeries("the model (one point per bin of confidence)", confidence, accuracy).setMarker(SeriesMarkers.CIRCLE)
                .setMarkerColor(Palette.BLUE).setLineColor(Palette.BLUE).setLineWidth(2.5f);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        return chart;
    }

    /** How often each class is predicted beside how often it is true ("always sad" shows here). */
    public static CategoryChart classDistribution(String title, Evaluation metrics) {
        CategoryChart chart = bars(title, "share of faces");
        ConfusionMatrix cm = metrics.confusionMatrix();
        List<Double> truth = new ArrayList<>();
        List<Double> said = new ArrayList<>();
        for (int c = 0; c < metrics.classNames().size(); c++) {
            truth.add((double) cm.support(c) / Math.max(1, cm.total()));
            said.add((double) cm.predicted(c) / Math.max(1, cm.total()));
        }
        chart.addSeries("true", metrics.classNames(), truth);
        chart.addSeries("predicted", metrics.classNames(), said);
        return chart;
    }

    /** Faces per emotion in each split, as grouped bars. */
    public static CategoryChart classCounts(String title, List<String> classes, Map<String, int[]> bySplit) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("emotion")
                .yAxisTitle("faces").build();
        style(chart.getStyler());
        for (Map.Entry<String, int[]> split : bySplit.entrySet()) {
            List<Integer> counts = new ArrayList<>();
            for (int c : split.getValue()) {
                counts.add(c);
            }
            chart.addSeries(split.getKey(), classes, counts);
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        return chart;
    }

    /** A metric over learning rate x batch size, best cell named in the title. */
    public static HeatMapChart sweep(String title, JsonObject sweep, String metric) {
        List<String> rates = new ArrayList<>();
        sweep.getAsJsonArray("learningRates").forEach(e -> rates.add(Double.toString(e.getAsDouble())));
        List<String> batches = new ArrayList<>();
        sweep.getAsJsonArray("batchSizes").forEach(e -> batches.add(Integer.toString(e.getAsInt())));
        List<Number[]> cells = new ArrayList<>();
        double bestValue = Double.NEGATIVE_INFINITY;
        String bestCell = "";
        for (JsonElement e : sweep.getAsJsonArray("cells")) {
            JsonObject c = e.getAsJsonObject();
            String rate = Double.toString(c.get("learningRate").getAsDouble());
            String batch = Integer.toString(c.get("batchSize").getAsInt());
            double v = c.get(metric).getAsDouble();
            cells.add(new Number[] {rates.indexOf(rate), batches.indexOf(batch), v});
            if (v > bestValue) {
                bestValue = v;
                bestCell = "lr " + rate + ", batch " + batch;
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(700).height(560)
                .title(String.format(Locale.ROOT, "%s (best %.3f: %s)", title, bestValue, bestCell))
                .xAxisTitle("learning rate").yAxisTitle("batch size").build();
        style(chart.getStyler());
        chart.getStyler().setChartTitleFont(Palette.LEGEND.deriveFont(java.awt.Font.BOLD, 14f));
        chart.getStyler().setRangeColors(Palette.SEQUENTIAL);
        chart.getStyler().setShowValue(true);
        chart.getStyler().setValueFont(Palette.TICKS.deriveFont(java.awt.Font.BOLD, 14f));
        chart.getStyler().setValueFontColor(Color.BLACK);
        chart.getStyler().setHeatMapValueDecimalPattern("0.000");
        chart.getStyler().setDecimalPattern("0.000");
        // The legend prints its bounds in full, so give it round ones.
        double min = cells.stream().mapToDouble(c -> c[2].doubleValue()).min().orElse(0);
        chart.getStyler().setMin(Math.floor(min * 100) / 100);
        chart.getStyler().setMax(Math.ceil(bestValue * 100) / 100);
        chart.addSeries(metric, rates, batches, cells);
        return chart;
    }

}

package io.github.fer4j.video;

import io.github.fer4j.report.FigureWriter;
import io.github.fer4j.report.Figures;
import io.github.fer4j.report.Palette;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Each face's probability of each emotion over a video, drawn as one panel per face: the probabilities smoothed
 * as fer serve's webcam page smooths them (each frame averaged half and half with the smoothed value of the frame
 * before), the raw points faint behind. Memory stays bounded however long the video: past {@value #MAX_POINTS}
 * points a face's series is thinned by averaging neighbouring points in pairs, and a face holds room for the points it
 * has, not for all it might get.
 */
public final class EmotionTimeline {
    /** Points kept per face and series; the figure cannot show more at its width anyway. */
    static final int MAX_POINTS = 2000;
    /**
     * Room a new face's series starts with, grown by doubling up to 2 x {@value #MAX_POINTS}. Room for every point from
     * the start (480 KB a face) made `fer video` grow with every new face id: 93 MB of series after 13 minutes of the
     * soak's hour-long video (bench/video-soak.sh), whose face leaves and comes back every minute.
     */
    static final int INITIAL_POINTS = 64;
    /** Weight of the new frame in the smoothed value, as in the web page's {@code smooth()}. */
    static final double ALPHA = 0.5;
    /** Emotions keep the colours of their bars in annotated photos. */
    private static final Map<String, Color> COLORS = Map.of("Angry", Palette.VERMILLION, "Disgust", Palette.GREEN,
            "Fear", Palette.PURPLE, "Happy", Palette.ORANGE, "Sad", Palette.BLUE, "Surprise", Palette.SKY, "Neutral", Palette.GRAY);

    /** One face's series: time, raw and smoothed probabilities, each point the mean of {@code group} frames. */
    private static final class Series {
        final int classes;
        double[] time = new double[INITIAL_POINTS];
        double[][] raw;
        double[][] smooth;
        int size;
        int group = 1;
        final double[] pending;
        int pendingCount;
        double[] smoothed;
        int frames;

        Series(int classes) {
            this.classes = classes;
            raw = new double[classes][INITIAL_POINTS];
            smooth = new double[classes][INITIAL_POINTS];
            pending = new double[1 + 2 * classes];
        }

        void add(double seconds, double[] p) {
            frames++;
            if (smoothed == null) {
                smoothed = p.clone();
            } else {
                for (int c = 0; c < classes; c++) {
                    smoothed[c] = ALPHA * p[c] + (1 - ALPHA) * smoothed[c];
                }
            }
            pending[0] += seconds;
            for (int c = 0; c < classes; c++) {
                pending[1 + c] += p[c];
                pending[1 + classes + c] += smoothed[c];
            }
            if (++pendingCount == group) {
                flush();
            }
        }

        void flush() {
            if (pendingCount == 0) {
                return;
            }
            if (size == 2 * MAX_POINTS) {
                thin();
            } else if (size == time.length) {
                grow(Math.min(2 * MAX_POINTS, 2 * size));
            }
            time[size] = pending[0] / pendingCount;
            for (int c = 0; c < classes; c++) {
                raw[c][size] = pending[1 + c] / pendingCount;
                smooth[c][size] = pending[1 + classes + c] / pendingCount;
            }
            size++;
            Arrays.fill(pending, 0);
            pendingCount = 0;
        }

        /** Room for {@code points} points: a face seen for a few frames holds a few points, not room for thousands. */
        void grow(int points) {
            time = Arrays.copyOf(time, points);
            for (int c = 0; c < classes; c++) {
                raw[c] = Arrays.copyOf(raw[c], points);
                smooth[c] = Arrays.copyOf(smooth[c], points);
            }
        }

        /** Averages neighbouring points in pairs: half the points, each now the mean of twice as many frames. */
        void thin() {
            int half = size / 2;
            for (int i = 0; i < half; i++) {
                time[i] = (time[2 * i] + time[2 * i + 1]) / 2;
                for (int c = 0; c < classes; c++) {
                    raw[c][i] = (raw[c][2 * i] + raw[c][2 * i + 1]) / 2;
                    smooth[c][i] = (smooth[c][2 * i] + smooth[c][2 * i + 1]) / 2;
                }
            }
            size = half;
            group *= 2;
        }
    }

    private final List<String> classNames;
    private final Map<Integer, Series> faces = new LinkedHashMap<>();

    public EmotionTimeline(List<String> classNames) {
        this.classNames = List.copyOf(classNames);
    }

    /** Adds one analysed frame of one face: its probabilities in the model's class order. */
    public void add(int faceId, double seconds, double[] probabilities) {
        faces.computeIfAbsent(faceId, id -> new Series(classNames.size())).add(seconds, probabilities);
    }

    /** How many numbers the series hold room for, all faces together (what the timeline costs in memory, over 8 bytes). */
    long heldNumbers() {
        long n = 0;
        for (Series s : faces.values()) {
            n += (long) s.time.length * (1 + 2L * s.classes);
        }
        return n;
    }

    /** One chart per face, for the {@code maxFaces} faces seen in the most frames, in order of id. */
    public List<XYChart> charts(int maxFaces) {
        List<Map.Entry<Integer, Series>> shown = new ArrayList<>(faces.entrySet());
        shown.sort(Comparator.comparingInt((Map.Entry<Integer, Series> e) -> e.getValue().frames).reversed());
        shown = new ArrayList<>(shown.subList(0, Math.min(maxFaces, shown.size())));
        shown.sort(Map.Entry.comparingByKey());
        List<XYChart> charts = new ArrayList<>();
        for (Map.Entry<Integer, Series> e : shown) {
            charts.add(chart(e.getKey(), e.getValue()));
        }
        return charts;
    }

    private XYChart chart(int id, Series s) {
        s.flush();
        XYChart chart = new XYChartBuilder().width(800).height(400)
                .title("Face #" + id + " (" + s.frames + " analysed frames)").xAxisTitle("time (s)")
                .yAxisTitle("probability").build();
        var styler = chart.getStyler();
        Figures.style(styler);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(1.0);
        styler.setMarkerSize(3);
        double[] time = Arrays.copyOf(s.time, s.size);
        for (int c = 0; c < classNames.size(); c++) {
            Color color = COLORS.getOrDefault(classNames.get(c), Palette.SERIES[c % Palette.SERIES.length]);
            XYSeries raw = chart.addSeries(classNames.get(c) + " (raw)", time, Arrays.copyOf(s.raw[c], s.size));
            raw.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            raw.setMarker(SeriesMarkers.CIRCLE);
            raw.setMarkerColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 60));
            raw.setShowInLegend(false);
        }
        for (int c = 0; c < classNames.size(); c++) {
            Color color = COLORS.getOrDefault(classNames.get(c), Palette.SERIES[c % Palette.SERIES.length]);
            chart.addSeries(classNames.get(c), time, Arrays.copyOf(s.smooth[c], s.size)).setMarker(SeriesMarkers.NONE)
                    .setLineColor(color).setLineWidth(2f);
        }
        return chart;
    }

    /** Writes {@code emotions.png} and {@code emotions.svg} (each atomically) into {@code dir}; false when no face was seen. */
    public boolean save(Path dir, int maxFaces) throws IOException {
        List<XYChart> charts = charts(maxFaces);
        if (charts.isEmpty()) {
            return false;
        }
        new FigureWriter(dir).saveStacked("emotions", charts);
        return true;
    }
}

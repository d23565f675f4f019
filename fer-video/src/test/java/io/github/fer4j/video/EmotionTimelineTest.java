package io.github.fer4j.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

/** The emotion timeline's memory follows the frames it was given, and a long series is thinned, not cut. */
class EmotionTimelineTest {
    static final List<String> CLASSES = List.of("Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral");

    static double[] probabilities(int k) {
        double[] p = new double[CLASSES.size()];
        p[k % p.length] = 1;
        return p;
    }

    @Test
    void manyShortLivedFacesHoldRoomForTheirFewPointsOnly() {
        EmotionTimeline timeline = new EmotionTimeline(CLASSES);
        for (int face = 0; face < 2000; face++) {
            for (int f = 0; f < 5; f++) {
                timeline.add(face, face + f / 30.0, probabilities(f));
            }
        }
        // Room for 64 points a face: 2,000 faces x 15 series x 64 numbers (before: 4,000 each, 120 million numbers).
        assertEquals(2000L * (1 + 2 * CLASSES.size()) * EmotionTimeline.INITIAL_POINTS, timeline.heldNumbers());
    }

    @Test
    void aLongSeriesIsThinnedToItsBoundAndKeepsItsMeans() {
        EmotionTimeline timeline = new EmotionTimeline(CLASSES);
        int frames = 10_000;
        for (int f = 0; f < frames; f++) {
            timeline.add(1, f / 30.0, probabilities(f % 2 == 0 ? 3 : 4));   // Happy and Sad by turns
        }
        assertTrue(timeline.heldNumbers() <= (1 + 2L * CLASSES.size()) * 2 * EmotionTimeline.MAX_POINTS);
        List<XYChart> charts = timeline.charts(4);
        assertEquals(1, charts.size());
        var happy = charts.get(0).getSeriesMap().get("Happy (raw)");
        int points = happy.getXData().length;
        assertTrue(points >= EmotionTimeline.MAX_POINTS && points <= 2 * EmotionTimeline.MAX_POINTS, "points " + points);
        // Points are means of neighbouring frames (the point appended while a thinning happens holds one group fewer), so
        // Happy and Sad by turns read between 0.25 and 0.75 at each point and 0.5 on average.
        double sum = 0;
        for (int i = 0; i < points; i++) {
            double y = happy.getYData()[i];
            assertTrue(y >= 0.25 - 1e-9 && y <= 0.75 + 1e-9, "point " + i + ": " + y);
            sum += y;
        }
        assertEquals(0.5, sum / points, 0.01);
        assertTrue(happy.getXData()[points - 1] > 300, "the last point is near the end of the 333 s: " + happy.getXData()[points - 1]);
    }
}

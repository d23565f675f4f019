package io.github.fer4j.video;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What one face did over a video, kept as running sums so that memory does not grow with the video: the runs of
 * frames it was seen in, the sum of its probabilities and how often each emotion was its dominant one.
 */
final class FaceHistory {
    private final int id;
    private final List<String> classNames;
    private final double[] sums;
    private final int[] dominantCounts;
    /** [first frame, last frame, first seconds, last seconds] of each run of analysed frames the face was seen in. */
    private final List<double[]> runs = new ArrayList<>();
    private int frames;

    FaceHistory(int id, List<String> classNames) {
        this.id = id;
        this.classNames = classNames;
        this.sums = new double[classNames.size()];
        this.dominantCounts = new int[classNames.size()];
    }

    /** @param every how many frames apart analysed frames are: a face seen in consecutive analysed frames is one run */
    void add(int frame, double seconds, double[] probabilities, int dominant, int every) {
        frames++;
        for (int c = 0; c < sums.length; c++) {
            sums[c] += probabilities[c];
        }
        dominantCounts[dominant]++;
        double[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
        if (last != null && frame - last[1] <= every) {
            last[1] = frame;
            last[3] = seconds;
        } else {
            runs.add(new double[] {frame, frame, seconds, seconds});
        }
    }

    JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("framesSeen", frames);
        o.addProperty("firstFrame", (int) runs.get(0)[0]);
        o.addProperty("lastFrame", (int) runs.get(runs.size() - 1)[1]);
        o.addProperty("firstSeconds", round(runs.get(0)[2]));
        o.addProperty("lastSeconds", round(runs.get(runs.size() - 1)[3]));
        JsonArray seen = new JsonArray();
        for (double[] run : runs) {
            JsonObject r = new JsonObject();
            r.addProperty("fromFrame", (int) run[0]);
            r.addProperty("toFrame", (int) run[1]);
            r.addProperty("fromSeconds", round(run[2]));
            r.addProperty("toSeconds", round(run[3]));
            seen.add(r);
        }
        o.add("seen", seen);
        JsonObject mean = new JsonObject();
        JsonObject share = new JsonObject();
        int most = 0;
        for (int c = 0; c < sums.length; c++) {
            mean.addProperty(classNames.get(c), round(sums[c] / frames));
            share.addProperty(classNames.get(c), round((double) dominantCounts[c] / frames));
            if (dominantCounts[c] > dominantCounts[most]) {
                most = c;
            }
        }
        o.add("meanProbabilities", mean);
        o.add("dominantShare", share);
        o.addProperty("mostOftenDominant", classNames.get(most));
        return o;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}

package io.github.fer4j.eval;

import java.util.Arrays;

/** Orderings shared by the curve builders. */
final class Ranking {
    private Ranking() {
    }

    /** Indices sorted by score, highest first; ties keep index order so curves are reproducible. */
    static int[] byScoreDescending(float[] score) {
        Integer[] boxed = new Integer[score.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> score[a] != score[b] ? Float.compare(score[b], score[a]) : Integer.compare(a, b));
        return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }

    static long positives(int[] truth) {
        long n = 0;
        for (int t : truth) {
            n += t;
        }
        return n;
    }

    static int distinctScores(float[] score, int[] order) {
        int n = 0;
        for (int i = 0; i < order.length; i++) {
            if (i == order.length - 1 || score[order[i + 1]] != score[order[i]]) {
                n++;
            }
        }
        return n;
    }
}

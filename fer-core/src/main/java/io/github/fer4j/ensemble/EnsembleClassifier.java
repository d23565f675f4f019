package io.github.fer4j.ensemble;

import io.github.fer4j.data.FaceSet;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.model.ModelInfo;
import io.github.fer4j.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.UnaryOperator;

/**
 * Several models as one: the weighted mean of the members' class probabilities, then (optionally) a temperature,
 * p_c ∝ mean_c^(1/T), which is temperature scaling of the logits log(mean). Members may have other class lists than
 * the ensemble (a FER+ model with contempt in a 7-emotion ensemble): each member's probabilities are read by class
 * name, classes the ensemble does not have are dropped and the rest renormalised. A single member with a temperature
 * is how a calibrated model is stored.
 */
public final class EnsembleClassifier implements Classifier {
    public static final String KIND = "ensemble";

    private final Task task;
    private final List<Classifier> members;
    private final List<String> memberNames;
    private final double[] weights;
    private final double temperature;
    private final ModelInfo info;
    /** For each member, for each ensemble class, the member's index of that class. */
    private final int[][] classIndex;

    /**
     * @param weights     one per member, not negative, not all zero (normalised here)
     * @param temperature 1 leaves the mean as it is; above 1 softens it, below 1 sharpens it
     */
    public EnsembleClassifier(Task task, List<Classifier> members, List<String> memberNames, double[] weights, double temperature,
                              ModelInfo info) {
        if (members.isEmpty() || members.size() != weights.length || members.size() != memberNames.size()) {
            throw new IllegalArgumentException("an ensemble needs one weight and one name per member, and a member");
        }
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("member weights must not be negative, got " + w);
            }
            sum += w;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("member weights must not all be zero");
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("the temperature must be positive, got " + temperature);
        }
        this.task = task;
        this.members = List.copyOf(members);
        this.memberNames = List.copyOf(memberNames);
        this.weights = new double[weights.length];
        for (int m = 0; m < weights.length; m++) {
            this.weights[m] = weights[m] / sum;
        }
        this.temperature = temperature;
        this.info = info;
        this.classIndex = new int[members.size()][];
        for (int m = 0; m < members.size(); m++) {
            classIndex[m] = classIndex(task, members.get(m), memberNames.get(m));
        }
    }

    /** Where each of the task's classes is in a member's output; a member that lacks one cannot join. */
    static int[] classIndex(Task task, Classifier member, String name) {
        int[] index = new int[task.classCount()];
        for (int c = 0; c < index.length; c++) {
            index[c] = member.classNames().indexOf(task.classNames().get(c));
            if (index[c] < 0) {
                throw new IllegalArgumentException(name + ": its classes " + member.classNames() + " lack "
                        + task.classNames().get(c) + ", a class of the ensemble's task " + task + " " + task.classNames());
            }
        }
        return index;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Task task() {
        return task;
    }

    /** The engine of the first member that is not run in plain Java, else {@link Classifier#JAVA_ENGINE}. */
    @Override
    public String engine() {
        return members.stream().map(Classifier::engine).filter(e -> !e.equals(JAVA_ENGINE)).findFirst().orElse(JAVA_ENGINE);
    }

    public List<Classifier> members() {
        return members;
    }

    public List<String> memberNames() {
        return memberNames;
    }

    /** The weights, normalised to sum to 1. */
    public double[] weights() {
        return weights.clone();
    }

    public double temperature() {
        return temperature;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public EnsembleClassifier withInfo(ModelInfo info) {
        return new EnsembleClassifier(task, members, memberNames, weights, temperature, info);
    }

    public EnsembleClassifier withTemperature(double temperature) {
        return new EnsembleClassifier(task, members, memberNames, weights, temperature, info);
    }

    public EnsembleClassifier withWeights(double[] weights) {
        return new EnsembleClassifier(task, members, memberNames, weights, temperature, info);
    }

    /** The same ensemble with each member changed (test-time views for the CNN members, say). */
    public EnsembleClassifier mapMembers(UnaryOperator<Classifier> change) {
        List<Classifier> changed = new ArrayList<>();
        members.forEach(m -> changed.add(change.apply(m)));
        return new EnsembleClassifier(task, changed, memberNames, weights, temperature, info);
    }

    /**
     * One face is read on two cores when the second is free: the later half of the members on a helper thread while
     * the caller reads the first half, so a two-network ensemble answers in about one network's time. When the helper
     * is busy (a server reading many photos at once, which keeps the cores busy anyway) or the machine has one core,
     * the caller reads every member itself. The system property {@value #HELPER} = false turns the helper off (Spark's
     * executors, whose cores each run a task, do).
     */
    @Override
    public float[] probabilities(byte[] face) {
        float[][] each = new float[members.size()][];
        int split = members.size() / 2;
        if (split > 0 && Helper.ENABLED && Helper.FREE.tryAcquire()) {
            Future<?> later;
            try {
                later = Helper.POOL.submit(() -> {
                    try {
                        for (int m = split; m < members.size(); m++) {
                            each[m] = members.get(m).probabilities(face);
                        }
                    } finally {
                        Helper.FREE.release();
                    }
                });
            } catch (RuntimeException e) {
                Helper.FREE.release();
                throw e;
            }
            for (int m = 0; m < split; m++) {
                each[m] = members.get(m).probabilities(face);
            }
            await(later);
        } else {
            for (int m = 0; m < members.size(); m++) {
                each[m] = members.get(m).probabilities(face);
            }
        }
        return combine(each);
    }

    /** The system property that turns the helper thread of {@link #probabilities(byte[])} off when false. */
    public static final String HELPER = "fer.ensemble.helper";

    /** The helper thread, made on first use: a daemon, so it never keeps the JVM alive. */
    private static final class Helper {
        static final boolean ENABLED = Runtime.getRuntime().availableProcessors() > 1
                && !"false".equalsIgnoreCase(System.getProperty(HELPER));
        static final Semaphore FREE = new Semaphore(1);
        static final ExecutorService POOL = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fer-ensemble-helper");
            t.setDaemon(true);
            return t;
        });
    }

    /** Waits for the helper's members; what failed there fails here, as it would have on the caller's thread. */
    private static void await(Future<?> later) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    later.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;   // the helper is mid-face: its result is needed, so wait on, then pass it on
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public float[][] probabilities(FaceSet faces, int[] indices) {
        float[][][] each = new float[members.size()][][];
        for (int m = 0; m < members.size(); m++) {
            each[m] = members.get(m).probabilities(faces, indices);
        }
        float[][] out = new float[indices.length][];
        float[][] one = new float[members.size()][];
        for (int k = 0; k < indices.length; k++) {
            for (int m = 0; m < members.size(); m++) {
                one[m] = each[m][k];
            }
            out[k] = combine(one);
        }
        return out;
    }

    /** {@link #combine} for each row of a one-member ensemble: the member's probabilities on the ensemble's classes. */
    public float[][] combineEach(float[][] memberProbabilities) {
        if (members.size() != 1) {
            throw new IllegalStateException("combineEach reads the rows of one member; this ensemble has " + members.size());
        }
        float[][] out = new float[memberProbabilities.length][];
        for (int k = 0; k < out.length; k++) {
            out[k] = combine(new float[][] {memberProbabilities[k]});
        }
        return out;
    }

    /** mean_c = sum_m w_m p_m(c) / (sum of the member's kept classes), then p_c ∝ mean_c^(1/T). */
    float[] combine(float[][] memberProbabilities) {
        int classes = task.classCount();
        double[] mean = new double[classes];
        for (int m = 0; m < memberProbabilities.length; m++) {
            double kept = 0;
            for (int c = 0; c < classes; c++) {
                kept += memberProbabilities[m][classIndex[m][c]];
            }
            for (int c = 0; c < classes; c++) {
                mean[c] += weights[m] * (kept > 0 ? memberProbabilities[m][classIndex[m][c]] / kept : 1.0 / classes);
            }
        }
        return scaled(mean, temperature);
    }

    /** p_c ∝ q_c^(1/T), computed in logs so that small probabilities do not underflow. */
    static float[] scaled(double[] q, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        double[] logits = new double[q.length];
        for (int c = 0; c < q.length; c++) {
            logits[c] = Math.log(Math.max(q[c], 1e-30)) / temperature;
            max = Math.max(max, logits[c]);
        }
        double sum = 0;
        for (int c = 0; c < q.length; c++) {
            logits[c] = Math.exp(logits[c] - max);
            sum += logits[c];
        }
        float[] p = new float[q.length];
        for (int c = 0; c < q.length; c++) {
            p[c] = (float) (logits[c] / sum);
        }
        return p;
    }
}

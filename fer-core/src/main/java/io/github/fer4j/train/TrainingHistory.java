package io.github.fer4j.train;

import io.github.fer4j.model.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Per-epoch statistics of a run, kept as they arrive and written as CSV next to the model. */
public final class TrainingHistory implements TrainingListener {
    public static final String HEADER = "epoch,train_loss,validation_loss,validation_accuracy,validation_aca,learning_rate,seconds";
    private final List<EpochStats> epochs = new ArrayList<>();
    private int bestEpoch;
    private boolean stoppedEarly;

    @Override
    public void onEpoch(EpochStats stats) {
        epochs.add(stats);
    }

    @Override
    public void onEnd(int bestEpoch, boolean stoppedEarly) {
        this.bestEpoch = bestEpoch;
        this.stoppedEarly = stoppedEarly;
    }

    public List<EpochStats> epochs() {
        return List.copyOf(epochs);
    }

    public int bestEpoch() {
        return bestEpoch;
    }

    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    public double totalSeconds() {
        return epochs.stream().mapToDouble(EpochStats::seconds).sum();
    }

    public String toCsv() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (EpochStats e : epochs) {
            out.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6g,%.4f%n", e.epoch(), e.trainLoss(),
                    e.validationLoss(), e.validationAccuracy(), e.validationAca(), e.learningRate(), e.seconds()));
        }
        return out.toString();
    }

    public void writeCsv(Path file) throws IOException {
        AtomicFiles.writeString(file, toCsv());
    }

    /** Reads a history CSV written by {@link #writeCsv}. */
    public static List<EpochStats> readCsv(Path file) throws IOException {
        List<String> lines = java.nio.file.Files.readAllLines(file);
        List<EpochStats> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            if (f.length != 7) {
                throw new IOException(file + ":" + (i + 1) + ": expected 7 fields, found " + f.length);
            }
            out.add(new EpochStats(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6])));
        }
        return out;
    }
}

package io.github.fer4j.cli;

import io.github.fer4j.data.LoadProgress;
import io.github.fer4j.linear.EpochStats;
import io.github.fer4j.linear.TrainingListener;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on stderr, shown only when stderr is a terminal (the {@code fer} launcher tells the JVM with
 * {@code -Dfer.progress}); quiet otherwise, so logs and pipes stay clean.
 */
final class Progress {
    private Progress() {
    }

    static boolean enabled() {
        String flag = System.getProperty("fer.progress");
        return flag != null ? Boolean.parseBoolean(flag) : System.console() != null;
    }

    private static ProgressBar bar(String task, long max, String unit, long unitSize) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(unit, unitSize)
                .setUpdateIntervalMillis(200)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }

    /** Progress of loading a file, in megabytes of the file read. */
    static LoadProgress load(String task) {
        if (!enabled()) {
            return LoadProgress.NONE;
        }
        return new LoadProgress() {
            private ProgressBar bar;

            @Override
            public void update(long done, long total) {
                if (bar == null) {
                    bar = bar(task, total, total > 1 << 20 ? " MB" : "", total > 1 << 20 ? 1 << 20 : 1);
                }
                bar.stepTo(done);
                if (done >= total) {
                    bar.close();
                }
            }
        };
    }

    /** Progress of a training run, one step per epoch, with the latest losses. */
    static TrainingListener training(String task) {
        if (!enabled()) {
            return stats -> { };
        }
        return new TrainingListener() {
            private ProgressBar bar;

            @Override
            public void onStart(int epochs) {
                bar = bar(task, epochs, " epochs", 1);
            }

            @Override
            public void onEpoch(EpochStats s) {
                bar.stepTo(s.epoch());
                bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f  val %.4f  val ACA %.3f",
                        s.trainLoss(), s.validationLoss(), s.validationAca()));
            }

            @Override
            public void onEnd(int bestEpoch, boolean stoppedEarly) {
                bar.close();
            }
        };
    }
}

package io.github.fer4j.cli;

import io.github.fer4j.data.LoadProgress;
import io.github.fer4j.train.EpochStats;
import io.github.fer4j.train.TrainingListener;
import io.github.fer4j.video.VideoAnalyzer;
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

    /**
     * Progress of a long (CNN) run: a bar over the mini-batches of the whole run with its time left when stderr is
     * a terminal, and in any case one line per epoch with the losses, the PublicTest accuracy and the time left.
     */
    static TrainingListener longTraining(String task, java.io.PrintStream log) {
        boolean bars = enabled();
        return new TrainingListener() {
            private ProgressBar bar;
            private int epochs;
            private double seconds;
            private int timed;

            @Override
            public void onStart(int epochs) {
                this.epochs = epochs;
            }

            @Override
            public void onNote(String message) {
                log.println(message);
                log.flush();
            }

            @Override
            public void onBatch(int epoch, int batch, int batches, double meanLoss) {
                if (!bars) {
                    return;
                }
                if (bar == null) {
                    bar = bar(task, (long) epochs * batches, " batches", 1);
                }
                bar.stepTo((long) (epoch - 1) * batches + batch);
                bar.setExtraMessage(String.format(Locale.ROOT, "epoch %d/%d loss %.4f", epoch, epochs, meanLoss));
            }

            @Override
            public void onEpoch(EpochStats s) {
                seconds += s.seconds();
                timed++;
                double left = seconds / timed * (epochs - s.epoch());
                String line = String.format(Locale.ROOT,
                        "epoch %d/%d  loss %.4f  PublicTest loss %.4f accuracy %.4f ACA %.4f  lr %.4g  %.0f s  ~%.0f min left",
                        s.epoch(), epochs, s.trainLoss(), s.validationLoss(), s.validationAccuracy(), s.validationAca(),
                        s.learningRate(), s.seconds(), left / 60);
                log.println((bar != null ? "\r" : "") + line);
                log.flush();
            }

            @Override
            public void onEnd(int bestEpoch, boolean stoppedEarly) {
                if (bar != null) {
                    bar.close();
                }
            }
        };
    }

    /** Progress of reading a video, in frames, with frames/s and the time left when the header gives the length. */
    static VideoAnalyzer.Listener video(String task) {
        if (!enabled()) {
            return VideoAnalyzer.Listener.NONE;
        }
        return new VideoAnalyzer.Listener() {
            private ProgressBar bar;

            @Override
            public void onFrame(int framesRead, int declaredFrames, double seconds) {
                if (bar == null) {
                    bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(declaredFrames > 0 ? declaredFrames : -1)
                            .setStyle(ProgressBarStyle.ASCII).setUnit(" frames", 1).showSpeed().setUpdateIntervalMillis(200)
                            .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
                }
                bar.stepTo(framesRead);
                bar.setExtraMessage(String.format(Locale.ROOT, "%.1f s", seconds));
            }

            @Override
            public void close() {
                if (bar != null) {
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

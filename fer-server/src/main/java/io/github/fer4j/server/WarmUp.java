package io.github.fer4j.server;

import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.FaceBox;
import io.github.fer4j.vision.Images;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The engines' warm-up before a server listens: on every worker at once, a few rounds of what a request does (decode a
 * 640x480 JPEG, search it for faces, cut a face from it and run the model on the cut). A worker's first round parses its
 * own copy of the detector's cascades and runs code the JIT has not compiled yet, many times the usual time; without the
 * warm-up, those first requests were part of a client's first burst. Each round's time seeds the {@link ServiceTime}.
 */
final class WarmUp {
    private WarmUp() {
    }

    /** Runs {@code rounds} rounds on each of the {@code threads} workers of {@code pool}; returns how long it took. */
    static Duration run(EmotionRecognizer recognizer, ThreadPoolExecutor pool, int threads, int rounds, ServiceTime serviceTime) {
        if (rounds == 0) {
            return Duration.ZERO;
        }
        long start = System.nanoTime();
        byte[] photo = photo();
        // Every round holds all workers at once, so that each worker runs each round (a free one cannot take two).
        CyclicBarrier together = new CyclicBarrier(threads);
        pool.prestartAllCoreThreads();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            workers.add(submit(pool, () -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        await(together);
                        long began = System.nanoTime();
                        once(recognizer, photo);
                        serviceTime.add(System.nanoTime() - began);
                    }
                } catch (RuntimeException e) {
                    together.reset();   // the others, waiting for this worker at the barrier, stop too
                    throw e;
                }
            }));
        }
        // A worker that failed stops the others at the barrier; its own failure, not theirs, is the one to report.
        Throwable failure = null;
        for (Future<?> f : workers) {
            try {
                f.get();
            } catch (ExecutionException e) {
                boolean stopped = e.getCause().getCause() instanceof BrokenBarrierException;
                if (failure == null || !stopped && failure.getCause() instanceof BrokenBarrierException) {
                    failure = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted in the warm-up", e);
            }
        }
        if (failure != null) {
            throw failure instanceof RuntimeException r ? r : new IllegalStateException("the warm-up failed: " + failure, failure);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** What a request does, on a photo without a face: decode, detect, and a face cut from the middle, classified. */
    @SuppressWarnings("try") // the scope frees what is allocated inside it
    static void once(EmotionRecognizer recognizer, byte[] jpeg) {
        BufferedImage image = recognizer.decoder().decodeLuma(jpeg, "warm-up photo");
        recognizer.recognize(image);
        try (PointerScope scope = new PointerScope()) {
            Mat gray = Images.gray(image);
            FaceBox middle = new FaceBox(image.getWidth() / 2 - 100, image.getHeight() / 2 - 100, 200, 200);
            recognizer.classify(middle, recognizer.crop(gray, middle));
        }
    }

    /**
     * A just-started pool may not have its workers waiting yet: a hand-off queue (queue 0) then refuses the task.
     * Tries again for up to ten seconds.
     */
    private static Future<?> submit(ThreadPoolExecutor pool, Runnable task) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                return pool.submit(task);
            } catch (RejectedExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the workers did not take the warm-up", e);
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in the warm-up", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("another worker's warm-up failed", e);
        }
    }

    /** A 640x480 JPEG of a gray ramp with noise, seeded: what a camera might send, without a face in it. */
    static byte[] photo() {
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        SplittableRandom random = new SplittableRandom(29);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int v = (int) Math.max(0, Math.min(255, 90 + x / 8 + y / 16 + random.nextGaussian() * 10));
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

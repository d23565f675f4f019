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
 * warm-up, those first requests were part of a client's first burst. Each worker's fastest round seeds the
 * {@link ServiceTime}.
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
                    long fastest = Long.MAX_VALUE;
                    for (int r = 0; r < rounds; r++) {
                        await(together);
                        long began = ServiceTime.clock();
                        once(recognizer, photo);
                        fastest = Math.min(fastest, ServiceTime.clock() - began);
                    }
                    // The warm pace, not the cold rounds the warm-up is there to absorb: seeded with their median (the
                    // rounds before, 0.5 to 0.7 s in all on this 2-core machine), a just-started server estimated its
                    // first burst's waits at twice what they were and refused 92 to 127 of 200 uploads that it would
                    // have answered within its bound (bench/burst.sh).
                    // Each round counts as one request at that pace, so that the first few of a burst (cold on the
                    // HTTP path the warm-up does not take) do not make the median alone.
                    for (int r = 0; r < rounds; r++) {
                        serviceTime.add(fastest);
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

    /** A 640x480 JPEG with one drawn face of 220 px on a plain background, seeded: what most uploads are like. */
    static byte[] photo() {
        // A face the detector finds, as most uploads have: a photo without one costs the whole search (the zoom-out
        // pass and every tile level), several times a one-face photo, and its time made the wait estimate too high.
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(new java.awt.Color(140, 150, 160));
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        BufferedImage face = new BufferedImage(48, 48, BufferedImage.TYPE_BYTE_GRAY);
        face.getRaster().setDataElements(0, 0, 48, 48,
                io.github.fer4j.data.SyntheticFaces.draw(io.github.fer4j.data.Emotion.HAPPY, new SplittableRandom(3)));
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(face, 210, 120, 220, 220, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

package io.github.fer4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads another stream on a background thread, a few chunks ahead of the consumer, so that the work behind that
 * stream (reading, hashing and inflating a gzip file) runs while the consumer parses the previous chunk. The bytes
 * are exactly those of the source; an exception the source throws reaches the consumer, unchanged, at the point of
 * the stream where it happened.
 */
final class ReadAheadInputStream extends InputStream {
    private static final int CHUNKS = 4;

    /** A filled buffer, the end of the stream ({@code length < 0}), or the source's failure. */
    private record Chunk(byte[] bytes, int length, IOException failure) { }

    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(CHUNKS + 2);
    private final Thread reader;
    private Chunk current;
    private int position;
    private boolean finished;

    ReadAheadInputStream(InputStream source, int chunkSize, String threadName) {
        for (int i = 0; i < CHUNKS + 2; i++) {
            empty.add(new byte[chunkSize]);
        }
        reader = new Thread(() -> fill(source), threadName);
        reader.setDaemon(true);
        reader.start();
    }

    /** The background loop: fill recycled buffers from the source until it ends, fails, or the consumer closes. */
    private void fill(InputStream source) {
        try (source) {
            while (true) {
                byte[] buffer = empty.take();
                int length = 0;
                int n = 0;
                IOException failure = null;
                try {
                    while (length < buffer.length && (n = source.read(buffer, length, buffer.length - length)) >= 0) {
                        length += n;
                    }
                } catch (IOException e) {
                    failure = e;
                }
                // The bytes read before a failure are handed out first, so it surfaces where it happened.
                if (length > 0) {
                    filled.put(new Chunk(buffer, length, null));
                }
                if (failure != null || n < 0) {
                    filled.put(new Chunk(null, -1, failure));
                    return;
                }
            }
        } catch (IOException e) {
            // Only closing the source can fail here, after its last byte was handed out: nothing is lost.
        } catch (InterruptedException e) {
            // The consumer closed the stream early (a bad row): stop reading.
        }
    }

    /** Makes the next chunk current; false at the end of the stream. */
    private boolean advance() throws IOException {
        if (finished) {
            return false;
        }
        if (current != null) {
            empty.add(current.bytes());
            current = null;
        }
        Chunk next;
        try {
            next = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the file's next bytes");
        }
        if (next.length() < 0) {
            finished = true;
            if (next.failure() != null) {
                throw next.failure();
            }
            return false;
        }
        current = next;
        position = 0;
        return true;
    }

    @Override
    public int read() throws IOException {
        if ((current == null || position == current.length()) && !advance()) {
            return -1;
        }
        return current.bytes()[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if ((current == null || position == current.length()) && !advance()) {
            return -1;
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.bytes(), position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public void close() {
        reader.interrupt();
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

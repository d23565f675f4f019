package io.github.fer4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

/** The background reader hands out the source's bytes unchanged, its failure at the same place, and stops on close. */
class ReadAheadInputStreamTest {
    /** A source that gives at most 7 bytes a call and fails after {@code failAt} bytes, when asked to. */
    private static final class Trickle extends InputStream {
        private final ByteArrayInputStream bytes;
        private final int failAt;
        private final IOException failure;
        private int given;
        volatile boolean closed;

        Trickle(byte[] data, int failAt, IOException failure) {
            this.bytes = new ByteArrayInputStream(data);
            this.failAt = failAt;
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (failure != null && given >= failAt) {
                throw failure;
            }
            int n = bytes.read(b, off, Math.min(Math.min(len, 7), failure == null ? len : failAt - given));
            given += Math.max(n, 0);
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static byte[] data(int n) {
        byte[] data = new byte[n];
        new SplittableRandom(n).nextBytes(data);
        return data;
    }

    @Test
    void givesTheSourceBytesInOrderWhateverTheReadSizes() throws IOException {
        byte[] data = data(10_007);
        Trickle source = new Trickle(data, 0, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ReadAheadInputStream in = new ReadAheadInputStream(source, 64, "test")) {
            int b = in.read();
            out.write(b);
            byte[] buffer = new byte[13];
            int n;
            while ((n = in.read(buffer, 0, buffer.length)) > 0) {
                out.write(buffer, 0, n);
            }
            assertEquals(-1, in.read());
        }
        assertArrayEquals(data, out.toByteArray());
        assertTrue(source.closed, "the source is closed when it ends");
    }

    @Test
    void theSourcesFailureArrivesAfterTheBytesBeforeIt() throws IOException {
        byte[] data = data(1000);
        ZipException failure = new ZipException("invalid distance too far back");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ReadAheadInputStream in = new ReadAheadInputStream(new Trickle(data, 300, failure), 64, "test")) {
            byte[] buffer = new byte[50];
            IOException thrown = assertThrows(IOException.class, () -> {
                int n;
                while ((n = in.read(buffer, 0, buffer.length)) > 0) {
                    out.write(buffer, 0, n);
                }
            });
            assertSame(failure, thrown, "the same exception, so the reader can still tell a corrupt gzip stream");
        }
        assertArrayEquals(java.util.Arrays.copyOf(data, 300), out.toByteArray());
    }

    @Test
    void closingEarlyStopsTheBackgroundReaderAndClosesTheSource() throws IOException {
        Trickle source = new Trickle(data(1 << 20), 0, null);
        ReadAheadInputStream in = new ReadAheadInputStream(source, 64, "test");
        in.read();
        in.close();
        assertTrue(source.closed);
    }
}

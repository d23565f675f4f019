package io.github.fer4j.vision;

import java.io.IOException;
import java.util.Objects;
import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * The bytes of one photo as an ImageIO stream, in memory, that stops a reader decoding from beyond the end of the
 * data. ImageIO's own stream for an InputStream copies it to a temporary file; and TwelveMonkeys' WebP reader takes
 * each read past the end as zeros and goes on, so a 40-byte file that declares 16384 x 2400 pixels would cost
 * seconds of CPU and gigabytes of EOFExceptions. A few reads past the end are normal (bit readers fetch ahead).
 */
final class InMemoryImageStream extends ImageInputStreamImpl {
    /** Reads past the end that a valid image may make: its decoder fetching a few bytes ahead of what it uses. */
    static final int READS_PAST_END_ALLOWED = 1024;

    private final byte[] bytes;
    private int readsPastEnd;

    InMemoryImageStream(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        if (streamPos >= bytes.length) {
            pastEnd();
            return -1;
        }
        return bytes[(int) streamPos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        Objects.checkFromIndexSize(off, len, b.length);
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= bytes.length) {
            pastEnd();
            return -1;
        }
        int n = (int) Math.min(len, bytes.length - streamPos);
        System.arraycopy(bytes, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return bytes.length;
    }

    /** Not an EOFException, which the WebP reader swallows: this one ends the decoding. */
    private void pastEnd() throws IIOException {
        if (++readsPastEnd > READS_PAST_END_ALLOWED) {
            throw new IIOException("the image data ends before its pixels do", new java.io.EOFException());
        }
    }
}

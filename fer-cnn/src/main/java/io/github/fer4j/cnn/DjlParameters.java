package io.github.fer4j.cnn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the learned arrays out of {@code parameters.djl} (what DJL's {@code Block.saveParameters} writes) in plain Java,
 * so that an engine other than PyTorch can run a stored network without loading libtorch.
 *
 * <p>DJL writes each parameter as the char {@code 'P'}, a version byte, the parameter's name (modified UTF-8) and the
 * array in DJL's NDArray encoding: {@code "NDAR"}, its version (3 since DJL 0.2x), the array's optional name, the sparse
 * format, the data type, the shape (rank, the dimensions as longs, the layout characters), the byte order, the data's
 * length and the data. Between
 * parameters sit each block's own few bytes (its version and input shapes), which say nothing about the numbers and are
 * skipped; the reader finds the next parameter by its header and refuses gaps that are longer than a block's header can
 * be. Checking the names and shapes against an architecture is the engine's part.
 */
public final class DjlParameters {
    /** The most bytes of block headers (versions, input shapes) that can lie between two parameters. */
    private static final int MAX_GAP = 4096;
    private static final byte[] MAGIC = {0, 4, 'N', 'D', 'A', 'R'};

    private DjlParameters() {
    }

    /** The parameters in the order DJL wrote them, which is the order the layers use them. */
    public static List<CnnModel.Tensor> read(byte[] bytes) throws IOException {
        try {
            return parse(bytes);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException | ArithmeticException e) {
            throw new IOException("parameters: the data ends inside a parameter's header (" + bytes.length + " bytes)", e);
        }
    }

    private static List<CnnModel.Tensor> parse(byte[] bytes) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        List<CnnModel.Tensor> tensors = new ArrayList<>();
        int position = 0;
        while (true) {
            int header = nextParameter(bytes, position);
            if (header < 0) {
                if (bytes.length - position > MAX_GAP) {
                    throw new IOException("parameters: " + (bytes.length - position) + " bytes after byte " + position
                            + " hold no parameter; DJL writes at most " + MAX_GAP + " bytes of block headers there");
                }
                break;
            }
            if (header - position > MAX_GAP) {
                throw new IOException("parameters: " + (header - position) + " unreadable bytes before byte " + header);
            }
            in.position(header + 3);
            String name = utf(in, header);
            expect(in, "NDAR", header);
            int version = in.getInt();
            if (version < 1 || version > 3) {
                throw new IOException("parameter " + name + ": NDArray encoding version " + version + ", fer4j reads 1 to 3");
            }
            if (version > 1 && in.get() == 1) {
                utf(in, header); // the array's own name, which DJL leaves unset for parameters
            }
            utf(in, header); // the sparse format: a stored parameter is dense
            String type = utf(in, header);
            if (!type.equals("FLOAT32")) {
                throw new IOException("parameter " + name + " holds " + type + "; fer4j networks store FLOAT32");
            }
            long[] shape = shape(in, name);
            // Version 3 names the byte order ('>' big-endian, '<' little-endian); older versions wrote the machine's own.
            ByteOrder order = version > 2 && in.get() == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            int length = in.getInt();
            long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            if (length != count * Float.BYTES || length > in.remaining()) {
                throw new IOException("parameter " + name + " " + Arrays.toString(shape) + " should hold " + count * Float.BYTES
                        + " bytes, its header says " + length + " and " + in.remaining() + " remain");
            }
            float[] values = new float[(int) count];
            in.slice().order(order).asFloatBuffer().get(values);
            position = in.position() + length;
            tensors.add(new CnnModel.Tensor(name, shape, values));
        }
        if (tensors.isEmpty()) {
            throw new IOException("parameters: no parameter found in " + bytes.length + " bytes");
        }
        return tensors;
    }

    /** Where the next parameter's header ({@code 'P'}, version 1, a name, {@code "NDAR"}) starts, or -1. */
    private static int nextParameter(byte[] b, int from) {
        for (int i = from; i + 5 < b.length; i++) {
            if (b[i] != 0 || b[i + 1] != 'P' || b[i + 2] != 1) {
                continue;
            }
            int nameLength = ((b[i + 3] & 0xFF) << 8) | (b[i + 4] & 0xFF);
            int magic = i + 5 + nameLength;
            if (nameLength > 0 && nameLength < 256 && magic + MAGIC.length <= b.length
                    && Arrays.equals(b, magic, magic + MAGIC.length, MAGIC, 0, MAGIC.length)) {
                return i;
            }
        }
        return -1;
    }

    private static String utf(ByteBuffer in, int header) throws IOException {
        int length = in.getShort() & 0xFFFF;
        if (length > in.remaining()) {
            throw new IOException("parameters: a name at byte " + header + " runs past the end");
        }
        byte[] s = new byte[length];
        in.get(s);
        // Parameter names and DJL's type names are ASCII, where modified UTF-8 and UTF-8 agree.
        return new String(s, StandardCharsets.UTF_8);
    }

    private static void expect(ByteBuffer in, String word, int header) throws IOException {
        String got = utf(in, header);
        if (!got.equals(word)) {
            throw new IOException("parameters: expected " + word + " at the parameter from byte " + header + ", found " + got);
        }
    }

    private static long[] shape(ByteBuffer in, String name) throws IOException {
        int rank = in.getInt();
        if (rank < 1 || rank > 8) {
            throw new IOException("parameter " + name + " has rank " + rank);
        }
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = in.getLong();
            if (shape[d] < 1 || shape[d] > 1 << 20) {
                throw new IOException("parameter " + name + " has dimension " + shape[d]);
            }
        }
        int layout = in.getInt();
        if (layout < 0 || layout > rank) {
            throw new IOException("parameter " + name + " has " + layout + " layout characters for rank " + rank);
        }
        in.position(in.position() + 2 * layout);
        return shape;
    }
}

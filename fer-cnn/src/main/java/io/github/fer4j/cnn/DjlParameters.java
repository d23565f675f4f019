package io.github.fer4j.cnn;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 *
 * <p>{@link #write} writes an architecture's parameters byte for byte as DJL's {@code saveParameters} writes the network
 * fer-pytorch builds for it (the block headers included, so that the PyTorch engine's layout check and resume accept
 * them): how networks trained elsewhere, or stored in fp16, become a model file without DJL.
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

    /**
     * The parameters of {@code architecture} for {@code classes} outputs, as DJL writes them: {@code values} in the order of
     * {@link Architecture#parameterSpecs}, each with its spec's number of values. DJL's format is big-endian, but it writes
     * the data of each array little-endian and says so.
     */
    public static byte[] write(Architecture architecture, int classes, List<float[]> values) {
        List<Architecture.ParameterSpec> specs = architecture.parameterSpecs(classes);
        if (values.size() != specs.size()) {
            throw new IllegalArgumentException(architecture.id() + " has " + specs.size() + " arrays, not " + values.size());
        }
        for (int i = 0; i < specs.size(); i++) {
            if (values.get(i).length != specs.get(i).size()) {
                throw new IllegalArgumentException(specs.get(i).name() + " holds " + specs.get(i).size() + " values, not "
                        + values.get(i).length);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            int side = architecture.inputSide();
            long[] input = {1, 1, side, side};
            // The network is one SequentialBlock: version 3, its input shapes, and "return intermediate" (false).
            out.write(3);
            inputShapes(out, input);
            out.writeBoolean(false);
            new BlockWriter(out, specs, values).blocks(architecture.nodes(classes), input);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return bytes.toByteArray();
    }

    /** Writes each node as the DJL block fer-pytorch's Networks builds for it, tracking the shape (batch 1) through. */
    private static final class BlockWriter {
        private final DataOutputStream out;
        private final List<Architecture.ParameterSpec> specs;
        private final List<float[]> values;
        private int next;

        BlockWriter(DataOutputStream out, List<Architecture.ParameterSpec> specs, List<float[]> values) {
            this.out = out;
            this.specs = specs;
            this.values = values;
        }

        /** Writes the blocks of {@code nodes} run on {@code shape}; returns the shape after them. */
        long[] blocks(List<Architecture.Node> nodes, long[] shape) throws IOException {
            for (Architecture.Node node : nodes) {
                shape = block(node, shape);
            }
            return shape;
        }

        private long[] block(Architecture.Node node, long[] shape) throws IOException {
            if (node instanceof Architecture.Conv c) {
                out.write(3);   // Conv2d, version 3: the input shapes, then the weight
                inputShapes(out, shape);
                parameter("weight");
                int outSide = c.outputSide((int) shape[2]);
                return new long[] {1, c.out(), outSide, outSide};
            }
            if (node instanceof Architecture.BatchNorm b) {
                out.write(2);   // BatchNorm, version 2: the input shapes and the channel count, then its four arrays
                inputShapes(out, shape);
                out.writeLong(b.channels());
                for (String name : List.of("gamma", "beta", "runningMean", "runningVar")) {
                    parameter(name);
                }
                return shape;
            }
            if (node instanceof Architecture.Residual r) {
                // A ParallelBlock (version 2) of the main path and the shortcut: a SequentialBlock each, or an identity
                // LambdaBlock for an empty shortcut.
                out.write(2);
                inputShapes(out, shape);
                long[] after = sequence(r.main(), shape);
                if (r.shortcut().isEmpty()) {
                    out.write(2);
                    inputShapes(out, shape);
                } else {
                    sequence(r.shortcut(), shape);
                }
                return after;
            }
            if (node instanceof Architecture.Dense d) {
                // Linear, version 4: units, input features, and the input shape without its last axis; then weight, bias.
                out.write(4);
                out.writeLong(d.out());
                out.writeLong(d.in());
                shape(out, Arrays.copyOf(shape, shape.length - 1));
                parameter("weight");
                parameter("bias");
                return new long[] {1, d.out()};
            }
            // The parameterless blocks (ReLU, pools, flatten, dropout) are LambdaBlocks or alike: version 2, input shapes.
            out.write(2);
            inputShapes(out, shape);
            if (node instanceof Architecture.MaxPool) {
                return new long[] {1, shape[1], (shape[2] + 1) / 2, (shape[3] + 1) / 2};
            }
            if (node instanceof Architecture.GlobalAveragePool) {
                return new long[] {1, shape[1]};
            }
            if (node instanceof Architecture.Flatten) {
                long features = 1;
                for (int d = 1; d < shape.length; d++) {
                    features *= shape[d];
                }
                return new long[] {1, features};
            }
            return shape;
        }

        private long[] sequence(List<Architecture.Node> nodes, long[] shape) throws IOException {
            out.write(3);
            inputShapes(out, shape);
            out.writeBoolean(false);
            return blocks(nodes, shape);
        }

        /** One parameter as DJL's Parameter.save writes it: 'P', version 1, its name, then the array. */
        private void parameter(String name) throws IOException {
            Architecture.ParameterSpec spec = specs.get(next);
            float[] data = values.get(next++);
            out.writeChar('P');
            out.writeByte(1);
            out.writeUTF(name);
            // The array as NDArray.encode writes it: "NDAR", version 3, its name, dense, FLOAT32, the shape, '<' and the data.
            out.writeUTF("NDAR");
            out.writeInt(3);
            out.writeByte(1);
            out.writeUTF(name);
            out.writeUTF("DENSE");
            out.writeUTF("FLOAT32");
            shape(out, spec.shape());
            out.writeByte('<');
            out.writeInt(data.length * Float.BYTES);
            ByteBuffer little = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            little.asFloatBuffer().put(data);
            out.write(little.array());
        }
    }

    /** A block's input shapes: their count (one), then the shape. */
    private static void inputShapes(DataOutputStream out, long[] shape) throws IOException {
        out.writeInt(1);
        shape(out, shape);
    }

    /** DJL's Shape.getEncoded: the rank, the dimensions, then one layout character per axis ('?': not given). */
    private static void shape(DataOutputStream out, long[] shape) throws IOException {
        out.writeInt(shape.length);
        for (long d : shape) {
            out.writeLong(d);
        }
        out.writeInt(shape.length);
        for (int d = 0; d < shape.length; d++) {
            out.writeChar('?');
        }
    }
}

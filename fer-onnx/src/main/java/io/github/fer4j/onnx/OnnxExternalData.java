package io.github.fer4j.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.FunctionProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.SparseTensorProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TrainingInfoProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.fer4j.data.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;

/**
 * Tensors of an ONNX graph whose data lies in files beside it ({@code data_location: EXTERNAL}, with the entries
 * {@code location}, {@code offset}, {@code length}), as exporters write large networks. ONNX Runtime, handed a graph's
 * bytes, would look for those files from the working directory, and it also knows locations that are no file at all
 * (a memory address). So fer4j reads them itself, before ONNX Runtime sees the graph: each location must name a
 * regular file inside the model's own folder ({@link ModelFolder}) that holds the bytes the tensor's type and shape need
 * at the offset and length given. Their data is then put into the graph, which is whole from there on: it loads wherever the command runs from,
 * and an ensemble or a Spark job that carries its bytes carries the weights too. Anything else is an
 * InvalidInputException naming the model, the tensor and the location, and ONNX Runtime reads nothing.
 */
final class OnnxExternalData {
    /** The entries of an external tensor the ONNX specification defines. */
    static final Set<String> KEYS = Set.of("location", "offset", "length", "checksum");
    /** Protocol buffers' limit on a message, less room for the graph around the data. */
    static final long MOST_INLINED_BYTES = Integer.MAX_VALUE - (64L << 20);

    private final Path folder;
    private final String source;
    private long inlined;

    private OnnxExternalData(Path folder, String source) {
        this.folder = folder;
        this.source = source;
    }

    /**
     * The graph {@code bytes} with every external tensor's data read into it from {@code folder} (the model file's folder;
     * null when the graph came without one, from an ensemble file say); the same bytes when no tensor is external or
     * the bytes are no ONNX model (ONNX Runtime then says why).
     */
    static byte[] inline(byte[] bytes, Path folder, String source) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return bytes;
        }
        if (!hasExternal(model)) {
            return bytes;
        }
        OnnxExternalData reader = new OnnxExternalData(folder, source);
        ModelProto.Builder whole = model.toBuilder();
        reader.graph(whole.getGraphBuilder());
        for (TrainingInfoProto.Builder training : whole.getTrainingInfoBuilderList()) {
            reader.graph(training.getInitializationBuilder());
            reader.graph(training.getAlgorithmBuilder());
        }
        for (FunctionProto.Builder function : whole.getFunctionsBuilderList()) {
            for (NodeProto.Builder node : function.getNodeBuilderList()) {
                reader.node(node);
            }
        }
        return whole.build().toByteArray();
    }

    /** Whether any tensor of the model, in any graph, sub-graph or function, keeps its data outside. */
    private static boolean hasExternal(ModelProto model) {
        if (hasExternal(model.getGraph())) {
            return true;
        }
        for (TrainingInfoProto training : model.getTrainingInfoList()) {
            if (hasExternal(training.getInitialization()) || hasExternal(training.getAlgorithm())) {
                return true;
            }
        }
        for (FunctionProto function : model.getFunctionsList()) {
            for (NodeProto node : function.getNodeList()) {
                if (hasExternal(node)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasExternal(GraphProto graph) {
        for (TensorProto t : graph.getInitializerList()) {
            if (external(t)) {
                return true;
            }
        }
        for (SparseTensorProto s : graph.getSparseInitializerList()) {
            if (external(s.getValues()) || external(s.getIndices())) {
                return true;
            }
        }
        for (NodeProto node : graph.getNodeList()) {
            if (hasExternal(node)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasExternal(NodeProto node) {
        for (AttributeProto a : node.getAttributeList()) {
            if (external(a.getT()) || a.getTensorsList().stream().anyMatch(OnnxExternalData::external)
                    || external(a.getSparseTensor().getValues()) || external(a.getSparseTensor().getIndices())
                    || a.getSparseTensorsList().stream().anyMatch(s -> external(s.getValues()) || external(s.getIndices()))
                    || hasExternal(a.getG()) || a.getGraphsList().stream().anyMatch(OnnxExternalData::hasExternal)) {
                return true;
            }
        }
        return false;
    }

    private static boolean external(TensorProto t) {
        return t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0;
    }

    private void graph(GraphProto.Builder graph) {
        for (TensorProto.Builder t : graph.getInitializerBuilderList()) {
            tensor(t);
        }
        for (SparseTensorProto.Builder s : graph.getSparseInitializerBuilderList()) {
            tensor(s.getValuesBuilder());
            tensor(s.getIndicesBuilder());
        }
        for (NodeProto.Builder node : graph.getNodeBuilderList()) {
            node(node);
        }
    }

    private void node(NodeProto.Builder node) {
        for (AttributeProto.Builder a : node.getAttributeBuilderList()) {
            if (a.hasT()) {
                tensor(a.getTBuilder());
            }
            for (TensorProto.Builder t : a.getTensorsBuilderList()) {
                tensor(t);
            }
            if (a.hasSparseTensor()) {
                tensor(a.getSparseTensorBuilder().getValuesBuilder());
                tensor(a.getSparseTensorBuilder().getIndicesBuilder());
            }
            for (SparseTensorProto.Builder s : a.getSparseTensorsBuilderList()) {
                tensor(s.getValuesBuilder());
                tensor(s.getIndicesBuilder());
            }
            if (a.hasG()) {
                graph(a.getGBuilder());
            }
            for (GraphProto.Builder g : a.getGraphsBuilderList()) {
                graph(g);
            }
        }
    }

    /** Reads an external tensor's data into it, after checking where it lies; leaves any other tensor as it is. */
    private void tensor(TensorProto.Builder t) {
        if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL && t.getExternalDataCount() == 0) {
            return;
        }
        String name = t.getName().isEmpty() ? "(unnamed)" : t.getName();
        Map<String, String> entries = new java.util.LinkedHashMap<>();
        for (StringStringEntryProto e : t.getExternalDataList()) {
            if (!KEYS.contains(e.getKey())) {
                throw refused(name, null, "has the external data entry '" + e.getKey() + "', which ONNX does not define "
                        + "(it defines " + new java.util.TreeSet<>(KEYS) + ")");
            }
            entries.put(e.getKey(), e.getValue());
        }
        String location = entries.get("location");
        if (location == null || location.isEmpty()) {
            throw refused(name, null, "keeps its data outside the graph but names no location");
        }
        if (folder == null) {
            throw refused(name, location, "is named, but this graph came without its folder (it was stored inside another "
                    + "file); load the .onnx file from its folder instead");
        }
        Path file;
        try {
            file = ModelFolder.resolve(folder, location);
        } catch (ModelFolder.Refused e) {
            throw refused(name, location, e.getMessage());
        }
        long offset = whole(name, location, entries, "offset", 0);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw refused(name, location, "cannot be read: " + e.getMessage());
        }
        long length = whole(name, location, entries, "length", size - offset);
        if (offset > size || length > size - offset) {
            throw refused(name, location, "is " + size + " bytes, too short for " + length + " bytes at offset " + offset);
        }
        long expected = expectedBytes(t);
        if (expected >= 0 && expected != length) {
            throw refused(name, location, "gives " + length + " bytes where the tensor's type and shape "
                    + t.getDimsList() + " need " + expected);
        }
        inlined += length;
        if (inlined > MOST_INLINED_BYTES) {
            throw refused(name, location, "brings the external data to " + inlined + " bytes, more than fer4j puts into one "
                    + "graph (" + MOST_INLINED_BYTES + ")");
        }
        byte[] data = new byte[(int) length];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw refused(name, location, "ended before " + length + " bytes at offset " + offset);
                }
            }
        } catch (IOException e) {
            throw refused(name, location, "cannot be read: " + e.getMessage());
        }
        t.clearExternalData().setDataLocation(TensorProto.DataLocation.DEFAULT).setRawData(ByteString.copyFrom(data));
    }

    /** A whole number of bytes from the entry {@code key}, or {@code otherwise} when it is absent. */
    private long whole(String name, String location, Map<String, String> entries, String key, long otherwise) {
        String value = entries.get(key);
        if (value == null) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw refused(name, location, "has " + key + " '" + value + "', not a whole number of bytes");
        }
    }

    /** The bytes a tensor of fixed-size elements needs (elements x size, 4-bit types packed two to a byte); -1 otherwise. */
    private static long expectedBytes(TensorProto.Builder t) {
        long elements = 1;
        for (long d : t.getDimsList()) {
            if (d < 0) {
                return -1;
            }
            elements = Math.multiplyExact(elements, d);
        }
        TensorProto.DataType type = TensorProto.DataType.forNumber(t.getDataType());
        if (type == null) {
            return -1;
        }
        return switch (type) {
            case FLOAT, INT32, UINT32 -> 4 * elements;
            case DOUBLE, INT64, UINT64, COMPLEX64 -> 8 * elements;
            case COMPLEX128 -> 16 * elements;
            case UINT8, INT8, BOOL -> elements;
            case UINT16, INT16, FLOAT16, BFLOAT16 -> 2 * elements;
            default -> -1;
        };
    }

    private InvalidInputException refused(String tensor, String location, String reason) {
        return new InvalidInputException(source + ": tensor '" + tensor + "': external data"
                + (location == null ? " " : " '" + location + "' ") + reason);
    }
}

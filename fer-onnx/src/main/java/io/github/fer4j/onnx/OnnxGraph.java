package io.github.fer4j.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * A graph being written with ONNX's own protobuf classes: constants, nodes with fresh output names, and the model
 * around it. Each model kind's writer adds its nodes here; nothing here knows a model kind.
 */
final class OnnxGraph {
    /** ONNX operator set 13: every operator used here has its current meaning there, and runtimes back to 2021 read it. */
    static final int OPSET = 13;
    /** IR version 7 goes with opset 13. */
    static final int IR_VERSION = 7;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private int counter;

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A fresh value name starting with {@code hint}. */
    String name(String hint) {
        return hint + "_" + counter++;
    }

    /** A float32 constant of the given shape (values row-major). */
    String constant(String hint, long[] shape, float[] values) {
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        if (size != values.length) {
            throw new IllegalArgumentException(hint + ": " + values.length + " values for a shape of " + size);
        }
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        String name = name(hint);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber())
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** An int8 constant of the given shape (quantized weights, zero points). */
    String int8s(String hint, long[] shape, byte[] values) {
        return initializer(hint, TensorProto.DataType.INT8, shape, values.length, values);
    }

    /** A uint8 scalar (an activation's zero point). */
    String uint8(String hint, int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException(hint + ": " + value + " is not a uint8");
        }
        return initializer(hint, TensorProto.DataType.UINT8, new long[0], 1, new byte[] {(byte) value});
    }

    /** An int32 constant of the given shape (quantized biases). */
    String int32s(String hint, long[] shape, int[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(values);
        return initializer(hint, TensorProto.DataType.INT32, shape, values.length, bytes.array());
    }

    private String initializer(String hint, TensorProto.DataType type, long[] shape, int count, byte[] raw) {
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        if (size != count) {
            throw new IllegalArgumentException(hint + ": " + count + " values for a shape of " + size);
        }
        String name = name(hint);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(raw));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** An int64 constant (shapes, indices, slice bounds). */
    String longs(String hint, long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        String name = name(hint);
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
                .addDims(values.length).setRawData(ByteString.copyFrom(bytes.array())));
        return name;
    }

    /** A float32 scalar constant. */
    String scalar(String hint, float value) {
        return constant(hint, new long[0], new float[] {value});
    }

    /** Adds a node with one output, named fresh from the operator; attributes are long, long[], float or String. */
    String node(String op, Map<String, Object> attributes, String... inputs) {
        String out = name(op.toLowerCase(java.util.Locale.ROOT));
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(out).addOutput(out);
        for (String in : inputs) {
            node.addInput(in);
        }
        // In name order: Map.of iterates in an order that changes from one JVM to the next, and the same model must
        // give the same bytes.
        new java.util.TreeMap<>(attributes).forEach((key, value) -> node.addAttribute(attribute(key, value)));
        graph.addNode(node);
        return out;
    }

    String node(String op, String... inputs) {
        return node(op, Map.of(), inputs);
    }

    private static AttributeProto attribute(String name, Object value) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (value instanceof Long l) {
            a.setType(AttributeProto.AttributeType.INT).setI(l);
        } else if (value instanceof Integer i) {
            a.setType(AttributeProto.AttributeType.INT).setI(i);
        } else if (value instanceof long[] ls) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (long l : ls) {
                a.addInts(l);
            }
        } else if (value instanceof Float f) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
        } else if (value instanceof String s) {
            a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else {
            throw new IllegalArgumentException("attribute " + name + ": unsupported value " + value);
        }
        return a.build();
    }

    /** Declares a float32 graph input or output; a dimension of -1 is the dynamic batch "N". */
    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }

    void input(String name, long... dims) {
        graph.addInput(value(name, dims));
    }

    /** Names the graph's output: an Identity node gives the last value the public name. */
    void output(String from, String name, long... dims) {
        graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName(name).addInput(from).addOutput(name));
        graph.addOutput(value(name, dims));
    }

    /** Makes the float32 value {@code from}, of any shape, one more output of the graph, under its own name. */
    void extraOutput(String from) {
        graph.addOutput(ValueInfoProto.newBuilder().setName(from).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()))).build());
    }

    /** The whole model: this graph, the opset, who made it and the metadata. */
    ModelProto model(String producerVersion, String doc, Map<String, String> metadata) {
        ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("fer4j")
                .setProducerVersion(producerVersion).setDocString(doc)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(graph);
        metadata.forEach((key, value) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return model.build();
    }
}

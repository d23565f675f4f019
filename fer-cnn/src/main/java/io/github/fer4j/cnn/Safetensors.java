package io.github.fer4j.cnn;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.fer4j.data.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a safetensors file (the PyTorch trainer's output): an 8-byte little-endian header length, a JSON header naming
 * each tensor's dtype, shape and byte range, then the data. F32, F16 (widened to float) and U8 tensors; anything that does
 * not add up is refused, naming the file and the tensor.
 */
public final class Safetensors {
    /** Larger headers are refused before they are read (the trainer's are a few kilobytes). */
    private static final long MAX_HEADER = 16L << 20;

    /** One tensor: its dtype as the file names it (F32, F16, U8), its shape, and its values as floats or bytes. */
    public record Tensor(String name, String dtype, long[] shape, float[] floats, byte[] bytes) {
        public long size() {
            return Arrays.stream(shape).reduce(1, Math::multiplyExact);
        }
    }

    private Safetensors() {
    }

    /** The tensors of {@code file} in the order of their data. */
    public static Map<String, Tensor> read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw InvalidInputException.at(file, "cannot read: " + e.getMessage());
        }
        if (all.length < 8) {
            throw InvalidInputException.at(file, "not a safetensors file (" + all.length + " bytes)");
        }
        long headerLength = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > all.length - 8) {
            throw InvalidInputException.at(file, "not a safetensors file (a header of " + headerLength + " bytes in a file of "
                    + all.length + ")");
        }
        JsonObject header;
        try {
            header = JsonParser.parseString(new String(all, 8, (int) headerLength, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw InvalidInputException.at(file, "the safetensors header is not a JSON object: " + e.getMessage());
        }
        int dataStart = 8 + (int) headerLength;
        long dataLength = all.length - dataStart;
        Map<String, Tensor> out = new LinkedHashMap<>();
        long covered = 0;
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            String where = "tensor " + name;
            try {
                JsonObject t = e.getValue().getAsJsonObject();
                String dtype = t.get("dtype").getAsString();
                int width = switch (dtype) {
                    case "F32" -> 4;
                    case "F16" -> 2;
                    case "U8" -> 1;
                    default -> throw InvalidInputException.at(file, where + " is " + dtype + "; fer4j reads F32, F16 and U8");
                };
                long[] shape = new long[t.getAsJsonArray("shape").size()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = t.getAsJsonArray("shape").get(d).getAsLong();
                    if (shape[d] < 0 || shape[d] > Integer.MAX_VALUE) {
                        throw InvalidInputException.at(file, where + " has dimension " + shape[d]);
                    }
                }
                long begin = t.getAsJsonArray("data_offsets").get(0).getAsLong();
                long end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
                long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
                if (begin < 0 || end < begin || end > dataLength || end - begin != count * width) {
                    throw InvalidInputException.at(file, where + " " + Arrays.toString(shape) + " " + dtype + " needs "
                            + count * width + " bytes; its offsets " + begin + ".." + end + " (of " + dataLength + ") do not hold them");
                }
                covered += end - begin;
                ByteBuffer data = ByteBuffer.wrap(all, dataStart + (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                float[] floats = null;
                byte[] bytes = null;
                if (dtype.equals("U8")) {
                    bytes = new byte[(int) count];
                    data.get(bytes);
                } else {
                    floats = new float[(int) count];
                    for (int i = 0; i < floats.length; i++) {
                        floats[i] = dtype.equals("F32") ? data.getFloat() : Half.toFloat(data.getShort());
                    }
                }
                out.put(name, new Tensor(name, dtype, shape, floats, bytes));
            } catch (InvalidInputException ex) {
                throw ex;
            } catch (RuntimeException ex) {
                throw InvalidInputException.at(file, where + ": a header entry without dtype, shape and data_offsets ("
                        + ex.getMessage() + ")");
            }
        }
        if (covered > dataLength) {
            throw InvalidInputException.at(file, "the tensors overlap (" + covered + " bytes of data in " + dataLength + ")");
        }
        return out;
    }
}

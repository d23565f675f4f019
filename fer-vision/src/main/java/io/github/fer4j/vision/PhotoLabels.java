package io.github.fer4j.vision;

import io.github.fer4j.data.Emotion;
import io.github.fer4j.data.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The labels file of {@code fer evaluate-photos}: one {@code path,emotion} per line (the path relative to the photo
 * folder; a header line starting with {@code path,} is allowed, blank lines are skipped), read into labelled photos.
 *
 * @param file    the labels file, for error messages
 * @param entries the labelled photos, in file order
 */
public record PhotoLabels(Path file, List<Entry> entries) {
    /** One labelled photo: its line in the file, the photo's path as written there (relative), and its emotion. */
    public record Entry(int line, Path photo, Emotion emotion) { }

    public PhotoLabels {
        entries = List.copyOf(entries);
    }

    /** Reads a labels file; a missing file or a bad line is an InvalidInputException naming the file and line. */
    public static PhotoLabels read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.at(file, "no such labels file");
        }
        List<String> lines = text(file).lines().toList();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || (i == 0 && line.toLowerCase(Locale.ROOT).startsWith("path,"))) {
                continue;
            }
            int lineNumber = i + 1;
            int comma = line.lastIndexOf(',');
            if (comma < 0) {
                throw InvalidInputException.at(file, lineNumber, "expected path,emotion");
            }
            String photo = line.substring(0, comma).strip().replace("\"", "");
            String name = line.substring(comma + 1).strip();
            Emotion emotion = Emotion.parse(name).orElseThrow(() -> InvalidInputException.at(file, lineNumber,
                    "unknown emotion '" + name + "' (expected one of " + Arrays.stream(Emotion.values())
                            .map(Emotion::displayName).collect(Collectors.joining(", ")) + ")"));
            Path path;
            try {
                path = Path.of(photo);
            } catch (InvalidPathException e) {
                throw InvalidInputException.at(file, lineNumber, "'" + photo + "' is not a valid path: " + e.getReason());
            }
            entries.add(new Entry(lineNumber, path, emotion));
        }
        if (entries.isEmpty()) {
            throw InvalidInputException.at(file, "no labelled photos");
        }
        return new PhotoLabels(file, entries);
    }

    /** The file as UTF-8 text; bytes that are not UTF-8 are refused with the line they are on. */
    private static String text(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw InvalidInputException.at(file, "cannot read: " + e.getMessage());
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = StandardCharsets.UTF_8.newDecoder().decode(in, out, true);
        if (result.isError()) {
            throw InvalidInputException.at(file, lineAt(bytes, in.position()), "not UTF-8 text");
        }
        return out.flip().toString();
    }

    /** The 1-based line of byte {@code position}, counting line breaks as String.lines() does (\n, \r, \r\n). */
    private static int lineAt(byte[] bytes, int position) {
        int line = 1;
        for (int p = 0; p < position; p++) {
            if (bytes[p] == '\n' || (bytes[p] == '\r' && (p + 1 >= bytes.length || bytes[p + 1] != '\n'))) {
                line++;
            }
        }
        return line;
    }
}

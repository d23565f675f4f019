package io.github.fer4j.vision;

import io.github.fer4j.data.Emotion;
import io.github.fer4j.data.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The labels file of {@code fer evaluate-photos}, read into labelled photos. It is CSV (RFC 4180 quoting). With a
 * header line, the columns are found by name: {@code path} (or {@code file}, {@code image}) and {@code emotion} (or
 * {@code label}), in any order, other columns ignored. Without a header, each line is {@code path,emotion}. An
 * emotion is a name ({@code Happy}, {@code happiness}) or a FER2013 id, 0 to 6. Paths are relative to the photo
 * folder; blank lines are skipped.
 *
 * @param file    the labels file, for error messages
 * @param entries the labelled photos, in file order
 */
public record PhotoLabels(Path file, List<Entry> entries) {
    /** One labelled photo: its line in the file, the photo's path as written there (relative), and its emotion. */
    public record Entry(int line, Path photo, Emotion emotion) { }

    private static final List<String> PATH_COLUMNS = List.of("path", "file", "filename", "image");
    private static final List<String> EMOTION_COLUMNS = List.of("emotion", "label", "expression");

    public PhotoLabels {
        entries = List.copyOf(entries);
    }

    /** Reads a labels file; a missing file or a bad line is an InvalidInputException naming the file and line. */
    public static PhotoLabels read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.at(file, "no such labels file");
        }
        String text = text(file);
        List<CSVRecord> records = records(file, text);
        int pathColumn = 0;
        int emotionColumn = 1;
        int first = 0;
        if (!records.isEmpty() && isHeader(records.get(0))) {
            CSVRecord header = records.get(0);
            pathColumn = column(header, PATH_COLUMNS);
            emotionColumn = column(header, EMOTION_COLUMNS);
            if (emotionColumn < 0) {
                throw InvalidInputException.at(file, lineOf(text, header),
                        "the header names no emotion column (emotion or label): " + String.join(",", header.values()));
            }
            first = 1;
        }
        int columns = Math.max(pathColumn, emotionColumn) + 1;
        List<Entry> entries = new ArrayList<>();
        for (CSVRecord record : records.subList(first, records.size())) {
            int lineNumber = lineOf(text, record);
            if (record.size() < columns || (first == 0 && record.size() != 2)) {
                throw InvalidInputException.at(file, lineNumber, first == 0
                        ? "expected path,emotion (or a header line naming the path and emotion columns)"
                        : "expected at least " + columns + " columns as the header says, found " + record.size());
            }
            String photo = record.get(pathColumn).strip();
            String name = record.get(emotionColumn).strip();
            Emotion emotion = Emotion.parseLabel(name).orElseThrow(() -> InvalidInputException.at(file, lineNumber,
                    "unknown emotion '" + name + "' (expected one of " + Arrays.stream(Emotion.values())
                            .map(Emotion::displayName).collect(Collectors.joining(", ")) + ", or a FER2013 id 0-6)"));
            if (photo.isEmpty()) {
                throw InvalidInputException.at(file, lineNumber, "empty path");
            }
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

    /** The non-blank records; a quoting error is refused with the line it is on. */
    private static List<CSVRecord> records(Path file, String text) {
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).setIgnoreSurroundingSpaces(true)
                .get();
        List<CSVRecord> out = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(text, format)) {
            Iterator<CSVRecord> it = parser.iterator();
            while (true) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw InvalidInputException.at(file, (int) Math.max(1, parser.getCurrentLineNumber()),
                            "bad CSV quoting: " + rootMessage(e));
                }
                CSVRecord record = it.next();
                if (record.size() == 1 && record.get(0).isBlank()) {
                    continue;
                }
                out.add(record);
            }
        } catch (IOException e) {
            throw InvalidInputException.at(file, "cannot read: " + e.getMessage());
        }
        return out;
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.replaceAll("\\s+", " ");
    }

    /** A first line is a header when it names a path column (a data line holds a photo path there). */
    private static boolean isHeader(CSVRecord record) {
        return column(record, PATH_COLUMNS) >= 0;
    }

    /** The first column whose name (ignoring case) is one of {@code names}, or -1. */
    private static int column(CSVRecord header, List<String> names) {
        for (int c = 0; c < header.size(); c++) {
            if (names.contains(header.get(c).strip().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        return -1;
    }

    /** The 1-based line where {@code record} starts in {@code text} (counting \n, \r and \r\n as one break each). */
    private static int lineOf(String text, CSVRecord record) {
        int line = 1;
        int end = (int) Math.min(record.getCharacterPosition(), text.length());
        // The parser's position is where it started reading, before the empty lines it skipped.
        while (end < text.length() && (text.charAt(end) == '\n' || text.charAt(end) == '\r')) {
            end++;
        }
        for (int p = 0; p < end; p++) {
            char c = text.charAt(p);
            if (c == '\n' || (c == '\r' && (p + 1 >= text.length() || text.charAt(p + 1) != '\n'))) {
                line++;
            }
        }
        return line;
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

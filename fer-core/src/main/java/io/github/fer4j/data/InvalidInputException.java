package io.github.fer4j.data;

import java.nio.file.Path;

/**
 * Input that fer4j cannot use, with the place it was found: {@code fer2013.csv:1042: expected 2304 pixels, found 2303}.
 * The command line turns it into one line on stderr and exit code 2.
 */
public class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An error about a whole file. */
    public static InvalidInputException at(Path file, String reason) {
        return new InvalidInputException(file + ": " + reason);
    }

    /** An error about one line of a file (1-based, the header is line 1). */
    public static InvalidInputException at(Path file, long line, String reason) {
        return new InvalidInputException(file + ":" + line + ": " + reason);
    }
}

package io.github.fer4j.data;

/**
 * Input quoted in an error message, made safe for a terminal: printable text as it is, control characters and other
 * unprintable code points escaped ({@code \n}, {@code \x1b}, {@code \u200b}), long text shortened, and text that is
 * mostly not text (a binary file read as lines) named as binary content instead of being shown.
 */
public final class Printable {
    /** Longest quoted text; longer input is cut and marked with "...". */
    public static final int MAX_LENGTH = 60;

    private Printable() {
    }

    /** The text as an error message may quote it. */
    public static String of(String text) {
        if (looksBinary(text)) {
            return "<binary content, " + text.length() + " characters>";
        }
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < text.length() && shown < MAX_LENGTH; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            shown++;
            if (cp == '\\') {
                out.append("\\\\");
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
            } else if (!isPrintable(cp)) {
                out.append(cp <= 0xFFFF ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp));
            } else {
                out.appendCodePoint(cp);
            }
            if (shown == MAX_LENGTH && i < text.length()) {
                out.append("...");
            }
        }
        return out.toString();
    }

    /**
     * True when more than a tenth of the characters are control characters, replacement characters (bytes that were
     * not UTF-8) or unassigned code points: the sign of a binary file decoded as text.
     */
    public static boolean looksBinary(String text) {
        int bad = 0;
        int n = 0;
        for (int i = 0; i < text.length() && n < 4096; n++) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            boolean control = cp < 0x20 && cp != '\n' && cp != '\r' && cp != '\t';
            if (control || cp == 0xFFFD || !Character.isDefined(cp)) {
                bad++;
            }
        }
        return n >= 8 && bad * 10 > n;
    }

    private static boolean isPrintable(int cp) {
        int type = Character.getType(cp);
        return Character.isDefined(cp) && type != Character.CONTROL && type != Character.FORMAT
                && type != Character.PRIVATE_USE && type != Character.SURROGATE && type != Character.UNASSIGNED
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
    }
}

package org.twitchtriage.fhir;

/**
 * Compact JSON text written into one buffer, as Jackson's generator writes it with its defaults (HAPI's JSON
 * writer): no spaces; in strings {@code "} and {@code \} escaped, control characters as {@code \b \t \n \f \r}
 * or {@code \}{@code u00XX}, everything else as it is. Text with nothing to escape is copied whole.
 *
 * <p>What is written can be taken back ({@link #mark}, {@link #reset}): an element is written without asking
 * first whether it is empty, a question that walks everything below it, and taken back when nothing in it was.
 */
final class JsonText {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final StringBuilder out = new StringBuilder(8192);
    private boolean comma;

    void startObject() {
        separate();
        out.append('{');
        comma = false;
    }

    void endObject() {
        out.append('}');
        comma = true;
    }

    void startArray() {
        separate();
        out.append('[');
        comma = false;
    }

    void endArray() {
        out.append(']');
        comma = true;
    }

    void name(String name) {
        separate();
        quoted(name);
        out.append(':');
        comma = false;
    }

    void string(String value) {
        separate();
        quoted(value);
        comma = true;
    }

    /** A number or a boolean, as its text. */
    void raw(String value) {
        separate();
        out.append(value);
        comma = true;
    }

    /** Where the text is now, and whether a comma is due: what {@link #reset} goes back to. */
    long mark() {
        return ((long) out.length() << 1) | (comma ? 1 : 0);
    }

    /** Takes back everything written since {@code mark}. */
    void reset(long mark) {
        out.setLength((int) (mark >>> 1));
        comma = (mark & 1) != 0;
    }

    /** How many characters have been written. */
    int length() {
        return out.length();
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void separate() {
        if (comma) {
            out.append(',');
        }
    }

    private void quoted(String value) {
        out.append('"');
        int length = value.length();
        int copied = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                copy(value, copied, i);
                escape(c);
                copied = i + 1;
            }
        }
        if (copied == 0) {
            out.append(value);
        } else {
            copy(value, copied, length);
        }
        out.append('"');
    }

    /**
     * Part of a string. {@code StringBuilder.append(CharSequence, int, int)} copies it a character at a time
     * (on Java 17), which was a sixth of the time it took to write a resource; a substring is copied whole.
     */
    private void copy(String value, int from, int to) {
        if (to - from > 16) {
            out.append(value.substring(from, to));
        } else {
            out.append(value, from, to);
        }
    }

    private void escape(char c) {
        switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\b' -> out.append("\\b");
            case '\t' -> out.append("\\t");
            case '\n' -> out.append("\\n");
            case '\f' -> out.append("\\f");
            case '\r' -> out.append("\\r");
            default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
        }
    }
}

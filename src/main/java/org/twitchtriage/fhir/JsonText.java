package org.twitchtriage.fhir;

/**
 * Compact JSON text written into one buffer, as Jackson's generator writes it with its defaults (HAPI's JSON
 * writer): no spaces; in strings {@code "} and {@code \} escaped, control characters as {@code \b \t \n \f \r}
 * or {@code \}{@code u00XX}, everything else as it is. Text with nothing to escape is copied whole.
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
                out.append(value, copied, i);
                escape(c);
                copied = i + 1;
            }
        }
        out.append(value, copied, length).append('"');
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

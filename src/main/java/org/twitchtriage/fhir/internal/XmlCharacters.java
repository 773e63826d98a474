package org.twitchtriage.fhir.internal;

/**
 * The characters a FHIR string may hold: those XML 1.0 allows, so every resource can be written as JSON and
 * as XML alike. Left out are control characters other than tab, line feed and carriage return, surrogates
 * without their pair, and U+FFFE and U+FFFF.
 */
public final class XmlCharacters {

    private static final char REPLACEMENT = '\uFFFD';

    private XmlCharacters() {}

    static boolean hasForbidden(char[] text, int offset, int length) {
        return firstForbidden(text, offset, offset + length) >= 0;
    }

    static String replaceForbidden(String text) {
        char[] chars = text.toCharArray();
        boolean changed = false;
        for (int i = firstForbidden(chars, 0, chars.length); i >= 0; i = firstForbidden(chars, i + 1, chars.length)) {
            chars[i] = REPLACEMENT;
            changed = true;
        }
        return changed ? new String(chars) : text;
    }

    /** The index of the first forbidden character in [from, end), or -1. */
    private static int firstForbidden(char[] text, int from, int end) {
        for (int i = from; i < end; i++) {
            char c = text[i];
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text[i + 1])) {
                i++;
            } else if (c < 0x20 ? c != '\t' && c != '\n' && c != '\r' : Character.isSurrogate(c) || c >= '\uFFFE') {
                return i;
            }
        }
        return -1;
    }
}

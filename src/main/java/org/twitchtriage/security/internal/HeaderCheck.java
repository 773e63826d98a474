package org.twitchtriage.security.internal;

import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's firewall, checking header names and values and parameter names as it does by default
 * (every character assigned in Unicode and not a control character; a tab allowed in a header value), without
 * its regular expressions: HAPI reads the request's headers again and again, each read went through the
 * firewall's regular expressions, and that was a few per cent of the CPU time of a submission.
 */
final class HeaderCheck {

    private HeaderCheck() {}

    static StrictHttpFirewall firewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderCheck::name);
        firewall.setAllowedHeaderValues(HeaderCheck::value);
        firewall.setAllowedParameterNames(HeaderCheck::name);
        return firewall;
    }

    /** A header or parameter name: assigned characters, none of them a control character. */
    static boolean name(String text) {
        return allowed(text, false);
    }

    /** A header value: as a name, and tabs. */
    static boolean value(String text) {
        return allowed(text, true);
    }

    private static boolean allowed(String text, boolean tab) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(tab && codePoint == '\t'))) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}

package org.twitchtriage.questionnaire;

import java.util.Comparator;

/** Orders version strings by their dot-separated numeric parts, so that 1.10.0 sorts after 1.9.0. */
public final class Versions {

    public static final Comparator<String> ORDER = Versions::compare;

    private Versions() {}

    public static int compare(String left, String right) {
        String[] a = left.split("[.-]");
        String[] b = right.split("[.-]");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "0";
            String y = i < b.length ? b[i] : "0";
            int result =
                    isNumber(x) && isNumber(y) ? Long.compare(Long.parseLong(x), Long.parseLong(y)) : x.compareTo(y);
            if (result != 0) {
                return result;
            }
        }
        return 0;
    }

    private static boolean isNumber(String part) {
        return !part.isEmpty() && part.length() < 18 && part.chars().allMatch(Character::isDigit);
    }
}

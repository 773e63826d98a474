package org.twitchtriage.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.convert.DurationStyle;

/**
 * Options of a load run: {@code -Dbench.name=value} system properties of this JVM, overridden by
 * {@code --name=value} arguments, each name one of a known list; a flag may also stand alone as
 * {@code --name}, meaning {@code true}. Every bad option throws an IllegalArgumentException whose
 * message the run prints before it exits 2.
 */
final class RunOptions {

    private final Map<String, String> values;

    private RunOptions(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Reads {@code known} options from the system properties and then from {@code args}; {@code flags}
     * (a subset of {@code known}) may be given alone, as {@code --name}.
     */
    static RunOptions parse(String[] args, List<String> known, List<String> flags) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : known) {
            String property = System.getProperty("bench." + name);
            if (property != null) {
                values.put(name, property);
            }
        }
        for (String arg : args) {
            if (arg.startsWith("--") && flags.contains(arg.substring(2))) {
                values.put(arg.substring(2), "true");
                continue;
            }
            if (!arg.startsWith("--") || !arg.contains("=")) {
                StringBuilder expected = new StringBuilder("expected --name=value");
                flags.forEach(flag -> expected.append(" or --").append(flag));
                throw new IllegalArgumentException(expected + ", got " + arg);
            }
            int eq = arg.indexOf('=');
            if (!known.contains(arg.substring(2, eq))) {
                throw new IllegalArgumentException("unknown option " + arg.substring(0, eq) + "; known: " + known);
            }
            values.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return new RunOptions(values);
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(text(name, "false"));
    }

    /** As {@link Integer#parseInt} reads it: a malformed value throws its NumberFormatException. */
    int integer(String name, int fallback) {
        return Integer.parseInt(text(name, String.valueOf(fallback)));
    }

    /** {@link #integer}, and above zero: "NAME must be positive" otherwise. */
    int positiveInteger(String name, int fallback) {
        return requirePositive(name, integer(name, fallback));
    }

    /** A whole number ("NAME must be a whole number") that is not negative ("NAME must not be negative"). */
    int nonNegative(String name, int fallback) {
        int value;
        try {
            value = integer(name, fallback);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number");
        }
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return value;
    }

    /** {@link #nonNegative}, and not zero: "NAME must be positive". */
    int positive(String name, int fallback) {
        return requirePositive(name, nonNegative(name, fallback));
    }

    /** 20ms, 1s, PT0.02S or a bare number of milliseconds. */
    Duration duration(String name, String fallback) {
        String value = text(name, fallback);
        try {
            return value.matches("\\d+")
                    ? Duration.ofMillis(Long.parseLong(value))
                    : DurationStyle.detectAndParse(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 20ms, not " + value);
        }
    }

    private static int requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }
}

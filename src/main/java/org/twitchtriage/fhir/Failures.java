package org.twitchtriage.fhir;

import java.util.ArrayList;
import java.util.List;

/** Describes a failure for the log by exception types and stack frames only, leaving out messages. */
public final class Failures {

    private static final int FRAMES = 8;

    private Failures() {}

    public static String describe(Throwable failure) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = failure; t != null && parts.size() < 5; t = t.getCause() == t ? null : t.getCause()) {
            StringBuilder part = new StringBuilder(t.getClass().getName());
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
                part.append("\n\tat ").append(frames[i]);
            }
            parts.add(part.toString());
        }
        return String.join("\ncaused by ", parts);
    }
}

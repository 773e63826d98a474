package org.twitchtriage.simulation.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of {@code simulate}.
 *
 * @param rules the folder of candidate content
 * @param responses the folder of responses; {@code null} with {@code stored}
 * @param stored simulate on the responses stored in the module's database
 * @param json print the report as JSON
 * @param settings the other {@code --key=value} arguments: settings, as for the server
 */
public record SimulationOptions(Path rules, Path responses, boolean stored, boolean json, List<String> settings) {

    public static final String USAGE = "usage: java -jar twitch-triage.jar simulate --rules=FOLDER"
            + " (--responses=FOLDER | --stored) [--format=text|json] [--setting.name=value ...]";

    /** Throws {@link IllegalArgumentException} naming the argument that is wrong. */
    public static SimulationOptions parse(List<String> arguments) {
        Path rules = null;
        Path responses = null;
        boolean stored = false;
        boolean json = false;
        List<String> settings = new ArrayList<>();
        for (String argument : arguments) {
            String name = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
            String value = argument.contains("=") ? argument.substring(argument.indexOf('=') + 1) : null;
            switch (name) {
                case "--rules" -> rules = folder(name, value);
                case "--responses" -> responses = folder(name, value);
                case "--stored" -> stored = flag(name, value);
                case "--format" -> json = format(value);
                default -> settings.add(setting(argument, name));
            }
        }
        if (rules == null) {
            throw new IllegalArgumentException("--rules=FOLDER is missing: the folder of candidate content");
        }
        if (stored == (responses != null)) {
            throw new IllegalArgumentException("give either --responses=FOLDER or --stored");
        }
        return new SimulationOptions(rules, responses, stored, json, List.copyOf(settings));
    }

    private static Path folder(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " needs a folder: " + name + "=FOLDER");
        }
        return Path.of(value);
    }

    private static boolean flag(String name, String value) {
        if (value != null) {
            throw new IllegalArgumentException(name + " takes no value");
        }
        return true;
    }

    private static boolean format(String value) {
        if ("json".equals(value) || "text".equals(value)) {
            return "json".equals(value);
        }
        throw new IllegalArgumentException("--format is text or json, not " + value);
    }

    /** A setting names a dotted key (--questionnaire.content-locations=...); anything else is a mistake. */
    private static String setting(String argument, String name) {
        if (!name.startsWith("--") || !name.contains(".") || !argument.contains("=")) {
            throw new IllegalArgumentException("unknown argument " + name);
        }
        return argument;
    }
}

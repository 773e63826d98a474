package org.twitchtriage.simulation.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The QuestionnaireResponses in a folder's {@code *.json} files, by file name. Other JSON files (another
 * resource type, the golden corpus's expectations) are skipped without complaint; a file that is not JSON
 * at all, or a QuestionnaireResponse that does not parse, is reported as unreadable.
 */
public final class FolderResponses {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPE = "QuestionnaireResponse";

    private final ResponseParser parser;

    public FolderResponses(ResponseParser parser) {
        this.parser = parser;
    }

    public ResponseBatch read(Path folder) {
        List<NamedResponse> responses = new ArrayList<>();
        List<InvalidResponse> unreadable = new ArrayList<>();
        for (Path file : jsonFiles(folder)) {
            String name = file.getFileName().toString();
            String json = text(file);
            switch (json == null ? Kind.NOT_JSON : kind(json)) {
                case RESPONSE -> parser.parse(name, json, responses, unreadable);
                case NOT_JSON -> unreadable.add(new InvalidResponse(name, List.of("not a JSON document")));
                case OTHER -> {}
            }
        }
        return new ResponseBatch(responses, unreadable);
    }

    private enum Kind {
        RESPONSE,
        OTHER,
        NOT_JSON
    }

    private static Kind kind(String json) {
        try {
            JsonNode type = JSON.readTree(json).path("resourceType");
            return TYPE.equals(type.asText()) ? Kind.RESPONSE : Kind.OTHER;
        } catch (JsonProcessingException e) {
            return Kind.NOT_JSON;
        }
    }

    private static List<Path> jsonFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ResponsesUnreadableException("--responses: " + folder + " is not a folder");
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ResponsesUnreadableException(
                    "cannot list " + folder + ": " + e.getClass().getSimpleName());
        }
    }

    /** The file's text, or {@code null} when it is not UTF-8. */
    private static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            return null;
        } catch (IOException e) {
            throw new ResponsesUnreadableException(
                    "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }
}

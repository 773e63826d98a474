package org.twitchtriage.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.twitchtriage.testing.Content;

/**
 * The golden corpus in {@code src/test/resources/golden/}: example responses ({@code NN-name.json}) and
 * {@code expected.json}, which states for the rules it names ({@code "rules"}) each response's expected
 * level and orders (order code to priority). Read here with plain JSON, so tests of the simulation do not
 * rely on the code under test to know what the corpus expects.
 */
final class GoldenCorpus {

    static final String EXPECTATIONS = "expected.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GoldenCorpus() {}

    static Path folder() {
        try {
            return Path.of(GoldenCorpus.class
                            .getResource("/golden/" + EXPECTATIONS)
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The corpus responses by file name, in file name order. */
    static Map<String, QuestionnaireResponse> responses() {
        Map<String, QuestionnaireResponse> responses = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder())) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".json") && !name.equals(EXPECTATIONS)) {
                    responses.put(
                            name,
                            Content.FHIR
                                    .newJsonParser()
                                    .parseResource(
                                            QuestionnaireResponse.class,
                                            Files.readString(file, StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return responses;
    }

    static JsonNode expectations() {
        try {
            return JSON.readTree(folder().resolve(EXPECTATIONS).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rules canonical the expectations were written for. */
    static String rules() {
        return expectations().path("rules").asText();
    }

    /** Expected level and orders by file name. */
    static Map<String, Expected> expected() {
        Map<String, Expected> expected = new LinkedHashMap<>();
        expectations().path("responses").fields().forEachRemaining(entry -> {
            Map<String, String> orders = new TreeMap<>();
            entry.getValue()
                    .path("orders")
                    .fields()
                    .forEachRemaining(o -> orders.put(o.getKey(), o.getValue().asText()));
            expected.put(
                    entry.getKey(), new Expected(entry.getValue().path("level").asText(), orders));
        });
        return expected;
    }

    /** Whether a corpus response answers this boolean item true, wherever the item sits. */
    static boolean answersTrue(QuestionnaireResponse response, String linkId) {
        return answersTrue(response.getItem(), linkId);
    }

    private static boolean answersTrue(
            List<QuestionnaireResponse.QuestionnaireResponseItemComponent> items, String linkId) {
        for (QuestionnaireResponse.QuestionnaireResponseItemComponent item : items) {
            if (linkId.equals(item.getLinkId())
                    && item.getAnswer().stream()
                            .anyMatch(a -> a.hasValueBooleanType()
                                    && a.getValueBooleanType().booleanValue())) {
                return true;
            }
            if (answersTrue(item.getItem(), linkId)) {
                return true;
            }
        }
        return false;
    }

    /** On one line. */
    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Expected(String level, Map<String, String> orders) {}
}

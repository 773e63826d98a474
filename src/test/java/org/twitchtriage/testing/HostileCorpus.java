package org.twitchtriage.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * A deterministic corpus of hostile request bodies, made by mutating valid checklist responses: swapped value
 * types, dropped and duplicated fields and keys, random bytes, truncation, deep nesting, huge strings, odd
 * Unicode and broken UTF-8, wrong resource types, bad ids, references and dates, XML variants and odd media
 * types. The same seed gives the same corpus; every input starts from a response with an identifier of its
 * own, so mutations that happen to stay valid are accepted without colliding.
 */
public final class HostileCorpus {

    public static final String JSON = "application/fhir+json";
    public static final String XML = "application/fhir+xml";
    /** Past the default structure limits (64 levels, 32768 characters), under the 1 MB body limit. */
    static final int DEEPER_THAN_LIMIT = 65;

    static final int LONGER_THAN_LIMIT = 32769;

    /** One request: where to send it, as what, and why it is hostile. */
    public record Input(
            int index,
            String category,
            String description,
            String path,
            String contentType,
            String contentEncoding,
            String accept,
            byte[] body) {

        @Override
        public String toString() {
            return "#" + index + " " + category + " (" + description + ") to " + path + " as " + contentType
                    + (accept == null ? "" : ", accepting " + accept);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String INJECT = "INJECTIONPOINT";

    private final long seed;
    private final Random random;
    private final List<Input> inputs = new ArrayList<>();
    private String category;

    private HostileCorpus(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    public static List<Input> generate(long seed) {
        HostileCorpus corpus = new HostileCorpus(seed);
        corpus.build();
        return List.copyOf(corpus.inputs);
    }

    private void build() {
        repeat("swapped type", 100, () -> mutateJson(this::swapType));
        repeat("dropped field", 50, () -> mutateJson(this::dropField));
        repeat("duplicated field", 40, () -> mutateJson(this::duplicateField));
        repeat("duplicated key", 40, this::duplicateKey);
        repeat("random bytes", 30, this::randomBytes);
        repeat("flipped bytes", 40, this::flippedBytes);
        repeat("truncated", 40, this::truncated);
        repeat("deep nesting", 25, this::deepNesting);
        repeat("huge string", 20, () -> mutateJson(this::hugeString));
        repeat("odd unicode", 60, this::oddUnicode);
        repeat("wrong resource type", 30, this::wrongResource);
        repeat("bad id or reference", 45, () -> mutateJson(this::badReference));
        repeat("bad date", 40, () -> mutateJson(this::badDate));
        repeat("xml", 60, this::xmlVariant);
        repeat("media type", 15, this::mediaType);
    }

    private void repeat(String name, int count, Runnable maker) {
        category = name;
        for (int i = 0; i < count; i++) {
            maker.run();
        }
    }

    // --- building blocks ---------------------------------------------------------------------------------

    private int next() {
        return inputs.size();
    }

    private QuestionnaireResponse validResponse() {
        ChecklistResponses builder = ChecklistResponses.benign();
        switch (random.nextInt(5)) {
            case 1 -> builder.codes("locations", "eyelid").codes("triggers", "stress", "poor-sleep");
            case 2 ->
                builder.codes("duration", "2-4w").codes("course", "improving").answer("persistent", true);
            case 3 ->
                builder.codes("locations", "arm-hand", "thigh")
                        .codes("duration", "gt-3m")
                        .codes("course", "worsening")
                        .answer("weakness", true)
                        .answer("weakness-progressive", true);
            case 4 ->
                builder.codes("duration", "1-3m").answer("muscle-loss", true).authored("2026-11-19");
            default -> {}
        }
        return builder.subject("Patient/synthetic-" + random.nextInt(1000))
                .identifier("urn:test:hostile", seed + "-" + next())
                .build();
    }

    private String validJson() {
        return Content.FHIR.newJsonParser().encodeResourceToString(validResponse());
    }

    private String validXml() {
        return Content.FHIR.newXmlParser().encodeResourceToString(validResponse());
    }

    private ObjectNode tree() {
        try {
            return (ObjectNode) MAPPER.readTree(validJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where a mutation can go: a field of an object or an element of an array. */
    private record Slot(JsonNode parent, String field, int index) {

        JsonNode get() {
            return field != null ? parent.get(field) : parent.get(index);
        }

        void set(JsonNode value) {
            if (field != null) {
                ((ObjectNode) parent).set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) parent).remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    private static List<Slot> slots(JsonNode root) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        return slots;
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                slots.add(new Slot(node, name, -1));
                collect(node.get(name), slots);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                slots.add(new Slot(node, null, i));
                collect(node.get(i), slots);
            }
        }
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private Slot pickSlot(ObjectNode root, Function<Slot, Boolean> filter) {
        List<Slot> candidates = slots(root).stream().filter(filter::apply).toList();
        return pick(candidates);
    }

    private String path() {
        int which = random.nextInt(8);
        return which == 0
                ? "/QuestionnaireResponse/$submit"
                : which == 1 ? "/QuestionnaireResponse/$triage" : "/QuestionnaireResponse";
    }

    private void add(String description, String path, String contentType, byte[] body) {
        add(description, path, contentType, null, body);
    }

    private void add(String description, String path, String contentType, String encoding, byte[] body) {
        // A quarter ask for XML answers: an error quoting the request must still be writable as XML.
        String accept = random.nextInt(4) == 0 ? XML : null;
        inputs.add(new Input(next(), category, description, path, contentType, encoding, accept, body));
    }

    private void addJson(String description, String json) {
        String path = path();
        if (!path.endsWith("QuestionnaireResponse") && random.nextBoolean()) {
            json = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"resource\",\"resource\":" + json
                    + "}]}";
            description += ", in Parameters";
        }
        add(description, path, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    private void mutateJson(Function<ObjectNode, String> mutation) {
        ObjectNode root = tree();
        String description = mutation.apply(root);
        addJson(description, text(root));
    }

    private JsonNode randomValue(JsonNode notLike) {
        List<Supplier<JsonNode>> makers = new ArrayList<>(List.of(
                () -> NODES.textNode(pick(List.of("", "x", "true", "1", "completed", "{}"))),
                () -> NODES.numberNode(pick(List.of(0, -1, 1, Integer.MAX_VALUE))),
                () -> NODES.numberNode(pick(List.of(1.5, -0.0, 1e308))),
                () -> NODES.booleanNode(random.nextBoolean()),
                () -> NODES.objectNode().put("value", "x"),
                () -> NODES.arrayNode().add("x").add(1),
                NODES::nullNode,
                NODES::objectNode,
                NODES::arrayNode));
        for (int attempt = 0; attempt < 10; attempt++) {
            JsonNode value = pick(makers).get();
            if (notLike == null || value.getNodeType() != notLike.getNodeType()) {
                return value;
            }
        }
        return NODES.nullNode();
    }

    // --- JSON tree mutations -------------------------------------------------------------------------------

    private String swapType(ObjectNode root) {
        Slot slot = pickSlot(root, s -> true);
        JsonNode before = slot.get();
        JsonNode value = randomValue(before);
        slot.set(value);
        return where(slot) + ": " + before.getNodeType() + " -> " + value.getNodeType();
    }

    private String dropField(ObjectNode root) {
        Slot slot = pickSlot(root, s -> s.field() != null);
        slot.remove();
        return "without " + where(slot);
    }

    private String duplicateField(ObjectNode root) {
        if (random.nextBoolean()) {
            Slot slot = pickSlot(root, s -> s.field() == null);
            ((ArrayNode) slot.parent()).add(slot.get().deepCopy());
            return "array element " + slot.index() + " twice";
        }
        Slot from = pickSlot(root, s -> s.field() != null);
        Slot to = pickSlot(root, s -> s.get().isObject());
        ((ObjectNode) to.get()).set(from.field(), from.get().deepCopy());
        return "field '" + from.field() + "' copied into " + where(to);
    }

    /** Nesting past the limit, written as text: Jackson would refuse to write thousands of levels itself. */
    private void deepNesting() {
        ObjectNode root = tree();
        int depth = DEEPER_THAN_LIMIT + random.nextInt(random.nextBoolean() ? 50 : 5000);
        Slot slot = pickSlot(root, s -> true);
        slot.set(NODES.textNode(INJECT));
        int shape = random.nextInt(3);
        String open = shape == 0 ? "{\"linkId\":\"l\",\"item\":[" : shape == 1 ? "[" : "{\"a\":";
        String close = shape == 0 ? "]}" : shape == 1 ? "]" : "}";
        String nested = open.repeat(depth) + "\"bottom\"" + close.repeat(depth);
        addJson(
                depth + " levels of " + List.of("items", "arrays", "objects").get(shape) + " at " + where(slot),
                text(root).replace("\"" + INJECT + "\"", nested));
    }

    private String hugeString(ObjectNode root) {
        int length = LONGER_THAN_LIMIT + random.nextInt(600_000);
        Slot slot = pickSlot(root, s -> s.get().isTextual());
        slot.set(
                NODES.textNode(String.valueOf((char) ('a' + random.nextInt(26))).repeat(length)));
        return length + " characters at " + where(slot);
    }

    private String badReference(ObjectNode root) {
        int which = random.nextInt(6);
        String value;
        String at;
        switch (which) {
            case 0 -> {
                value = pick(List.of(
                        "",
                        "Patient/",
                        "Patient/../../etc/passwd",
                        "Patient/a b",
                        "Group/1",
                        "http://evil.example/Patient/1",
                        "#contained",
                        "urn:uuid:00000000-0000-0000-0000-000000000000",
                        "Patient/" + "x".repeat(70),
                        "Patient/1/_history/2",
                        "/Patient/1",
                        "Patient?name=x",
                        "Patient/%2e%2e",
                        "patient/1",
                        "Patient/1'; drop table delivery; --"));
                ((ObjectNode) root.get("subject")).put("reference", value);
                at = "subject.reference";
            }
            case 1 -> {
                value = pick(List.of("", "../x", "x".repeat(65), "a b", "<script>", "ü", "1/2", "-", "."));
                root.put("id", value);
                at = "id";
            }
            case 2 -> {
                value = pick(List.of(
                        "",
                        "not a url",
                        "|1.0.0",
                        ChecklistResponses.QUESTIONNAIRE + "|",
                        ChecklistResponses.QUESTIONNAIRE + "|9.9.9",
                        ChecklistResponses.QUESTIONNAIRE + "|1.0.0|1.0.0",
                        "http://evil.example/Questionnaire/x",
                        ChecklistResponses.QUESTIONNAIRE + "/" + "x".repeat(600),
                        "Questionnaire/muscle-twitch-checklist"));
                root.put("questionnaire", value);
                at = "questionnaire";
            }
            case 3 -> {
                value = pick(List.of("", " ", "x".repeat(256), "x".repeat(513)));
                ((ObjectNode) root.get("identifier")).put(random.nextBoolean() ? "value" : "system", value);
                at = "identifier";
            }
            case 4 -> {
                value = pick(List.of("", "abc", "-1", "1".repeat(80)));
                root.putObject("meta").put("versionId", value);
                at = "meta.versionId";
            }
            default -> {
                value = pick(List.of("", "Patient", "1", "x".repeat(300)));
                ((ObjectNode) root.get("subject")).remove("reference");
                ((ObjectNode) root.get("subject")).put(pick(List.of("display", "type")), value);
                at = "subject without reference";
            }
        }
        return at + " = '" + abbreviate(value) + "'";
    }

    private String badDate(ObjectNode root) {
        String value = pick(List.of(
                "2026-13-45",
                "2026-02-30T10:00:00Z",
                "0000-00-00",
                "99999-01-01",
                "2026-11-20T09:30:00",
                "-2026",
                "2026-11-20T09:30:00+25:00",
                "2026-12-31T23:59:60Z",
                " 2026-11-20",
                "2026-11-20T24:00:00Z",
                "20261120",
                "2026/11/20",
                "1-1-1",
                "",
                "2026-11-20T09:30:00.123456789012Z",
                "9999-12-31T23:59:59.999Z",
                "0001-01-01T00:00:00Z",
                "2026-W47",
                "now",
                "2026-11-20T09:30Z"));
        String field = pick(List.of("authored", "authored", "authored", "meta.lastUpdated"));
        if (field.equals("authored")) {
            root.put("authored", value);
        } else {
            root.putObject("meta").put("lastUpdated", value);
        }
        return field + " = '" + value + "'";
    }

    private static String where(Slot slot) {
        return slot.field() != null ? "field '" + slot.field() + "'" : "element " + slot.index();
    }

    private static String abbreviate(String value) {
        return value.length() > 24 ? value.substring(0, 20) + "...(" + value.length() + ")" : value;
    }

    // --- textual and byte mutations -------------------------------------------------------------------------

    private void duplicateKey() {
        String json = validJson();
        List<Integer> keys = new ArrayList<>();
        for (int i = json.indexOf("\":"); i >= 0; i = json.indexOf("\":", i + 1)) {
            keys.add(json.lastIndexOf('"', i - 1));
        }
        int at = pick(keys);
        String key = json.substring(at, json.indexOf("\":", at) + 2);
        String value = text(randomValue(null));
        String mutated = random.nextBoolean()
                ? json.substring(0, at) + key + value + "," + json.substring(at)
                : json.substring(0, at) + json.substring(at, nextComma(json, at)) + "," + key + value
                        + json.substring(nextComma(json, at));
        addJson("key " + key + " twice, once as " + abbreviate(value), mutated);
    }

    private static int nextComma(String json, int from) {
        int depth = 0;
        boolean inString = false;
        for (int i = from; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"' && json.charAt(i - 1) != '\\') {
                inString = !inString;
            } else if (!inString && (c == '{' || c == '[')) {
                depth++;
            } else if (!inString && (c == '}' || c == ']')) {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (!inString && c == ',' && depth == 0) {
                return i;
            }
        }
        return json.length();
    }

    private void randomBytes() {
        byte[] body = new byte[1 + random.nextInt(random.nextBoolean() ? 64 : 4000)];
        random.nextBytes(body);
        if (random.nextInt(3) == 0) {
            body[0] = (byte) (random.nextBoolean() ? '{' : '<');
        }
        add(body.length + " random bytes", path(), random.nextInt(4) == 0 ? XML : JSON, body);
    }

    private void flippedBytes() {
        boolean xml = random.nextInt(4) == 0;
        byte[] body = (xml ? validXml() : validJson()).getBytes(StandardCharsets.UTF_8);
        int flips = 1 + random.nextInt(5);
        for (int i = 0; i < flips; i++) {
            body[random.nextInt(body.length)] = (byte) random.nextInt(256);
        }
        add(flips + " bytes replaced", path(), xml ? XML : JSON, body);
    }

    private void truncated() {
        boolean xml = random.nextInt(4) == 0;
        String body = xml ? validXml() : validJson();
        int at = random.nextInt(body.length());
        add(
                "cut at " + at + " of " + body.length(),
                path(),
                xml ? XML : JSON,
                body.substring(0, at).getBytes(StandardCharsets.UTF_8));
    }

    private static final List<String> ESCAPES = List.of(
            "\\ud800",
            "\\udfff",
            "\\udc00\\ud800",
            "x\\ud83d",
            "\\u0000",
            "\\u0001",
            "\\u001b[31m",
            "\\u007f",
            "\\ufffe",
            "\\uffff",
            "\\ufeff");
    private static final List<String> CHARACTERS = List.of(
            "\u202e",
            "\u202dtxt.exe",
            "\u200b\u200d",
            "\ufffe",
            "\uffff",
            new String(Character.toChars(0x1fffe)),
            "e\u0301\u0301\u0301\u0301",
            "\u0000",
            "\ud83d\ude00",
            "\u0130\u0131",
            "\u2028\u2029");
    private static final List<byte[]> BAD_UTF8 = List.of(
            new byte[] {(byte) 0xc0, (byte) 0xaf},
            new byte[] {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
            new byte[] {(byte) 0xf0, (byte) 0x80, (byte) 0x80, (byte) 0xaf},
            new byte[] {(byte) 0xc1, (byte) 0xbf},
            new byte[] {(byte) 0xff},
            new byte[] {(byte) 0xfe, (byte) 0xff},
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0x80},
            new byte[] {(byte) 0xe2, (byte) 0x82});

    private void oddUnicode() {
        ObjectNode root = tree();
        Slot slot = pickSlot(root, s -> s.get().isTextual());
        String original = slot.get().asText();
        slot.set(NODES.textNode(random.nextBoolean() ? INJECT + original : original + INJECT));
        byte[] body = text(root).getBytes(StandardCharsets.UTF_8);
        int kind = random.nextInt(4);
        byte[] payload;
        String description;
        if (kind == 0) {
            String escape = pick(ESCAPES);
            payload = escape.getBytes(StandardCharsets.US_ASCII);
            description = "escape " + escape;
        } else if (kind == 1) {
            String characters = pick(CHARACTERS);
            payload = characters.getBytes(StandardCharsets.UTF_8);
            description = "characters "
                    + characters
                            .codePoints()
                            .mapToObj(c -> String.format("U+%04X", c))
                            .toList();
        } else if (kind == 2) {
            payload = pick(BAD_UTF8);
            description = "malformed UTF-8 " + hex(payload);
        } else {
            payload = new byte[0];
            body = concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, body);
            description = "a byte order mark first";
        }
        add(description + " in " + where(slot), path(), JSON, replace(body, INJECT, payload));
    }

    private void wrongResource() {
        QuestionnaireResponse response = validResponse();
        String json = Content.FHIR.newJsonParser().encodeResourceToString(response);
        int which = random.nextInt(4);
        if (which == 0) {
            Patient patient = new Patient();
            patient.setId("synthetic-" + next());
            patient.addName().setFamily("Synthetic");
            add("a Patient", path(), JSON, encode(patient));
        } else if (which == 1) {
            Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            bundle.addEntry()
                    .setResource(response)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("QuestionnaireResponse");
            add("a transaction Bundle holding the response", path(), JSON, encode(bundle));
        } else if (which == 2) {
            Parameters parameters = new Parameters();
            parameters
                    .addParameter()
                    .setName(pick(List.of("resource", "response", "x")))
                    .setResource(response);
            if (random.nextBoolean()) {
                parameters.addParameter().setName("resource").setResource(validResponse());
            }
            add(
                    "Parameters with " + parameters.getParameter().size() + " parameter(s)",
                    random.nextBoolean() ? "/QuestionnaireResponse" : path(),
                    JSON,
                    encode(parameters));
        } else {
            String type = pick(List.of(
                    "\"questionnaireresponse\"",
                    "\"QuestionnaireResponse \"",
                    "\"\"",
                    "42",
                    "null",
                    "[\"QuestionnaireResponse\"]",
                    "\"Patient\"",
                    "\"Questionnaire\"",
                    "{}",
                    "\"Observation\"",
                    "\"QuestionnaireResponse\\u0000\""));
            String mutated = random.nextInt(5) == 0
                    ? json.replace("\"resourceType\":\"QuestionnaireResponse\",", "")
                    : json.replace("\"resourceType\":\"QuestionnaireResponse\"", "\"resourceType\":" + type);
            addJson("resourceType " + type, mutated);
        }
    }

    private void xmlVariant() {
        String xml = validXml();
        int which = random.nextInt(14);
        String description;
        String body;
        switch (which) {
            case 0 -> {
                description = "DTD with an internal entity";
                body = "<!DOCTYPE QuestionnaireResponse [<!ENTITY e \"completed\">]>"
                        + xml.replace("value=\"completed\"", "value=\"&e;\"");
            }
            case 1 -> {
                description = "undeclared entity";
                body = xml.replace(
                        "value=\"completed\"", "value=\"&" + pick(List.of("e", "sect", "nbsp", "lt")) + ";\"");
            }
            case 2 -> {
                String reference =
                        pick(List.of("&#0;", "&#xD800;", "&#1;", "&#xFFFE;", "&#x110000;", "&#x202E;", "&#9;"));
                description = "character reference " + reference;
                body = xml.replace("value=\"completed\"", "value=\"completed" + reference + "\"");
            }
            case 3 -> {
                int depth = DEEPER_THAN_LIMIT + random.nextInt(2000);
                description = depth + " nested extensions";
                String open = "<extension url=\"urn:x\">";
                body = xml.replaceFirst(
                        "<identifier>", open.repeat(depth) + "</extension>".repeat(depth) + "<identifier>");
            }
            case 4 -> {
                int length = LONGER_THAN_LIMIT + random.nextInt(400_000);
                description = length + " characters in an attribute";
                body = xml.replaceFirst("<linkId value=\"[^\"]*\"", "<linkId value=\"" + "y".repeat(length) + "\"");
            }
            case 5 -> {
                description = "wrong root element";
                body = xml.replace(
                        "QuestionnaireResponse", pick(List.of("Patient", "Bundle", "questionnaireresponse", "Foo")));
            }
            case 6 -> {
                description = "namespace " + pick(List.of("missing", "wrong"));
                body = xml.replace(
                        " xmlns=\"http://hl7.org/fhir\"",
                        description.endsWith("missing") ? "" : " xmlns=\"http://hl7.org/fhir/x\"");
            }
            case 7 -> {
                description = "unknown element";
                body = xml.replaceFirst("<status ", "<colour value=\"blue\"/><status ");
            }
            case 8 -> {
                description = "value as text instead of attribute";
                body = xml.replaceFirst("<status value=\"completed\"/>", "<status>completed</status>");
            }
            case 9 -> {
                description = "CDATA, comment and processing instruction";
                body = xml.replaceFirst("<status ", "<!-- c --><?pi x?><status ")
                        .replaceFirst("</QuestionnaireResponse>", "<![CDATA[x]]></QuestionnaireResponse>");
            }
            case 10 -> {
                description =
                        "XML declaration claiming " + pick(List.of("UTF-16", "EBCDIC-US", "no-such", "ISO-8859-1"));
                body = "<?xml version=\"1.0\" encoding=\"" + description.substring(description.lastIndexOf(' ') + 1)
                        + "\"?>" + xml;
            }
            case 11 -> {
                description = "boolean where a date belongs";
                body = xml.replaceFirst("<authored value=\"[^\"]*\"/>", "<authored value=\"true\"/>");
            }
            case 12 -> {
                description = "duplicated status element";
                body = xml.replaceFirst("(<status value=\"completed\"/>)", "$1$1");
            }
            default -> {
                description = "XML 1.1 with a control character reference";
                body = "<?xml version=\"1.1\"?>" + xml.replace("value=\"completed\"", "value=\"&#x1;\"");
            }
        }
        add(
                description,
                path(),
                pick(List.of(XML, XML, "application/xml", "text/xml")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private void mediaType() {
        byte[] json = validJson().getBytes(StandardCharsets.UTF_8);
        byte[] xml = validXml().getBytes(StandardCharsets.UTF_8);
        switch (random.nextInt(8)) {
            case 0 -> add("gzip claimed, plain body", path(), JSON, "gzip", json);
            case 1 -> add("deflate claimed", path(), JSON, "deflate, gzip", json);
            case 2 -> add("XML body as JSON", path(), JSON, xml);
            case 3 -> add("JSON body as XML", path(), XML, json);
            case 4 -> add("two media types", path(), "text/plain, application/fhir+json", json);
            case 5 -> add("an old FHIR version asked for", path(), JSON + "; fhirVersion=3.0", json);
            case 6 -> add("a wildcard media type", path(), "*/*", json);
            default -> add("a bogus charset", path(), JSON + "; charset=x-no-such", json);
        }
    }

    private static byte[] encode(IBaseResource resource) {
        return Content.FHIR.newJsonParser().encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] replace(byte[] body, String token, byte[] payload) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(token);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, at);
        out.writeBytes(payload);
        out.write(body, at + token.length(), body.length - at - token.length());
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static String hex(byte[] bytes) {
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format("%02X ", b));
        }
        return hex.toString().trim();
    }
}

package org.twitchtriage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.twitchtriage.intake.TriageCommand;
import org.twitchtriage.simulation.SimulateCommand;
import org.twitchtriage.testing.IntegrationTest;
import org.twitchtriage.triage.TriageProperties;

/**
 * The commands the README and the pages under {@code docs/} show, checked as they are written. Every curl
 * request to the module is run with curl against the running application and must get the answer listed in
 * {@link #ANSWERS}; a request the docs show without an answer there fails, and so does an answer no request
 * needs. The other commands must name files, classes, build properties, settings and a jar that exist.
 */
class ReadmeExamplesIT extends IntegrationTest {

    private static final Path EXAMPLES = Path.of("src/test/resources/examples");

    /** Where the docs say the module runs; the requests are sent to this test's server instead. */
    private static final String DOCUMENTED_BASE = "http://localhost:8080";

    /** The conditional update the API page's correction examples send. */
    private static final String CORRECTED =
            "/fhir/QuestionnaireResponse?identifier=urn:example:portal:submission%7Cexample-0101";

    /** What each request the docs show must answer, by method, address as written and body file. */
    private static final Map<String, Answer> ANSWERS = Map.ofEntries(
            Map.entry("GET /fhir/metadata", Answer.of("CapabilityStatement", 200)),
            Map.entry("GET /fhir/Questionnaire/muscle-twitch-checklist", Answer.of("Questionnaire", 200)),
            Map.entry(
                    "GET /fhir/Questionnaire?url=http://twitchtriage.org/fhir/Questionnaire/muscle-twitch-checklist",
                    Answer.search("Questionnaire")),
            Map.entry(
                    "POST /fhir/QuestionnaireResponse response-benign.json",
                    Answer.of("QuestionnaireResponse", 200, 201)),
            Map.entry(
                    "POST /fhir/QuestionnaireResponse response-urgent.json",
                    Answer.of("QuestionnaireResponse", 200, 201)),
            Map.entry("POST /fhir/QuestionnaireResponse response-invalid.json", Answer.of("OperationOutcome", 422)),
            Map.entry("GET /fhir/QuestionnaireResponse/<id>", Answer.of("QuestionnaireResponse", 200)),
            Map.entry(
                    "GET /fhir/QuestionnaireResponse?identifier=urn:example:portal:submission%7Cexample-0001",
                    Answer.search("QuestionnaireResponse")),
            Map.entry("POST /fhir/QuestionnaireResponse/$submit response-soon.json", Answer.of("Bundle", 200, 201)),
            Map.entry("POST /fhir/QuestionnaireResponse/$triage response-urgent.json", Answer.of("Bundle", 200)),
            Map.entry("GET /fhir/Observation?derived-from=QuestionnaireResponse/<id>", Answer.search("Observation")),
            Map.entry("GET /fhir/Observation?patient=Patient/example", Answer.search("Observation")),
            Map.entry("GET /fhir/ServiceRequest?patient=Patient/example", Answer.search("ServiceRequest")),
            Map.entry("GET /fhir/QuestionnaireResponse/<id>/$delivery-status", Answer.of("Parameters", 200)),
            Map.entry("GET /fhir/$failed-deliveries", Answer.of("Parameters", 200)),
            // Delivery is off in the tests: it says so, and what ehr.mode is.
            Map.entry("GET /fhir/$ehr-capabilities", Answer.of("Parameters", 200)),
            // Delivery is off in the tests, so the submission has no failed delivery to re-drive.
            Map.entry("POST /fhir/QuestionnaireResponse/<id>/$redeliver", Answer.of("OperationOutcome", 412)),
            Map.entry(
                    "GET /fhir/AuditEvent?patient=Patient/example&date=ge2026-11-01&_count=50",
                    Answer.search("AuditEvent")),
            // The correction walk-through, in the order the API page shows it.
            Map.entry(
                    "POST /fhir/QuestionnaireResponse correction-urgent.json", Answer.of("QuestionnaireResponse", 201)),
            Map.entry("POST /fhir/QuestionnaireResponse correction-benign.json", Answer.of("OperationOutcome", 409)),
            Map.entry("PUT " + CORRECTED + " correction-benign.json", Answer.of("QuestionnaireResponse", 200)),
            Map.entry("PUT " + CORRECTED + " correction-soon.json", Answer.of("OperationOutcome", 412)),
            Map.entry(
                    "GET /fhir/ServiceRequest?patient=Patient/example&status=revoked", Answer.search("ServiceRequest")),
            Map.entry("PUT " + CORRECTED + " correction-retracted.json", Answer.of("QuestionnaireResponse", 200)),
            Map.entry("GET /fhir/QuestionnaireResponse/<id>/_history", Answer.search("QuestionnaireResponse")),
            Map.entry("GET /fhir/QuestionnaireResponse/<id>/_history/1", Answer.of("QuestionnaireResponse", 200)),
            Map.entry("GET /fhir/Observation/<id>/_history", Answer.search("Observation")),
            Map.entry("GET /fhir/Provenance?target=Observation/<id>", Answer.search("Provenance")),
            Map.entry("GET /cds-services", Answer.json("services", 200)),
            Map.entry("POST /cds-services/twitch-triage-patient-view cds-patient-view.json", Answer.json("cards", 200)),
            Map.entry("GET /clinician/api/rule-feedback", Answer.json("rules", 200)),
            Map.entry("GET /fhir/PlanDefinition/$rule-feedback?since=2026-11-01", Answer.of("Parameters", 200)));

    /** Build properties Maven and its plugins define themselves. */
    private static final Set<String> MAVEN_PROPERTIES = Set.of(
            "skipTests",
            "test",
            "it.test",
            "jacoco.skip",
            "surefire.failIfNoSpecifiedTests",
            // The Spring Boot plugin's, for spring-boot:run.
            "spring-boot.run.profiles",
            "spring-boot.run.arguments");

    @Autowired
    private TriageProperties triage;

    @Test
    void theWalkThroughWorksAsDocumented() throws IOException {
        assertThat(get("/Questionnaire?url=http://twitchtriage.org/fhir/Questionnaire/muscle-twitch-checklist")
                        .statusCode())
                .isEqualTo(200);
        String benign = Files.readString(EXAMPLES.resolve("response-benign.json"));

        HttpResponse<String> created = post("/QuestionnaireResponse", JSON, benign);
        HttpResponse<String> again = post("/QuestionnaireResponse", JSON, benign);

        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        assertThat(again.statusCode()).isEqualTo(200);
        String id = parse(QuestionnaireResponse.class, created).getIdPart();
        assertThat(get("/QuestionnaireResponse/" + id).statusCode()).isEqualTo(200);
        assertThat(get("/QuestionnaireResponse?identifier=urn:example:portal:submission%7Cexample-0001")
                        .body())
                .contains(id);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "benign, self-care, ''",
        "monitor, monitor, 183543004",
        "soon, soon, 183521007 306115009 2132-9 3016-3 2157-6 2823-3 19123-9 17861-6",
        "urgent, urgent, 183521007 306144006",
        "immediate, immediate, 183521007 306115009 2132-9 3016-3 2157-6 2823-3 19123-9 17861-6"
    })
    void eachLevelsExampleGivesThatLevelAndItsOrders(String example, String level, String orders) throws IOException {
        String body = Files.readString(EXAMPLES.resolve("response-" + example + ".json"));

        Bundle result = parse(Bundle.class, post("/QuestionnaireResponse/$triage", JSON, body));

        assertThat(result.getEntry())
                .extracting(e -> e.getResource())
                .filteredOn(r -> r instanceof Observation)
                .singleElement()
                .satisfies(r -> assertThat(((Observation) r)
                                .getValueCodeableConcept()
                                .getCodingFirstRep()
                                .getCode())
                        .isEqualTo(level));
        assertThat(result.getEntry())
                .extracting(e -> e.getResource())
                .filteredOn(r -> r instanceof ServiceRequest)
                .extracting(
                        r -> ((ServiceRequest) r).getCode().getCodingFirstRep().getCode())
                .containsExactlyInAnyOrder(orders.isBlank() ? new String[0] : orders.split(" "));
    }

    @Test
    void theInvalidExampleIsRejectedForTheReasonsTheReadmeGives() throws IOException {
        String invalid = Files.readString(EXAMPLES.resolve("response-invalid.json"));

        OperationOutcome outcome = outcome(post("/QuestionnaireResponse", JSON, invalid), 422);

        assertThat(outcome.getIssue())
                .extracting(i -> i.getDetails().getCodingFirstRep().getCode())
                .containsExactlyInAnyOrder("invalid-code", "required");
        assertThat(outcome.getIssue())
                .extracting(i -> i.getExpression().get(0).getValue())
                .anyMatch(e -> e.contains("linkId='duration'"))
                .anyMatch(e -> e.contains("linkId='weakness-progressive'"));
    }

    @Test
    void everyRequestTheDocsShowGetsTheAnswerTheyPromise() throws Exception {
        String benign = Files.readString(EXAMPLES.resolve("response-benign.json"));
        String id = parse(QuestionnaireResponse.class, post("/QuestionnaireResponse", JSON, benign))
                .getIdPart();
        Set<String> shown = new LinkedHashSet<>();
        SoftAssertions softly = new SoftAssertions();

        for (Command command : Command.all()) {
            if (!command.requestsTheModule()) {
                continue;
            }
            String key = command.requestKey();
            shown.add(key);
            Answer answer = ANSWERS.get(key);
            if (answer == null) {
                softly.fail(
                        "%s shows a request this test does not know; add the answer it promises to ANSWERS: %s",
                        command.document(), key);
                continue;
            }
            Run run = command.runWithCurl(DOCUMENTED_BASE, "http://localhost:" + port, id);
            softly.assertThat(run.status())
                    .as("%s: %s", command.document(), key)
                    .isIn(answer.statuses());
            if (answer.jsonField() != null) {
                // Not FHIR (CDS Hooks, the clinician API): JSON with the member the docs show.
                softly.assertThat(run.json().has(answer.jsonField()))
                        .as(
                                "%s: %s answers JSON with \"%s\": %s",
                                command.document(), key, answer.jsonField(), run.body())
                        .isTrue();
                continue;
            }
            IBaseResource body = run.resource();
            if (body == null) {
                softly.fail(
                        "%s: %s answered %d with no FHIR resource: %s",
                        command.document(), key, run.status(), run.body());
                continue;
            }
            softly.assertThat(body.fhirType())
                    .as("%s: %s", command.document(), key)
                    .isEqualTo(answer.type());
            if (answer.entryType() != null && body instanceof Bundle bundle) {
                softly.assertThat(bundle.getEntry())
                        .as("%s: %s", command.document(), key)
                        .extracting(e -> e.getResource().fhirType())
                        .contains(answer.entryType());
            }
        }
        softly.assertThat(ANSWERS.keySet())
                .as("answers that no request in the docs needs any more")
                .isSubsetOf(shown);
        softly.assertAll();
    }

    @Test
    void everyOtherCommandNamesWhatExists() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        String moduleJar = "twitch-triage-" + projectVersion(pom) + ".jar";
        Settings settings = Settings.documented();
        SoftAssertions softly = new SoftAssertions();

        for (Command command : Command.all()) {
            String where = command.document() + ": " + command.text();
            command.env()
                    .forEach(name -> softly.assertThat(settings.hasEnvironmentVariable(name))
                            .as("%s: %s is no setting the settings reference lists", where, name)
                            .isTrue());
            for (String word : command.words()) {
                if (word.endsWith(".jar") && word.contains("twitch-triage")) {
                    softly.assertThat(Path.of(word).getFileName().toString())
                            .as(where)
                            .isEqualTo(moduleJar);
                }
                String path = Command.pathIn(word);
                if (path != null) {
                    softly.assertThat(exists(path))
                            .as("%s: %s exists", where, path)
                            .isTrue();
                }
            }
            if (command.runsTheModuleJar()) {
                checkModuleArguments(command, settings, softly);
            }
            if (command.program().equals("./mvnw")) {
                checkBuildArguments(command, pom, softly);
            }
            if (command.program().equals("curl") && !command.requestsTheModule()) {
                checkResourcesForTheEhr(command, softly);
            }
        }
        softly.assertAll();
    }

    @Test
    void everyLinkInTheDocsLeadsSomewhere() throws IOException {
        SoftAssertions softly = new SoftAssertions();
        Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)");
        for (Path document : Command.documents()) {
            Matcher matcher = link.matcher(Command.withoutCode(Files.readString(document)));
            while (matcher.find()) {
                String target = matcher.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                Path file = hash == 0
                        ? document
                        : document.resolveSibling(hash < 0 ? target : target.substring(0, hash))
                                .normalize();
                softly.assertThat(Files.exists(file))
                        .as("%s links to %s", document, target)
                        .isTrue();
                if (hash >= 0 && Files.isRegularFile(file)) {
                    softly.assertThat(anchors(file))
                            .as("%s links to %s", document, target)
                            .contains(target.substring(hash + 1));
                }
            }
        }
        softly.assertAll();
    }

    private void checkModuleArguments(Command command, Settings settings, SoftAssertions softly) {
        List<String> arguments = command.argumentsAfterJar();
        String where = command.document() + ": " + command.text();
        if (!arguments.isEmpty() && !arguments.get(0).startsWith("-")) {
            softly.assertThat(arguments.get(0)).as(where).isIn(TriageCommand.NAME, SimulateCommand.NAME);
        }
        arguments.stream()
                .filter(a -> a.startsWith("--")
                        && a.contains("=")
                        && a.substring(0, a.indexOf('=')).contains("."))
                .map(a -> a.substring(2, a.indexOf('=')))
                .forEach(name -> softly.assertThat(settings.has(name))
                        .as("%s: %s is no setting the settings reference lists", where, name)
                        .isTrue());
    }

    private static void checkBuildArguments(Command command, String pom, SoftAssertions softly) throws IOException {
        String where = command.document() + ": " + command.text();
        String tests = sources(Path.of("src/test/java")) + sources(Path.of("src/bench/java"));
        for (String word : command.words()) {
            if (word.startsWith("-P")) {
                softly.assertThat(pom).as(where).contains("<id>" + word.substring(2) + "</id>");
            }
            if (!word.startsWith("-D")) {
                continue;
            }
            int equals = word.indexOf('=');
            String name = equals < 0 ? word.substring(2) : word.substring(2, equals);
            String value = equals < 0 ? "" : word.substring(equals + 1);
            softly.assertThat(MAVEN_PROPERTIES.contains(name) || pom.contains(name) || tests.contains('"' + name))
                    .as("%s: the build knows -D%s", where, name)
                    .isTrue();
            if (name.equals("bench.main")) {
                softly.assertThat(benchSource(value.substring(value.lastIndexOf('.') + 1)))
                        .as(where)
                        .isNotNull();
            }
            if (name.equals("bench.args")) {
                checkBenchArguments(command, value, softly);
            }
        }
    }

    /** Benchmark names ({@code Class} or {@code Class.method}) and load-run options ({@code --name=}) exist. */
    private static void checkBenchArguments(Command command, String arguments, SoftAssertions softly)
            throws IOException {
        String where = command.document() + ": " + command.text();
        String main = command.words().stream()
                .filter(w -> w.startsWith("-Dbench.main="))
                .map(w -> w.substring(w.lastIndexOf('.') + 1))
                .findFirst()
                .orElse(null);
        for (String argument : arguments.split(" ")) {
            if (argument.startsWith("--") && main != null) {
                String option =
                        argument.substring(2, argument.contains("=") ? argument.indexOf('=') : argument.length());
                softly.assertThat(Objects.toString(benchSource(main), "").contains('"' + option + '"'))
                        .as("%s: %s reads --%s", where, main, option)
                        .isTrue();
            } else if (!argument.startsWith("-") && !argument.isBlank()) {
                String[] parts = argument.split("\\.");
                String source = benchSource(parts[0]);
                softly.assertThat(source)
                        .as("%s: benchmark %s", where, parts[0])
                        .isNotNull();
                if (source != null && parts.length > 1) {
                    softly.assertThat(source.contains(" " + parts[1] + "("))
                            .as("%s: %s has a benchmark %s", where, parts[0], parts[1])
                            .isTrue();
                }
            }
        }
    }

    /** The resources the docs create in a test EHR are the Organization and the Patient the module names. */
    private void checkResourcesForTheEhr(Command command, SoftAssertions softly) throws IOException {
        String subject = FHIR.newJsonParser()
                .parseResource(QuestionnaireResponse.class, Files.readString(EXAMPLES.resolve("response-benign.json")))
                .getSubject()
                .getReference();
        for (String body : command.dataArguments()) {
            Resource resource = (Resource) FHIR.newJsonParser().parseResource(body);
            String reference =
                    resource.fhirType() + "/" + resource.getIdElement().getIdPart();
            softly.assertThat(reference)
                    .as(command.document() + ": " + command.text())
                    .isIn(triage.requesterOrganization(), subject);
        }
    }

    private static boolean exists(String path) {
        int star = path.indexOf('*');
        if (star < 0) {
            return Files.exists(Path.of(path));
        }
        Path folder = Path.of(path.substring(0, path.lastIndexOf('/', star) + 1));
        String glob = path.substring(path.lastIndexOf('/', star) + 1);
        try (DirectoryStream<Path> matches = Files.newDirectoryStream(folder, glob)) {
            return matches.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static String projectVersion(String pom) {
        Matcher version = Pattern.compile("<artifactId>twitch-triage</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        assertThat(version.find()).as("the project's version in pom.xml").isTrue();
        return version.group(1);
    }

    private static String sources(Path folder) throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                text.append(Files.readString(file));
            }
        }
        return text.toString();
    }

    private static String benchSource(String simpleName) throws IOException {
        Path file = Path.of("src/bench/java/org/twitchtriage/bench", simpleName + ".java");
        return Files.exists(file) ? Files.readString(file) : null;
    }

    /** The anchors GitHub gives a page's headings. */
    private static Set<String> anchors(Path file) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        for (String line :
                Files.readString(file).replaceAll("(?s)```.*?```", "").split("\n")) {
            if (line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "")
                        .replace("`", "")
                        .toLowerCase()
                        .replaceAll("[^\\p{L}\\p{N} _-]", "")
                        .replace(' ', '-'));
            }
        }
        return anchors;
    }

    /**
     * What a request must answer: one of the statuses, a resource of the type given, and for a search at least
     * one entry of the entry type.
     */
    /** @param jsonField for an answer that is plain JSON, not FHIR: a member it must have; null otherwise */
    private record Answer(Set<Integer> statuses, String type, String entryType, String jsonField) {

        static Answer of(String type, Integer... statuses) {
            return new Answer(Set.of(statuses), type, null, null);
        }

        static Answer search(String entryType) {
            return new Answer(Set.of(200), "Bundle", entryType, null);
        }

        static Answer json(String field, Integer... statuses) {
            return new Answer(Set.of(statuses), null, null, field);
        }
    }

    /** What curl received. */
    private record Run(int status, String body) {

        IBaseResource resource() {
            try {
                return FHIR.newJsonParser().parseResource(body);
            } catch (DataFormatException e) {
                return null;
            }
        }

        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                return MissingNode.getInstance();
            }
        }
    }

    /** The settings the settings reference lists, as patterns ({@code <name>} one part, {@code *} the rest). */
    private record Settings(List<String> names) {

        static Settings documented() throws IOException {
            List<String> names = new ArrayList<>();
            String page = Files.readString(Path.of("docs/settings.md"));
            String table = page.substring(page.indexOf("## Settings reference"));
            table = table.substring(0, table.indexOf("\n## "));
            for (String row : table.split("\n")) {
                if (!row.startsWith("| `")) {
                    continue;
                }
                Matcher name = Pattern.compile("`([^`]+)`").matcher(row.split("\\|")[1]);
                String first = null;
                while (name.find()) {
                    String found = name.group(1);
                    if (first == null) {
                        first = found;
                        names.add(found);
                    } else {
                        names.add(relativeTo(first, found));
                    }
                }
            }
            return new Settings(names);
        }

        /** {@code password} after {@code spring.datasource.username} is {@code spring.datasource.password}. */
        private static String relativeTo(String first, String name) {
            boolean relative = name.startsWith("...") || !name.contains(".");
            if (!relative) {
                return name;
            }
            String rest = name.replaceFirst("^\\.\\.\\.", "");
            String[] parts = first.split("\\.");
            int keep = parts.length - rest.split("\\.").length;
            return String.join(".", List.of(parts).subList(0, keep)) + "." + rest;
        }

        boolean has(String setting) {
            return names.stream().anyMatch(n -> setting.matches(pattern(n, false)));
        }

        /** Spring Boot binds {@code EHR_AUTH_TOKEN} to {@code ehr.auth.token}: upper case, underscores. */
        boolean hasEnvironmentVariable(String variable) {
            return names.stream().anyMatch(n -> variable.matches(pattern(n, true)));
        }

        private static String pattern(String name, boolean environment) {
            List<String> parts = new ArrayList<>();
            for (String part : name.split("\\.")) {
                if (part.equals("*")) {
                    parts.add(".+");
                } else if (part.startsWith("<")) {
                    parts.add(environment ? "[A-Z0-9]+" : "[a-z0-9-]+");
                } else {
                    parts.add(Pattern.quote(environment ? part.toUpperCase().replace('-', '_') : part));
                }
            }
            return String.join(environment ? "_" : "\\.", parts);
        }
    }

    /** One shell command of a {@code ```sh} block, split into words as a shell would, without expansions. */
    private record Command(String document, String text, List<String> env, List<String> words) {

        private static final Pattern ASSIGNMENT = Pattern.compile("[A-Z_][A-Z0-9_]*=.*");

        static List<Path> documents() throws IOException {
            List<Path> documents = new ArrayList<>(List.of(Path.of("README.md")));
            try (Stream<Path> pages = Files.list(Path.of("docs"))) {
                pages.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
            }
            return documents;
        }

        static List<Command> all() throws IOException {
            List<Command> commands = new ArrayList<>();
            for (Path document : documents()) {
                for (String line : shellLines(Files.readString(document))) {
                    for (List<String> words : split(line)) {
                        List<String> env = new ArrayList<>();
                        int first = 0;
                        while (first < words.size()
                                && ASSIGNMENT.matcher(words.get(first)).matches()) {
                            env.add(words.get(first)
                                    .substring(0, words.get(first).indexOf('=')));
                            first++;
                        }
                        if (first < words.size()) {
                            commands.add(new Command(
                                    document.toString(), line.strip(), env, words.subList(first, words.size())));
                        }
                    }
                }
            }
            assertThat(commands).as("commands in the docs").isNotEmpty();
            return commands;
        }

        /** The lines of every {@code ```sh} block, a line ending in a backslash joined with the next. */
        private static List<String> shellLines(String markdown) {
            List<String> lines = new ArrayList<>();
            boolean inShell = false;
            StringBuilder pending = new StringBuilder();
            for (String line : markdown.split("\n")) {
                String trimmed = line.strip();
                if (trimmed.startsWith("```")) {
                    inShell = !inShell && trimmed.equals("```sh");
                    continue;
                }
                if (!inShell) {
                    continue;
                }
                String content = line.stripTrailing();
                if (content.endsWith("\\")) {
                    pending.append(content, 0, content.length() - 1).append(' ');
                } else {
                    lines.add(pending.append(content).toString());
                    pending.setLength(0);
                }
            }
            return lines;
        }

        /** Words of one line, in commands separated by {@code &&}, {@code ;} or {@code &}; comments dropped. */
        private static List<List<String>> split(String line) {
            List<List<String>> commands = new ArrayList<>();
            List<String> words = new ArrayList<>();
            StringBuilder word = null;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\'' || c == '"') {
                    int end = line.indexOf(c, i + 1);
                    String quoted = line.substring(i + 1, end);
                    word = (word == null ? new StringBuilder() : word)
                            .append(c == '"' ? quoted.replaceAll("\\\\([\"$\\\\`])", "$1") : quoted);
                    i = end;
                } else if (c == '\\' && i + 1 < line.length()) {
                    word = (word == null ? new StringBuilder() : word).append(line.charAt(++i));
                } else if (c == '#' && word == null) {
                    break;
                } else if (Character.isWhitespace(c) || c == '&' || c == ';') {
                    if (word != null) {
                        words.add(word.toString());
                        word = null;
                    }
                    if (c != ' ' && c != '\t' && !words.isEmpty()) {
                        commands.add(words);
                        words = new ArrayList<>();
                    }
                } else {
                    word = (word == null ? new StringBuilder() : word).append(c);
                }
            }
            if (word != null) {
                words.add(word.toString());
            }
            if (!words.isEmpty()) {
                commands.add(words);
            }
            return commands;
        }

        /** The markdown without its fenced code blocks and inline code, where brackets and hashes mean nothing. */
        static String withoutCode(String markdown) {
            return markdown.replaceAll("(?s)```.*?```", "").replaceAll("`[^`\n]*`", "");
        }

        /** A word that names a file of the repository, e.g. {@code @src/test/...} or {@code --responses=src/...}. */
        static String pathIn(String word) {
            String value = word.replaceFirst("^@", "").replaceFirst("^-{1,2}[A-Za-z][\\w.-]*=", "");
            return value.matches("(src|questionnaires|fhir-profiles|docs)/.*") ? value : null;
        }

        String program() {
            return words.get(0);
        }

        boolean requestsTheModule() {
            return program().equals("curl") && words.stream().anyMatch(w -> w.startsWith(DOCUMENTED_BASE + "/"));
        }

        boolean runsTheModuleJar() {
            return program().equals("java") && argumentsAfterJar() != null;
        }

        List<String> argumentsAfterJar() {
            int jar = words.indexOf("-jar");
            if (jar < 0 || jar + 1 >= words.size() || !words.get(jar + 1).contains("twitch-triage")) {
                return null;
            }
            return words.subList(jar + 2, words.size());
        }

        /** {@code METHOD /address as written [body file]}. */
        String requestKey() {
            String url = words.stream()
                    .filter(w -> w.startsWith(DOCUMENTED_BASE + "/"))
                    .findFirst()
                    .orElseThrow();
            String method = option("-X");
            List<String> data = dataArguments();
            if (method == null) {
                method = data.isEmpty() ? "GET" : "POST";
            }
            String file = data.isEmpty() || !data.get(0).startsWith("@")
                    ? ""
                    : " " + Path.of(data.get(0).substring(1)).getFileName();
            return method + " " + url.substring(DOCUMENTED_BASE.length()) + file;
        }

        List<String> dataArguments() {
            List<String> data = new ArrayList<>();
            for (int i = 0; i + 1 < words.size(); i++) {
                if (Set.of("-d", "--data", "--data-binary").contains(words.get(i))) {
                    data.add(words.get(i + 1));
                }
            }
            return data;
        }

        private String option(String name) {
            int at = words.indexOf(name);
            return at < 0 || at + 1 >= words.size() ? null : words.get(at + 1);
        }

        /** Runs the command's own words with curl, sent to {@code base}, {@code <id>} replaced by {@code id}. */
        Run runWithCurl(String documentedBase, String base, String id) throws IOException, InterruptedException {
            Path body = Files.createTempFile("readme-example", ".out");
            List<String> run = new ArrayList<>();
            for (String word : words) {
                run.add(word.replace(documentedBase, base).replace("<id>", id).replace("$TOKEN", "example-token"));
            }
            run.addAll(List.of("-o", body.toString(), "-w", "%{http_code}", "--max-time", "60"));
            Process process;
            try {
                process = new ProcessBuilder(run).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException(
                        "The docs' examples are run with curl: install it (apt-get install" + " curl) to run this test",
                        e);
            }
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as(text).isTrue();
            String status = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String output = Files.readString(body);
            Files.delete(body);
            if (words.stream().anyMatch(w -> w.matches("-[a-zA-Z]*i[a-zA-Z]*"))) {
                int end = output.indexOf("\r\n\r\n");
                output = end < 0 ? output : output.substring(end + 4);
            }
            if (!status.matches("\\d{3}")) {
                fail("%s: curl said %s", text, status);
            }
            return new Run(Integer.parseInt(status), output);
        }
    }
}

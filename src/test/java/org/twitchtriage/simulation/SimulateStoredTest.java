package org.twitchtriage.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twitchtriage.simulation.SimulateCommandTest.Run;
import org.twitchtriage.storage.StoredJson;
import org.twitchtriage.testing.CandidateRules;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;

/**
 * {@code simulate --stored}: the responses in an H2 database made by the module's migrations, and the one
 * clear line when another process (a running module) holds the database file.
 */
class SimulateStoredTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void storedResponsesAreSimulatedByIdAndRetractedOnesLeftOut() throws Exception {
        String url = database(temp.resolve("db").resolve("twitch-triage"));
        Set<String> expected = new TreeSet<>();
        String retracted = null;
        int number = 0;
        Set<String> raised = SimulateCommandTest.raisedBySpreading().keySet();
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            for (Map.Entry<String, QuestionnaireResponse> entry :
                    GoldenCorpus.responses().entrySet()) {
                String id = "stored-" + ++number;
                boolean retract = raised.contains(entry.getKey()) && retracted == null;
                store(connection, id, entry.getValue(), retract ? "entered-in-error" : "completed");
                if (retract) {
                    retracted = id;
                } else if (raised.contains(entry.getKey())) {
                    expected.add(id);
                }
            }
        }
        Path rules = CandidateRules.fromActive()
                .level("spreading", "urgent")
                .nextVersion()
                .ownId()
                .writeTo(temp.resolve("rules"));

        Run run = SimulateCommandTest.simulate(
                "--rules=" + rules, "--stored", "--format=json", "--spring.datasource.url=" + url);

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(SimulateCommandTest.names(report.path("changed")))
                .isEqualTo(expected)
                .doesNotContain(retracted);
        assertThat(report.path("invalid")).as(run.out()).isEmpty();
        assertThat(report.path("responses").asInt()).isEqualTo(number - 1);
        assertThat(report.path("retracted").asInt()).isEqualTo(1);

        Run text = SimulateCommandTest.simulate("--rules=" + rules, "--stored", "--spring.datasource.url=" + url);
        assertThat(text.out())
                .contains((number - 1) + " responses compared, " + expected.size() + " changed, 1 retracted left out.");
    }

    @Test
    void aCorrectedResponseIsSimulatedAtItsCurrentVersion() throws Exception {
        String url = database(temp.resolve("versions").resolve("twitch-triage"));
        QuestionnaireResponse soon =
                ChecklistResponses.benign().answer("spreading", true).build();
        QuestionnaireResponse selfCare = ChecklistResponses.benign().build();
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            // Corrected from answers the candidate rules raise to answers they leave as they were, and the reverse.
            corrected(connection, "corrected-down", soon, selfCare);
            corrected(connection, "corrected-up", selfCare, soon);
            store(connection, "retracted", soon, "entered-in-error");
        }
        Path rules = CandidateRules.fromActive()
                .level("spreading", "urgent")
                .nextVersion()
                .ownId()
                .writeTo(temp.resolve("rules"));

        Run run = SimulateCommandTest.simulate(
                "--rules=" + rules, "--stored", "--format=json", "--spring.datasource.url=" + url);

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(SimulateCommandTest.names(report.path("changed"))).containsExactly("corrected-up");
        assertThat(report.path("changed").get(0).path("before").path("level").asText())
                .isEqualTo("soon");
        assertThat(report.path("responses").asInt()).isEqualTo(2);
        assertThat(report.path("retracted").asInt()).isEqualTo(1);
        assertThat(report.path("invalid")).as(run.out()).isEmpty();
    }

    /** A response stored at version 2 (amended), its version 1 kept where the module keeps replaced versions. */
    private static void corrected(
            Connection connection, String id, QuestionnaireResponse first, QuestionnaireResponse current)
            throws SQLException {
        QuestionnaireResponse amended = current.copy();
        amended.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED);
        amended.getMeta().setVersionId("2");
        store(connection, id, amended, "amended");
        try (PreparedStatement versions =
                connection.prepareStatement("update questionnaire_response set version_id = 2 where id = ?")) {
            versions.setString(1, id);
            versions.executeUpdate();
        }
        QuestionnaireResponse replaced = first.copy();
        replaced.setId(id);
        replaced.getMeta().setVersionId("1");
        try (PreparedStatement insert = connection.prepareStatement("insert into questionnaire_response_version (id,"
                + " version_id, last_updated, resource_json) values (?, 1, ?, ?)")) {
            insert.setString(1, id);
            insert.setTimestamp(2, Timestamp.from(Instant.now()));
            insert.setString(3, Content.FHIR.newJsonParser().encodeResourceToString(replaced));
            insert.executeUpdate();
        }
    }

    @Test
    void aDatabaseFileHeldByARunningModuleIsReportedInOneLine() throws Exception {
        String url = database(temp.resolve("held").resolve("twitch-triage"));
        Path rules = CandidateRules.fromActive().nextVersion().ownId().writeTo(temp.resolve("rules"));
        Process holder = holdOpen(url);
        try {
            Run run = SimulateCommandTest.simulate("--rules=" + rules, "--stored", "--spring.datasource.url=" + url);

            assertThat(run.status()).isEqualTo(SimulateCommand.RESPONSES_UNREADABLE);
            assertThat(run.err().strip())
                    .doesNotContain("\n")
                    .contains("in use by a running module")
                    .contains("file is locked");
            assertThat(run.out()).isEmpty();
        } finally {
            holder.getOutputStream().close();
            holder.destroy();
            holder.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDatabaseThatDoesNotExistIsNotCreated() throws IOException {
        Path missing = temp.resolve("nowhere").resolve("twitch-triage");
        Path rules = CandidateRules.fromActive().nextVersion().ownId().writeTo(temp.resolve("rules"));

        Run run = SimulateCommandTest.simulate(
                "--rules=" + rules, "--stored", "--spring.datasource.url=jdbc:h2:file:" + missing);

        assertThat(run.status()).isEqualTo(SimulateCommand.RESPONSES_UNREADABLE);
        assertThat(run.err()).contains("there is no database at");
        assertThat(missing.getParent()).doesNotExist();
    }

    /** A database file made by the module's own migrations, closed again; its URL as the module's settings give it. */
    private static String database(Path file) {
        String url = "jdbc:h2:file:" + file.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        Flyway.configure().dataSource(url, "sa", "").load().migrate();
        return url;
    }

    private static void store(Connection connection, String id, QuestionnaireResponse response, String status)
            throws SQLException {
        QuestionnaireResponse stored = response.copy();
        stored.setId(id);
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement insert = connection.prepareStatement("insert into questionnaire_response (id,"
                + " questionnaire_url, questionnaire_version, subject_id, status, authored_low, authored_high,"
                + " last_updated, resource_json) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, "http://twitchtriage.org/fhir/Questionnaire/muscle-twitch-checklist");
            insert.setString(3, "1.0.0");
            insert.setString(4, stored.getSubject().getReferenceElement().getIdPart());
            insert.setString(5, status);
            insert.setTimestamp(6, Timestamp.from(stored.getAuthored().toInstant()));
            insert.setTimestamp(7, Timestamp.from(stored.getAuthored().toInstant()));
            insert.setTimestamp(8, now);
            insert.setBytes(9, StoredJson.bytes(Content.FHIR.newJsonParser().encodeResourceToString(stored)));
            insert.executeUpdate();
        }
    }

    /** Another process with the database open, as a running module has: H2's shell, waiting at its prompt. */
    private static Process holdOpen(String url) throws Exception {
        String h2 = Path.of(Class.forName("org.h2.Driver")
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(
                        java, "-cp", h2, "org.h2.tools.Shell", "-url", url, "-user", "sa", "-password", "")
                .redirectErrorStream(true)
                .start();
        BufferedReader output =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        int c;
        while (seen.indexOf("sql>") < 0 && (c = output.read()) >= 0) {
            seen.append((char) c);
        }
        assertThat(seen.toString()).as("H2 shell output").contains("sql>");
        return process;
    }
}

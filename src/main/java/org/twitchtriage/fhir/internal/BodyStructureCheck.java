package org.twitchtriage.fhir.internal;

import ca.uhn.fhir.rest.api.EncodingEnum;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Streams a request body once, building nothing from it, and reports the first thing HAPI must not be
 * given: an XML document type declaration (which could declare entities that read files, reach the network
 * or expand exponentially), nesting deeper than the limit, a string longer than the limit, or a string with a
 * character XML cannot carry ({@link XmlCharacters}: control characters, which PostgreSQL cannot store
 * either, unpaired surrogates, U+FFFE and U+FFFF). Bodies that are not well-formed are left to HAPI's parser,
 * which rejects them with 400. Diagnostics name the limit, never the content.
 */
public final class BodyStructureCheck {

    /** Why a body is refused. */
    record Violation(IssueType type, String diagnostics) {}

    static final Violation DTD =
            new Violation(IssueType.NOTSUPPORTED, "XML document type declarations (DTDs) are not accepted");
    static final Violation FORBIDDEN_CHARACTER = new Violation(
            IssueType.INVALID,
            "A string in the request body contains a control character, an unpaired surrogate or U+FFFE/U+FFFF,"
                    + " which FHIR strings may not contain");

    private final int maxDepth;
    private final int maxStringLength;
    private final JsonFactory jsonFactory = new JsonFactory();
    private final XMLInputFactory xmlFactory;

    BodyStructureCheck(int maxDepth, int maxStringLength) {
        this.maxDepth = maxDepth;
        this.maxStringLength = maxStringLength;
        this.xmlFactory = secureXmlFactory();
    }

    /** A StAX factory that never reads a DTD or resolves anything outside the document. */
    static XMLInputFactory secureXmlFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("External entities are not resolved");
        });
        return factory;
    }

    /** Checks a decoded body as XML when the encoding says so, as JSON otherwise. */
    Optional<Violation> check(String body, EncodingEnum encoding) {
        return encoding == EncodingEnum.XML ? checkXml(body) : checkJson(body);
    }

    private Optional<Violation> checkJson(String body) {
        try (JsonParser parser = jsonFactory.createParser(body)) {
            int depth = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                Optional<Violation> violation = Optional.empty();
                switch (token) {
                    case START_OBJECT, START_ARRAY -> violation = deeper(++depth);
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME, VALUE_STRING ->
                        violation = string(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    default -> {}
                }
                if (violation.isPresent()) {
                    return violation;
                }
            }
        } catch (IOException notWellFormed) {
            // Left to HAPI's parser, which answers 400.
        }
        return Optional.empty();
    }

    private Optional<Violation> checkXml(String body) {
        XMLStreamReader reader = null;
        try {
            reader = xmlFactory.createXMLStreamReader(new StringReader(body));
            int depth = 0;
            while (reader.hasNext()) {
                Optional<Violation> violation = Optional.empty();
                switch (reader.next()) {
                    case XMLStreamConstants.DTD,
                            XMLStreamConstants.ENTITY_DECLARATION,
                            XMLStreamConstants.NOTATION_DECLARATION -> violation = Optional.of(DTD);
                    case XMLStreamConstants.START_ELEMENT -> {
                        violation = deeper(++depth);
                        for (int i = 0; i < reader.getAttributeCount() && violation.isEmpty(); i++) {
                            char[] value = reader.getAttributeValue(i).toCharArray();
                            violation = string(value, 0, value.length);
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> depth--;
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                        violation = string(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
                    default -> {}
                }
                if (violation.isPresent()) {
                    return violation;
                }
            }
        } catch (XMLStreamException | RuntimeException notWellFormed) {
            // Left to HAPI's parser, which answers 400 (and reads no DTD either).
        } finally {
            close(reader);
        }
        return Optional.empty();
    }

    /** A JSON string or name, or an XML attribute value or text (XML 1.1 admits control characters as &#x1;). */
    private Optional<Violation> string(char[] text, int offset, int length) {
        if (length > maxStringLength) {
            return Optional.of(tooLong());
        }
        return XmlCharacters.hasForbidden(text, offset, length) ? Optional.of(FORBIDDEN_CHARACTER) : Optional.empty();
    }

    private Optional<Violation> deeper(int depth) {
        return depth > maxDepth
                ? Optional.of(new Violation(
                        IssueType.STRUCTURE,
                        "The request body is nested deeper than the limit of " + maxDepth + " levels"))
                : Optional.empty();
    }

    private Violation tooLong() {
        return new Violation(
                IssueType.TOOLONG,
                "A string in the request body is longer than the limit of " + maxStringLength + " characters");
    }

    private static void close(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException e) {
                // Nothing was opened that needs closing: the reader reads from a string.
            }
        }
    }
}

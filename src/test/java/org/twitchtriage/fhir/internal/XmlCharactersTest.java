package org.twitchtriage.fhir.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.junit.jupiter.api.Test;
import org.twitchtriage.fhir.OperationOutcomes;
import org.twitchtriage.testing.Content;

class XmlCharactersTest {

    @Test
    void charactersXmlCannotCarryAreReplaced() {
        assertThat(XmlCharacters.replaceForbidden("a\u0001b\ud800c\uffffd\u0000"))
                .isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFD");
    }

    @Test
    void everythingElseIsKept() {
        String text = "tab\tline\nreturn\r \u00e9 \u202e \ud83d\ude00 \uFFFD";

        assertThat(XmlCharacters.replaceForbidden(text)).isSameAs(text);
    }

    @Test
    void anErrorOutcomeQuotingAControlCharacterCanBeWrittenAsXml() {
        OperationOutcome outcome = OperationOutcomes.error(IssueType.PROCESSING, "Invalid value \"x\u0001\"");

        new EncodableOutcomeInterceptor().replaceUnencodableCharacters(outcome);

        String xml = Content.FHIR.newXmlParser().encodeResourceToString(outcome);
        assertThat(Content.FHIR
                        .newXmlParser()
                        .parseResource(OperationOutcome.class, xml)
                        .getIssueFirstRep()
                        .getDiagnostics())
                .isEqualTo("Invalid value \"x\uFFFD\"");
    }
}

package org.twitchtriage.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.DataFormatException;
import java.util.Map;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.twitchtriage.fhir.internal.RequestBodyFilter;
import org.twitchtriage.testing.Content;

/**
 * The second line of defence: should a DTD ever get past {@link RequestBodyFilter}, HAPI's own XML parser
 * (DTDs off, external entities off) neither reads the file nor fetches anything, nor expands entities.
 */
class HapiXmlParserEntityTest {

    private final XmlEntities entities = new XmlEntities();

    @AfterEach
    void close() throws Exception {
        entities.close();
    }

    @Test
    void hapisParserResolvesNoEntity() {
        Map<String, String> attacks = entities.attacks(XmlEntities.responseXml("hapi-parser"));
        for (Map.Entry<String, String> attack : attacks.entrySet()) {
            String outcome;
            try {
                QuestionnaireResponse parsed =
                        Content.FHIR.newXmlParser().parseResource(QuestionnaireResponse.class, attack.getValue());
                outcome = Content.FHIR.newJsonParser().encodeResourceToString(parsed);
            } catch (DataFormatException refused) {
                outcome = String.valueOf(refused.getMessage());
            }
            System.out.println(attack.getKey() + ": " + outcome.substring(0, Math.min(200, outcome.length())));
            assertThat(outcome)
                    .as(attack.getKey())
                    .doesNotContain(entities.marker)
                    .doesNotContain("lollollol");
        }
        assertThat(entities.fetches).hasValue(0);
    }
}

package org.twitchtriage.bench;

import ca.uhn.fhir.parser.IParser;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.twitchtriage.testing.ChecklistResponses;
import org.twitchtriage.testing.Content;

/** QuestionnaireResponses as the benchmarks send and receive them: FHIR JSON. */
final class ResponseJson {

    private ResponseJson() {}

    /** {@code built} after a round trip through JSON, as the server would parse it. */
    static QuestionnaireResponse parsed(QuestionnaireResponse built) {
        IParser parser = Content.FHIR.newJsonParser();
        return parser.parseResource(QuestionnaireResponse.class, parser.encodeResourceToString(built));
    }

    /**
     * JSON bodies of the {@code variants}, with {@code idToken} in place of the identifier value (of
     * {@code identifierSystem}) and {@code subjectToken} in place of the subject's Patient id.
     */
    static List<String> templates(
            List<ChecklistResponses> variants, String identifierSystem, String idToken, String subjectToken) {
        List<String> bodies = new ArrayList<>();
        for (ChecklistResponses variant : variants) {
            QuestionnaireResponse response = variant.subject("Patient/" + subjectToken)
                    .identifier(identifierSystem, idToken)
                    .build();
            bodies.add(Content.FHIR.newJsonParser().encodeResourceToString(response));
        }
        return bodies;
    }
}

package org.twitchtriage.intake;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.twitchtriage.intake.internal.SearchKeys;
import org.twitchtriage.triage.TriageDocuments;
import org.twitchtriage.triage.TriageEngine;
import org.twitchtriage.triage.TriageResources;
import org.twitchtriage.triage.TriageRules;

/**
 * Triage of accepted responses, with no storage: used by intake before it stores, by $triage, and by
 * the command line, so all three give the same result for the same response.
 */
public final class ResponseTriage {

    /** The key identifiers derive from when a response is triaged without being stored. */
    public static final String PREVIEW_KEY = "preview";

    private final SubmissionValidator validator;
    private final TriageRules rules;
    private final TriageEngine engine;
    private final TriageDocuments documents;
    private final Clock clock;

    public ResponseTriage(
            SubmissionValidator validator,
            TriageRules rules,
            TriageEngine engine,
            TriageDocuments documents,
            Clock clock) {
        this.validator = validator;
        this.rules = rules;
        this.engine = engine;
        this.documents = documents;
        this.clock = clock;
    }

    /** The resources triage writes for a response, if its Questionnaire has rules. */
    Optional<TriageResources> write(QuestionnaireResponse response, String questionnaireUrl, String key, Instant now) {
        return rules.forQuestionnaire(questionnaireUrl)
                .map(ruleSet -> documents.write(response, key, engine.evaluate(response, ruleSet), now));
    }

    /**
     * Validates and triages without storing anything; throws {@link SubmissionRejectedException} for an
     * invalid response. Identifiers derive from the response's own id, or {@value #PREVIEW_KEY}.
     */
    public ResponseIntake.Accepted preview(QuestionnaireResponse response) {
        SearchKeys keys = validator.validate(response);
        QuestionnaireResponse previewed = response.copy();
        String key =
                previewed.getIdElement().hasIdPart() ? previewed.getIdElement().getIdPart() : PREVIEW_KEY;
        previewed.setId(key);
        return new ResponseIntake.Accepted(
                previewed,
                false,
                write(previewed, keys.questionnaireUrl(), key, clock.instant())
                        .map(TriageResources::all)
                        .orElse(List.of()));
    }
}

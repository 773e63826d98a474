package org.twitchtriage.questionnaire.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.twitchtriage.questionnaire.InvalidContentException;

/**
 * Turns refused content into Spring Boot's start-up failure report, so the reason (which file, rule and name)
 * heads the log instead of sitting at the end of a chain of bean-creation errors.
 */
public class InvalidContentFailureAnalyzer extends AbstractFailureAnalyzer<InvalidContentException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidContentException cause) {
        return new FailureAnalysis(
                "The published clinical content was refused: " + cause.getMessage(),
                "Correct the resource named above (docs/clinical-content.md and docs/rule-checks.md say what is"
                        + " checked), or remove its folder from questionnaire.content-locations, and start again.",
                cause);
    }
}

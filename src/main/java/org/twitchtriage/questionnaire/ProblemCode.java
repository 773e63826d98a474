package org.twitchtriage.questionnaire;

import org.twitchtriage.fhir.FhirIds;

/**
 * Why a submitted QuestionnaireResponse was rejected; the codes of the published CodeSystem
 * {@value #SYSTEM}, sent in {@code OperationOutcome.issue.details}.
 */
public enum ProblemCode {
    UNKNOWN_QUESTIONNAIRE("unknown-questionnaire"),
    INVALID_STATUS("invalid-status"),
    INVALID_SUBJECT("invalid-subject"),
    MISSING_AUTHORED("missing-authored"),
    INVALID_IDENTIFIER("invalid-identifier"),
    UNKNOWN_ITEM("unknown-item"),
    ITEM_ORDER("item-order"),
    DUPLICATE_ITEM("duplicate-item"),
    WRONG_TYPE("wrong-type"),
    INVALID_CODE("invalid-code"),
    EMPTY_ANSWER("empty-answer"),
    TOO_MANY_ANSWERS("too-many-answers"),
    REQUIRED("required"),
    DISABLED_ANSWERED("disabled-answered"),
    HAPI_VALIDATION("hapi-validation");

    public static final String SYSTEM = FhirIds.CANONICAL_BASE + "/CodeSystem/submission-issue";

    private final String code;

    ProblemCode(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}

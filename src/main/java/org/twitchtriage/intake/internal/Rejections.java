package org.twitchtriage.intake.internal;

import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.twitchtriage.questionnaire.AnswerProblem;
import org.twitchtriage.questionnaire.ProblemCode;

/** Renders rejected submissions as OperationOutcomes: one issue per problem, located by linkId. */
public final class Rejections {

    private static final Map<ProblemCode, IssueType> ISSUE_TYPES = Map.ofEntries(
            Map.entry(ProblemCode.UNKNOWN_QUESTIONNAIRE, IssueType.NOTFOUND),
            Map.entry(ProblemCode.INVALID_STATUS, IssueType.VALUE),
            Map.entry(ProblemCode.INVALID_SUBJECT, IssueType.VALUE),
            Map.entry(ProblemCode.MISSING_AUTHORED, IssueType.REQUIRED),
            Map.entry(ProblemCode.INVALID_IDENTIFIER, IssueType.VALUE),
            Map.entry(ProblemCode.UNKNOWN_ITEM, IssueType.STRUCTURE),
            Map.entry(ProblemCode.ITEM_ORDER, IssueType.STRUCTURE),
            Map.entry(ProblemCode.DUPLICATE_ITEM, IssueType.STRUCTURE),
            Map.entry(ProblemCode.WRONG_TYPE, IssueType.STRUCTURE),
            Map.entry(ProblemCode.INVALID_CODE, IssueType.CODEINVALID),
            Map.entry(ProblemCode.EMPTY_ANSWER, IssueType.REQUIRED),
            Map.entry(ProblemCode.TOO_MANY_ANSWERS, IssueType.STRUCTURE),
            Map.entry(ProblemCode.REQUIRED, IssueType.REQUIRED),
            Map.entry(ProblemCode.DISABLED_ANSWERED, IssueType.BUSINESSRULE),
            Map.entry(ProblemCode.HAPI_VALIDATION, IssueType.INVALID));

    private Rejections() {}

    public static OperationOutcome outcome(List<AnswerProblem> problems) {
        OperationOutcome outcome = new OperationOutcome();
        for (AnswerProblem problem : problems) {
            outcome.addIssue()
                    .setSeverity(IssueSeverity.ERROR)
                    .setCode(ISSUE_TYPES.get(problem.code()))
                    .setDetails(new CodeableConcept(
                            new Coding(ProblemCode.SYSTEM, problem.code().code(), null)))
                    .setDiagnostics(problem.message())
                    .addExpression(problem.expression())
                    .addLocation(problem.expression());
        }
        return outcome;
    }
}

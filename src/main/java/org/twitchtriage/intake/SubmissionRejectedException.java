package org.twitchtriage.intake;

import java.util.List;
import org.twitchtriage.questionnaire.AnswerProblem;

/** A QuestionnaireResponse was refused: it breaks the submission rules; nothing was stored. */
public class SubmissionRejectedException extends RuntimeException {

    private final List<AnswerProblem> problems;

    public SubmissionRejectedException(List<AnswerProblem> problems) {
        super(problems.size() + " problem(s) in the submitted QuestionnaireResponse");
        this.problems = List.copyOf(problems);
    }

    public List<AnswerProblem> problems() {
        return problems;
    }
}

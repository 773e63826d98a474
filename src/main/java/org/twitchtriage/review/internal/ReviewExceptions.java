package org.twitchtriage.review.internal;

/** What can go wrong when looking at or acting on a triage result; each becomes a 4xx problem. */
public final class ReviewExceptions {

    private ReviewExceptions() {}

    /** No triage result for that submission id. */
    static final class ResultNotFoundException extends RuntimeException {

        ResultNotFoundException(String submissionId) {
            super("There is no triage result for QuestionnaireResponse/" + submissionId);
        }
    }

    /** Approval was asked for where there is nothing to approve, or approval is not how this site works. */
    static final class ApprovalNotPossibleException extends RuntimeException {

        ApprovalNotPossibleException(String message) {
            super(message);
        }
    }

    /** Approval asked for a result that was retracted: nothing of it may be acted on. */
    static final class ResultRetractedException extends RuntimeException {

        ResultRetractedException(String submissionId) {
            super("QuestionnaireResponse/" + submissionId + " was retracted (entered in error): its result and"
                    + " orders are not to be acted on, so nothing can be approved");
        }
    }

    /** A worklist filter that cannot be understood. */
    static final class BadFilterException extends RuntimeException {

        BadFilterException(String message) {
            super(message);
        }
    }

    /** A verdict on a result that cannot be understood: no outcome, an unknown reason, an override without one. */
    static final class BadFeedbackException extends RuntimeException {

        BadFeedbackException(String message) {
            super(message);
        }
    }

    /** A verdict asked for a result that was retracted: there is nothing left to accept or override. */
    static final class FeedbackOnRetractedException extends RuntimeException {

        FeedbackOnRetractedException(String submissionId) {
            super("QuestionnaireResponse/" + submissionId + " was retracted (entered in error): its result can be"
                    + " neither accepted nor overridden");
        }
    }
}

package org.twitchtriage.review.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.twitchtriage.fhir.Failures;
import org.twitchtriage.review.internal.ReviewExceptions.ApprovalNotPossibleException;
import org.twitchtriage.review.internal.ReviewExceptions.BadFeedbackException;
import org.twitchtriage.review.internal.ReviewExceptions.BadFilterException;
import org.twitchtriage.review.internal.ReviewExceptions.FeedbackOnRetractedException;
import org.twitchtriage.review.internal.ReviewExceptions.ResultNotFoundException;
import org.twitchtriage.review.internal.ReviewExceptions.ResultRetractedException;

/** The clinician API's errors as problem details (RFC 9457): a status, a title and a sentence. */
@RestControllerAdvice(assignableTypes = {WorklistController.class, FeedbackController.class})
public class ReviewProblems {

    private static final Logger log = LoggerFactory.getLogger(ReviewProblems.class);

    @ExceptionHandler(BadFilterException.class)
    ResponseEntity<ProblemDetail> badFilter(BadFilterException e) {
        return problem(HttpStatus.BAD_REQUEST, "Bad worklist filter", e.getMessage());
    }

    @ExceptionHandler(ResultNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(ResultNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "No such triage result", e.getMessage());
    }

    @ExceptionHandler(ApprovalNotPossibleException.class)
    ResponseEntity<ProblemDetail> notApprovable(ApprovalNotPossibleException e) {
        return problem(HttpStatus.CONFLICT, "Nothing to approve", e.getMessage());
    }

    @ExceptionHandler(ResultRetractedException.class)
    ResponseEntity<ProblemDetail> retracted(ResultRetractedException e) {
        return problem(HttpStatus.CONFLICT, "Result retracted", e.getMessage());
    }

    @ExceptionHandler(BadFeedbackException.class)
    ResponseEntity<ProblemDetail> badFeedback(BadFeedbackException e) {
        return problem(HttpStatus.BAD_REQUEST, "Bad feedback", e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        return problem(
                HttpStatus.BAD_REQUEST,
                "Bad feedback",
                "The body must be JSON: {\"outcome\": \"accepted\" or \"overridden\", \"reason\": a code,"
                        + " \"comment\": text}");
    }

    @ExceptionHandler(FeedbackOnRetractedException.class)
    ResponseEntity<ProblemDetail> feedbackOnRetracted(FeedbackOnRetractedException e) {
        return problem(HttpStatus.CONFLICT, "Result retracted", e.getMessage());
    }

    /** Anything else: a 500 that says nothing of the data; the log has the details (without patient data). */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
        log.error("Clinician API request failed: {}", Failures.describe(e));
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "Unexpected error",
                "The request could not be completed; the server log says why");
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}

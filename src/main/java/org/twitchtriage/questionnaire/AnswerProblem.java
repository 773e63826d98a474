package org.twitchtriage.questionnaire;

/**
 * One thing wrong with a submitted response.
 *
 * @param code what kind of problem
 * @param linkId the item concerned, or {@code null} for the response envelope
 * @param expression FHIRPath to the offending element, naming linkIds
 * @param message a sentence for the portal developer; never echoes answer values
 */
public record AnswerProblem(ProblemCode code, String linkId, String expression, String message) {}

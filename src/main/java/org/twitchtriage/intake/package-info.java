/** Accepting QuestionnaireResponses: validation, idempotent storage, read and search. */
package org.twitchtriage.intake;

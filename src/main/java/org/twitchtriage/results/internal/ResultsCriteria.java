package org.twitchtriage.results.internal;

import java.time.Instant;

/**
 * What a search over written resources asks for; {@code null} fields do not constrain. A token with a
 * {@code null} system matches any system.
 *
 * @param recordedFrom resources whose date (Observation effective, ServiceRequest authoredOn) is at or after
 * @param submissionId resources written for this QuestionnaireResponse
 */
public record ResultsCriteria(
        String resourceType,
        String subjectId,
        String codeSystem,
        String codeValue,
        String valueSystem,
        String valueCode,
        String priority,
        String status,
        String requisition,
        Instant recordedFrom,
        Instant recordedTo,
        String submissionId,
        boolean matchesNothing) {

    static ResultsCriteria of(String resourceType) {
        return new ResultsCriteria(
                resourceType, null, null, null, null, null, null, null, null, null, null, null, false);
    }

    ResultsCriteria subject(String value) {
        return new ResultsCriteria(
                resourceType,
                value,
                codeSystem,
                codeValue,
                valueSystem,
                valueCode,
                priority,
                status,
                requisition,
                recordedFrom,
                recordedTo,
                submissionId,
                matchesNothing);
    }

    ResultsCriteria code(String system, String value) {
        return new ResultsCriteria(
                resourceType,
                subjectId,
                system,
                value,
                valueSystem,
                valueCode,
                priority,
                status,
                requisition,
                recordedFrom,
                recordedTo,
                submissionId,
                matchesNothing);
    }

    ResultsCriteria value(String system, String value) {
        return new ResultsCriteria(
                resourceType,
                subjectId,
                codeSystem,
                codeValue,
                system,
                value,
                priority,
                status,
                requisition,
                recordedFrom,
                recordedTo,
                submissionId,
                matchesNothing);
    }

    ResultsCriteria priorityAndStatus(String priorityCode, String statusCode) {
        return new ResultsCriteria(
                resourceType,
                subjectId,
                codeSystem,
                codeValue,
                valueSystem,
                valueCode,
                priorityCode,
                statusCode,
                requisition,
                recordedFrom,
                recordedTo,
                submissionId,
                matchesNothing);
    }

    ResultsCriteria requisition(String token) {
        return new ResultsCriteria(
                resourceType,
                subjectId,
                codeSystem,
                codeValue,
                valueSystem,
                valueCode,
                priority,
                status,
                token,
                recordedFrom,
                recordedTo,
                submissionId,
                matchesNothing);
    }

    ResultsCriteria recorded(Instant from, Instant to) {
        return new ResultsCriteria(
                resourceType,
                subjectId,
                codeSystem,
                codeValue,
                valueSystem,
                valueCode,
                priority,
                status,
                requisition,
                from,
                to,
                submissionId,
                matchesNothing);
    }

    ResultsCriteria submission(String id) {
        return new ResultsCriteria(
                resourceType,
                subjectId,
                codeSystem,
                codeValue,
                valueSystem,
                valueCode,
                priority,
                status,
                requisition,
                recordedFrom,
                recordedTo,
                id,
                matchesNothing);
    }

    ResultsCriteria nothing(boolean condition) {
        return condition
                ? new ResultsCriteria(
                        resourceType,
                        subjectId,
                        codeSystem,
                        codeValue,
                        valueSystem,
                        valueCode,
                        priority,
                        status,
                        requisition,
                        recordedFrom,
                        recordedTo,
                        submissionId,
                        true)
                : this;
    }
}

package org.twitchtriage.review.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.intake.ResponseIntake;
import org.twitchtriage.results.ResultsStore;

/**
 * A result's history as the detail page lists it: each version of the response, newest first, with the result as
 * it stood while that version was current. Read from the versions intake and results keep: a resource's version
 * belongs to a response version when it was stored before the next response version (a correction stores its
 * response and the resource versions it writes at one instant; an approval stores its orders while a version is
 * current).
 */
@Component
public class ResultVersions {

    private final ResponseIntake intake;
    private final ResultsStore results;
    private final ResultViews views;

    ResultVersions(ResponseIntake intake, ResultsStore results, ResultViews views) {
        this.intake = intake;
        this.results = results;
        this.views = views;
    }

    /** @param written what is stored for the submission now, whatever wrote it */
    List<ResultViews.VersionView> of(String submissionId, List<Resource> written) {
        List<Resource> versions = new ArrayList<>();
        for (Resource resource : written) {
            if (resource instanceof Observation || resource instanceof ServiceRequest) {
                versions.addAll(results.history(
                        resource.fhirType(), resource.getIdElement().getIdPart()));
            }
        }
        List<Task> reviews = ReviewService.reviews(written);
        List<ResultViews.VersionView> listed = new ArrayList<>();
        Instant until = null;
        for (QuestionnaireResponse response : intake.history(submissionId)) {
            Instant since = lastUpdated(response);
            Map<String, Resource> standing = standing(versions, until);
            Observation observation = standing.values().stream()
                    .filter(Observation.class::isInstance)
                    .map(Observation.class::cast)
                    .findFirst()
                    .orElse(null);
            listed.add(new ResultViews.VersionView(
                    Integer.parseInt(response.getMeta().getVersionId()),
                    response.getStatus().toCode(),
                    since,
                    until == null,
                    observation == null ? null : views.level(observation),
                    observation == null
                            ? null
                            : FhirIds.reference(observation) + "/_history/"
                                    + observation.getMeta().getVersionId(),
                    observation == null ? null : observation.getStatus().toCode(),
                    standing.values().stream()
                            .filter(ServiceRequest.class::isInstance)
                            .map(r -> ResultViews.order((ServiceRequest) r))
                            .toList(),
                    reviewsBetween(reviews, since, until)));
            until = since;
        }
        return listed;
    }

    /**
     * Each resource at its newest version stored before {@code until} (all of them when null); a resource first
     * stored later is left out. {@code versions} lists each resource's versions newest first.
     */
    private static Map<String, Resource> standing(List<Resource> versions, Instant until) {
        Map<String, Resource> standing = new LinkedHashMap<>();
        for (Resource version : versions) {
            String key = FhirIds.reference(version);
            if (!standing.containsKey(key)
                    && (until == null || lastUpdated(version).isBefore(until))) {
                standing.put(key, version);
            }
        }
        return standing;
    }

    /** By when each review was stored (to the millisecond; the Task's own times are to the second). */
    private static List<ResultViews.ReviewView> reviewsBetween(List<Task> reviews, Instant since, Instant until) {
        return reviews.stream()
                .filter(task -> {
                    Instant at = lastUpdated(task);
                    return !at.isBefore(since) && (until == null || at.isBefore(until));
                })
                .map(ResultViews::review)
                .toList();
    }

    private static Instant lastUpdated(Resource resource) {
        return resource.getMeta().getLastUpdated().toInstant();
    }
}

package org.twitchtriage.review.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.twitchtriage.audit.AuditTrail;
import org.twitchtriage.audit.AuditTrail.Activity;
import org.twitchtriage.audit.AuditTrail.Outcome;
import org.twitchtriage.delivery.Deliveries;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.intake.ResponseIntake;
import org.twitchtriage.results.ResultsStore;
import org.twitchtriage.review.internal.ReviewExceptions.ResultNotFoundException;
import org.twitchtriage.triage.TriageProperties;
import org.twitchtriage.triage.TriageProperties.Intent;

/** The JSON the clinician pages read: the worklist, a result's details; and the review and approve actions. */
@RestController
@RequestMapping(path = "/clinician/api", produces = "application/json")
public class WorklistController {

    private final Worklist worklist;
    private final ResultViews views;
    private final Levels levels;
    private final ResultsStore results;
    private final ResponseIntake intake;
    private final Deliveries deliveries;
    private final ReviewService reviews;
    private final ResultVersions versions;
    private final ReviewerIdentity reviewer;
    private final TriageProperties triage;
    private final AuditTrail audit;

    WorklistController(
            Worklist worklist,
            ResultViews views,
            Levels levels,
            ResultsStore results,
            ResponseIntake intake,
            Deliveries deliveries,
            ReviewService reviews,
            ResultVersions versions,
            ReviewerIdentity reviewer,
            TriageProperties triage,
            AuditTrail audit) {
        this.audit = audit;
        this.worklist = worklist;
        this.views = views;
        this.levels = levels;
        this.results = results;
        this.intake = intake;
        this.deliveries = deliveries;
        this.reviews = reviews;
        this.versions = versions;
        this.reviewer = reviewer;
        this.triage = triage;
    }

    record LevelsPage(List<Levels.Level> levels, String intent) {}

    record ResultsPage(List<ResultViews.Row> rows, long total, int page, int size) {}

    record ReviewDone(String task, String by, Instant at, boolean created) {}

    record ApprovalDone(List<ResultViews.OrderView> orders, boolean created) {}

    /** The triage levels, most urgent first, and whether orders need approval here. */
    @GetMapping("/levels")
    LevelsPage levels() {
        return new LevelsPage(levels.all(), triage.intent().code());
    }

    @GetMapping("/results")
    ResultsPage results(HttpServletRequest request) {
        WorklistFilter filter = WorklistFilter.of(request.getParameterMap(), levels.all());
        Worklist.Page page = worklist.find(filter);
        Map<String, List<Resource>> resources = results.forSubmissions(
                page.entries().stream().map(Worklist.Entry::submissionId).toList());
        List<ResultViews.Row> rows = page.entries().stream()
                .map(entry -> views.row(entry, resources.get(entry.submissionId())))
                .toList();
        audit.record(
                reviewer.caller(),
                Activity.interaction("search-type"),
                Outcome.SUCCESS,
                filter.patient(),
                page.entries().stream()
                        .map(entry -> FhirIds.reference("QuestionnaireResponse", entry.submissionId()))
                        .toList());
        return new ResultsPage(rows, page.total(), filter.page(), filter.size());
    }

    @GetMapping("/results/{id}")
    ResultViews.Detail result(@PathVariable String id) {
        Worklist.Entry entry = entry(id);
        QuestionnaireResponse response = intake.read(id).orElseThrow(() -> new ResultNotFoundException(id));
        audit.record(
                reviewer.caller(),
                Activity.interaction("read"),
                Outcome.SUCCESS,
                patientOf(response),
                List.of(FhirIds.reference("QuestionnaireResponse", id)));
        List<Resource> resources = results.forSubmissions(List.of(id)).get(id);
        List<ServiceRequest> awaiting =
                triage.intent() == Intent.PROPOSAL ? ReviewService.awaitingApproval(resources) : List.of();
        return views.detail(entry, response, resources, deliveries.allOf(id), awaiting, versions.of(id, resources));
    }

    /** 201 with the new review Task; 200 with the earlier one when the result was already reviewed. */
    @PostMapping("/results/{id}/review")
    ResponseEntity<ReviewDone> review(@PathVariable String id) {
        ReviewService.Reviewed reviewed = reviews.markReviewed(id, reviewer.caller(), reviewer.name());
        Task task = reviewed.task();
        ReviewDone body = new ReviewDone(
                FhirIds.reference(task),
                task.getOwner().getDisplay(),
                task.getExecutionPeriod().getEnd().toInstant(),
                reviewed.created());
        return ResponseEntity.status(reviewed.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(body);
    }

    /** 201 with the orders made from the proposals; 200 with the earlier ones when already approved. */
    @PostMapping("/results/{id}/approve")
    ResponseEntity<ApprovalDone> approve(@PathVariable String id) {
        ReviewService.Approved approved = reviews.approve(id, reviewer.caller(), reviewer.name());
        List<ResultViews.OrderView> orders =
                approved.orders().stream().map(ResultViews::order).toList();
        return ResponseEntity.status(approved.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new ApprovalDone(orders, approved.created()));
    }

    private static String patientOf(QuestionnaireResponse response) {
        return response.getSubject().getReferenceElement().getIdPart();
    }

    private Worklist.Entry entry(String id) {
        return worklist.entry(SubmissionIds.checked(id)).orElseThrow(() -> new ResultNotFoundException(id));
    }
}

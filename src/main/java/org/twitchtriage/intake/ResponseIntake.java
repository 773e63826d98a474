package org.twitchtriage.intake;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts QuestionnaireResponses: validates them, stores each accepted one exactly once, and
 * answers reads and searches. A response whose identifier was already accepted, or that matches
 * its {@code If-None-Exist} search, returns the stored resource and stores nothing.
 */
@Service
public class ResponseIntake {

    private static final Logger log = LoggerFactory.getLogger(ResponseIntake.class);

    private final SubmissionValidator validator;
    private final SubmittedResponseRepository repository;
    private final ResponseSearch search;
    private final ResponseSearchParameters parameters;
    private final TransactionTemplate transaction;
    private final FhirContext fhirContext;
    private final Clock clock;

    ResponseIntake(SubmissionValidator validator, SubmittedResponseRepository repository, ResponseSearch search,
            ResponseSearchParameters parameters, TransactionTemplate transaction, FhirContext fhirContext,
            Clock clock) {
        this.validator = validator;
        this.repository = repository;
        this.search = search;
        this.parameters = parameters;
        this.transaction = transaction;
        this.fhirContext = fhirContext;
        this.clock = clock;
    }

    /** The outcome of a submission: the stored resource, and whether this call stored it. */
    public record Accepted(QuestionnaireResponse response, boolean created) {
    }

    public Accepted submit(QuestionnaireResponse response, String ifNoneExist) {
        SearchKeys keys = validator.validate(response);
        if (ifNoneExist != null && !ifNoneExist.isBlank()) {
            Optional<QuestionnaireResponse> match = singleMatch(parameters.fromConditionalUrl(ifNoneExist));
            if (match.isPresent()) {
                return new Accepted(match.get(), false);
            }
        }
        if (keys.identifierValue() != null) {
            Optional<QuestionnaireResponse> existing = byIdentifier(keys);
            if (existing.isPresent()) {
                return new Accepted(existing.get(), false);
            }
        }
        try {
            QuestionnaireResponse stored = store(response, keys);
            log.debug("Accepted QuestionnaireResponse/{} for {}", stored.getIdPart(), keys.questionnaireUrl() + "|"
                    + keys.questionnaireVersion());
            return new Accepted(stored, true);
        } catch (DataIntegrityViolationException e) {
            // Another request with the same identifier won the race: that one is the accepted response.
            return byIdentifier(keys).map(existing -> new Accepted(existing, false)).orElseThrow(() -> e);
        }
    }

    public Optional<QuestionnaireResponse> read(String id) {
        return repository.findById(id).map(this::parse);
    }

    public int count(ResponseCriteria criteria) {
        return transaction.execute(status -> search.count(criteria));
    }

    public List<QuestionnaireResponse> find(ResponseCriteria criteria, int offset, int limit) {
        return transaction.execute(status -> search.find(criteria, offset, limit)).stream().map(this::parse).toList();
    }

    private Optional<QuestionnaireResponse> singleMatch(ResponseCriteria criteria) {
        List<QuestionnaireResponse> matches = find(criteria, 0, 2);
        if (matches.size() > 1) {
            throw new PreconditionFailedException("If-None-Exist matches more than one QuestionnaireResponse");
        }
        return matches.stream().findFirst();
    }

    private Optional<QuestionnaireResponse> byIdentifier(SearchKeys keys) {
        return repository.findByIdentifier(keys.identifierSystem(), keys.identifierValue())
                .map(this::parse);
    }

    private QuestionnaireResponse store(QuestionnaireResponse response, SearchKeys keys) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = UUID.randomUUID().toString();
        QuestionnaireResponse stored = response.copy();
        stored.setId(id);
        stored.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
        SubmittedResponse row = new SubmittedResponse(id, keys, now, parser().encodeResourceToString(stored));
        transaction.executeWithoutResult(status -> repository.saveAndFlush(row));
        stored.setId(stored.getIdElement().withResourceType("QuestionnaireResponse").withVersion("1"));
        return stored;
    }

    private QuestionnaireResponse parse(SubmittedResponse row) {
        QuestionnaireResponse response = parser().parseResource(QuestionnaireResponse.class, row.resourceJson());
        response.setId(response.getIdElement().withResourceType("QuestionnaireResponse").withVersion("1"));
        return response;
    }

    private IParser parser() {
        return fhirContext.newJsonParser();
    }
}

package org.twitchtriage.intake;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.twitchtriage.intake.internal.ResponseCriteria;
import org.twitchtriage.intake.internal.ResponseSearch;
import org.twitchtriage.intake.internal.ResponseSearchParameters;
import org.twitchtriage.intake.internal.SearchKeys;
import org.twitchtriage.intake.internal.SubmittedResponse;
import org.twitchtriage.intake.internal.SubmittedResponseRepository;
import org.twitchtriage.results.ResultsStore;
import org.twitchtriage.triage.TriageResources;

/**
 * Accepts QuestionnaireResponses: validates them, triages them by the rules of their Questionnaire,
 * stores each accepted one with its triage results exactly once, and answers reads and searches. A response that
 * matches its {@code If-None-Exist} search, or repeats one already accepted under its identifier, returns the
 * stored resource and stores nothing; one that reuses an accepted identifier with other content is refused.
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
    private final ResponseTriage triage;
    private final ResultsStore results;
    private final ApplicationEventPublisher events;

    ResponseIntake(
            SubmissionValidator validator,
            SubmittedResponseRepository repository,
            ResponseSearch search,
            ResponseSearchParameters parameters,
            TransactionTemplate transaction,
            FhirContext fhirContext,
            Clock clock,
            ResponseTriage triage,
            ResultsStore results,
            ApplicationEventPublisher events) {
        this.validator = validator;
        this.repository = repository;
        this.search = search;
        this.parameters = parameters;
        this.transaction = transaction;
        this.fhirContext = fhirContext;
        this.clock = clock;
        this.triage = triage;
        this.results = results;
        this.events = events;
    }

    /** The outcome of a submission: the stored response, whether this call stored it, and what triage wrote. */
    public record Accepted(QuestionnaireResponse response, boolean created, List<Resource> results) {}

    public Accepted submit(QuestionnaireResponse response, String ifNoneExist) {
        SearchKeys keys = validator.validate(response);
        if (ifNoneExist != null && !ifNoneExist.isBlank()) {
            Optional<QuestionnaireResponse> match = singleMatch(parameters.fromConditionalUrl(ifNoneExist));
            if (match.isPresent()) {
                return existing(match.get());
            }
        }
        if (keys.identifierValue() != null) {
            Optional<QuestionnaireResponse> existing = byIdentifier(keys);
            if (existing.isPresent()) {
                return resent(existing.get(), response);
            }
        }
        try {
            Accepted accepted = store(response, keys);
            log.debug(
                    "Accepted QuestionnaireResponse/{} for {}",
                    accepted.response().getIdPart(),
                    keys.questionnaireUrl() + "|" + keys.questionnaireVersion());
            return accepted;
        } catch (DataIntegrityViolationException e) {
            // Another request with the same identifier won the race: that one is the accepted response.
            return byIdentifier(keys).map(stored -> resent(stored, response)).orElseThrow(() -> e);
        }
    }

    /** Validates and triages without storing or sending anything: what {@link #submit} would write. */
    public Accepted preview(QuestionnaireResponse response) {
        return triage.preview(response);
    }

    /**
     * A response sent again under an accepted identifier: a retry when it says what the accepted one says (its
     * meta, id, authored time and narrative aside), otherwise a conflict.
     */
    private Accepted resent(QuestionnaireResponse stored, QuestionnaireResponse sent) {
        if (!sameSubmission(stored, sent)) {
            throw new IdentifierConflictException(stored);
        }
        return existing(stored);
    }

    static boolean sameSubmission(QuestionnaireResponse stored, QuestionnaireResponse sent) {
        return stored.getStatus() == sent.getStatus()
                && Objects.equals(stored.getQuestionnaire(), sent.getQuestionnaire())
                && Objects.equals(
                        stored.getSubject().getReference(), sent.getSubject().getReference())
                && Base.compareDeep(stored.getItem(), sent.getItem(), true);
    }

    private Accepted existing(QuestionnaireResponse response) {
        return new Accepted(response, false, results.forSubmission(response.getIdPart()));
    }

    public Optional<QuestionnaireResponse> read(String id) {
        return repository.findById(id).map(SubmittedResponse::resourceJson).map(this::parse);
    }

    public int count(ResponseCriteria criteria) {
        return transaction.execute(status -> search.count(criteria));
    }

    public List<QuestionnaireResponse> find(ResponseCriteria criteria, int offset, int limit) {
        return transaction.execute(status -> search.find(criteria, offset, limit)).stream()
                .map(this::parse)
                .toList();
    }

    private Optional<QuestionnaireResponse> singleMatch(ResponseCriteria criteria) {
        List<QuestionnaireResponse> matches = find(criteria, 0, 2);
        if (matches.size() > 1) {
            throw new AmbiguousConditionException();
        }
        return matches.stream().findFirst();
    }

    private Optional<QuestionnaireResponse> byIdentifier(SearchKeys keys) {
        return repository
                .findByIdentifier(keys.identifierSystem(), keys.identifierValue())
                .map(SubmittedResponse::resourceJson)
                .map(this::parse);
    }

    /** Stores the response and everything its triage writes, in one transaction. */
    private Accepted store(QuestionnaireResponse response, SearchKeys keys) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = UUID.randomUUID().toString();
        QuestionnaireResponse stored = response.copy();
        stored.setId(id);
        stored.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
        Optional<TriageResources> triaged = triage.write(stored, keys.questionnaireUrl(), id, now);
        SubmittedResponse row = new SubmittedResponse(id, keys, now, parser().encodeResourceToString(stored));
        triaged.ifPresent(resources -> results.ensureShared(resources, now));
        transaction.executeWithoutResult(status -> {
            repository.saveAndFlush(row);
            triaged.ifPresent(resources -> results.store(id, resources, now));
            events.publishEvent(new ResponseAccepted(id, now));
        });
        stored.setId(
                stored.getIdElement().withResourceType("QuestionnaireResponse").withVersion("1"));
        return new Accepted(stored, true, triaged.map(TriageResources::all).orElse(List.of()));
    }

    private QuestionnaireResponse parse(String json) {
        QuestionnaireResponse response = parser().parseResource(QuestionnaireResponse.class, json);
        response.setId(response.getIdElement()
                .withResourceType("QuestionnaireResponse")
                .withVersion("1"));
        return response;
    }

    private IParser parser() {
        return fhirContext.newJsonParser();
    }
}

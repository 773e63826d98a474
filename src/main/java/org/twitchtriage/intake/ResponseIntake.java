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
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.twitchtriage.fhir.ResourceJson;
import org.twitchtriage.intake.internal.ResponseCriteria;
import org.twitchtriage.intake.internal.ResponseRows;
import org.twitchtriage.intake.internal.ResponseSearch;
import org.twitchtriage.intake.internal.ResponseSearchParameters;
import org.twitchtriage.intake.internal.SearchKeys;
import org.twitchtriage.intake.internal.SubmittedResponse;
import org.twitchtriage.intake.internal.SubmittedResponseRepository;
import org.twitchtriage.results.ResultsStore;
import org.twitchtriage.storage.StoredJson;
import org.twitchtriage.storage.TimeOrderedIds;
import org.twitchtriage.triage.TriageResources;
import org.twitchtriage.triage.TriageRevisions;

/**
 * Accepts QuestionnaireResponses: validates them, triages them by the rules of their Questionnaire,
 * stores each accepted one with its triage results exactly once, and answers reads and searches. A response that
 * matches its {@code If-None-Exist} search, or repeats one already accepted under its identifier, returns the
 * stored resource and stores nothing; one that reuses an accepted identifier with other content is refused.
 * Corrections and retractions come as updates ({@link #update}): a new version of the response, triaged again,
 * and its results revised.
 */
@Service
public class ResponseIntake {

    private static final Logger log = LoggerFactory.getLogger(ResponseIntake.class);

    private final SubmissionValidator validator;
    private final SubmittedResponseRepository repository;
    private final ResponseRows rows;
    private final ResponseSearch search;
    private final ResponseSearchParameters parameters;
    private final TransactionTemplate transaction;
    private final FhirContext fhirContext;
    private final ResourceJson json;
    private final Clock clock;
    private final ResponseTriage triage;
    private final ResultsStore results;
    private final ApplicationEventPublisher events;
    private final TriageRevisions revisions;

    ResponseIntake(
            SubmissionValidator validator,
            SubmittedResponseRepository repository,
            ResponseRows rows,
            ResponseSearch search,
            ResponseSearchParameters parameters,
            TransactionTemplate transaction,
            FhirContext fhirContext,
            Clock clock,
            ResponseTriage triage,
            ResultsStore results,
            ApplicationEventPublisher events,
            TriageRevisions revisions) {
        this.validator = validator;
        this.repository = repository;
        this.rows = rows;
        this.search = search;
        this.parameters = parameters;
        this.transaction = transaction;
        this.fhirContext = fhirContext;
        this.json = new ResourceJson(fhirContext);
        this.clock = clock;
        this.triage = triage;
        this.results = results;
        this.events = events;
        this.revisions = revisions;
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
        // A response sent again under an accepted identifier is found by the unique constraint on the identifier,
        // not by a query before every insert: nearly every submission is new.
        try {
            Accepted accepted = store(response, keys);
            log.debug(
                    "Accepted QuestionnaireResponse/{} for {}",
                    accepted.response().getIdPart(),
                    keys.questionnaireUrl() + "|" + keys.questionnaireVersion());
            return accepted;
        } catch (DataIntegrityViolationException e) {
            // A response with the same identifier was accepted before, or by a request that won the race: that
            // one is the accepted response.
            if (keys.identifierValue() == null) {
                throw e;
            }
            return byIdentifier(keys).map(stored -> resent(stored, response)).orElseThrow(() -> e);
        }
    }

    /**
     * Updates an accepted response (contract section 2): status {@code amended} with other answers stores a new
     * version, triages it again and revises the results; {@code entered-in-error} retracts the response and
     * marks what its triage wrote; the same answers again change nothing. A conditional update that matches
     * nothing creates the response.
     *
     * @param id the response's id; null for a conditional update
     * @param condition the search of a conditional update ({@code identifier=system|value}); null with an id
     * @param ifMatch the version the update was made against ({@code If-Match}), if it names one
     * @throws ResponseNotFoundException when no response has the id
     * @throws StaleVersionException when {@code ifMatch} is not the current version, or another update wins
     * @throws UpdateRefusedException for a change a correction may not make
     */
    public Accepted update(String id, String condition, QuestionnaireResponse sent, String ifMatch) {
        SubmittedResponse row;
        if (id != null) {
            row = repository.findById(id).orElseThrow(() -> new ResponseNotFoundException(id));
        } else {
            Optional<QuestionnaireResponse> match = singleMatch(parameters.fromConditionalUrl(condition));
            if (match.isEmpty()) {
                return submit(sent, null);
            }
            row = repository.findById(match.get().getIdPart()).orElseThrow();
        }
        QuestionnaireResponse stored = parse(row.resourceJson());
        int current = row.versionId();
        checkUnchanged(stored, sent);
        if (ifMatch != null && !ifMatch.equals(String.valueOf(current))) {
            throw new StaleVersionException(ifMatch, current);
        }
        boolean retract = sent.getStatus() == QuestionnaireResponseStatus.ENTEREDINERROR;
        if (stored.getStatus() == QuestionnaireResponseStatus.ENTEREDINERROR) {
            if (retract) {
                return existing(stored);
            }
            throw new UpdateRefusedException(
                    "status",
                    "This QuestionnaireResponse was retracted (entered-in-error) and cannot change any more; submit"
                            + " the answers as a new response",
                    stored);
        }
        SearchKeys keys = retract ? validator.validateRetraction(sent) : validator.validate(sent);
        if (!retract && sameAnswers(stored, sent)) {
            return existing(stored);
        }
        if (!retract && sent.getStatus() != QuestionnaireResponseStatus.AMENDED) {
            throw new UpdateRefusedException(
                    "status",
                    "The answers differ from version " + current + " of this QuestionnaireResponse: a correction"
                            + " must have status 'amended' (or 'entered-in-error' to retract it), not '"
                            + sent.getStatus().toCode() + "'",
                    stored);
        }
        return revise(row, stored, sent, keys, retract);
    }

    /** What a correction may never change: the subject, the Questionnaire (its url) and the identifier. */
    private static void checkUnchanged(QuestionnaireResponse stored, QuestionnaireResponse sent) {
        if (!Objects.equals(
                stored.getSubject().getReference(), sent.getSubject().getReference())) {
            throw new UpdateRefusedException(
                    "subject",
                    "A correction cannot change the subject of a QuestionnaireResponse; submit a new response for"
                            + " another patient",
                    stored);
        }
        if (!Objects.equals(canonicalUrl(stored.getQuestionnaire()), canonicalUrl(sent.getQuestionnaire()))) {
            throw new UpdateRefusedException(
                    "questionnaire",
                    "A correction cannot change the Questionnaire a response answers (another version of the same"
                            + " Questionnaire is fine); submit a new response instead",
                    stored);
        }
        if (!sent.hasIdentifier()) {
            sent.setIdentifier(stored.getIdentifier().copy());
        } else if (!stored.getIdentifier().equalsDeep(sent.getIdentifier())) {
            throw new UpdateRefusedException(
                    "identifier", "A correction cannot change the identifier of a QuestionnaireResponse", stored);
        }
    }

    private static String canonicalUrl(String canonical) {
        return canonical == null ? null : canonical.split("\\|", 2)[0];
    }

    private static boolean sameAnswers(QuestionnaireResponse stored, QuestionnaireResponse sent) {
        return Objects.equals(stored.getQuestionnaire(), sent.getQuestionnaire())
                && Base.compareDeep(stored.getItem(), sent.getItem(), true);
    }

    /** Stores the next version and revises what triage wrote, in one transaction. */
    private Accepted revise(
            SubmittedResponse row,
            QuestionnaireResponse stored,
            QuestionnaireResponse sent,
            SearchKeys keys,
            boolean retract) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = row.getId();
        int current = row.versionId();
        int next = current + 1;
        QuestionnaireResponse revised = sent.copy();
        revised.setId(id);
        revised.getMeta().setVersionId(String.valueOf(next)).setLastUpdated(Date.from(now));
        List<Resource> previous = results.revisable(id);
        List<Resource> written;
        if (retract) {
            written = revisions.retract(revised, previous, now);
        } else {
            Optional<TriageResources> fresh = triage.write(revised, keys.questionnaireUrl(), id, now);
            fresh.ifPresent(resources -> results.ensureShared(resources, now));
            written = fresh.map(resources -> revisions.amend(revised, previous, resources, now))
                    .orElse(List.of());
        }
        String encoded = json.encode(revised);
        transaction.executeWithoutResult(status -> {
            int replaced = repository.replace(
                    id,
                    current,
                    keys.status(),
                    keys.questionnaireVersion(),
                    keys.authoredLow(),
                    keys.authoredHigh(),
                    now,
                    encoded);
            if (replaced == 0) {
                throw new StaleVersionException(current);
            }
            repository.keepVersion(id, current, row.lastUpdated(), StoredJson.bytes(row.resourceJson()));
            results.revise(id, next, written, retract, now);
            events.publishEvent(new ResponseRevised(id, next, retract, now));
        });
        log.debug("{} QuestionnaireResponse/{} as version {}", retract ? "Retracted" : "Amended", id, next);
        revised.setId(
                revised.getIdElement().withResourceType("QuestionnaireResponse").withVersion(String.valueOf(next)));
        ResourceJson.answerWith(revised, encoded);
        return new Accepted(revised, false, results.forSubmission(id));
    }

    /** One version of an accepted response: the current one, or one it replaced. */
    public Optional<QuestionnaireResponse> read(String id, int version) {
        return repository
                .findById(id)
                .flatMap(row -> row.versionId() == version
                        ? Optional.of(parse(row.resourceJson()))
                        : repository.findVersion(id, version).stream()
                                .findFirst()
                                .map(StoredJson::text)
                                .map(this::parse));
    }

    /** Every version of an accepted response, newest first; empty for an unknown id. */
    public List<QuestionnaireResponse> history(String id) {
        return repository
                .findById(id)
                .map(row -> {
                    List<QuestionnaireResponse> versions = new java.util.ArrayList<>();
                    versions.add(parse(row.resourceJson()));
                    repository.findVersions(id).forEach(json -> versions.add(parse(StoredJson.text(json))));
                    return versions;
                })
                .orElse(List.of());
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
        String id = TimeOrderedIds.next();
        QuestionnaireResponse stored = response.copy();
        stored.setId(id);
        stored.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
        Optional<TriageResources> triaged = triage.write(stored, keys.questionnaireUrl(), id, now);
        String encoded = json.encode(stored);
        triaged.ifPresent(resources -> results.ensureShared(resources, now));
        transaction.executeWithoutResult(status -> {
            rows.insert(id, keys, now, encoded);
            triaged.ifPresent(resources -> results.store(id, resources, now));
            events.publishEvent(new ResponseAccepted(id, now));
            events.publishEvent(new ResponseStored(
                    id, stored, triaged.map(TriageResources::all).orElse(List.of())));
        });
        stored.setId(
                stored.getIdElement().withResourceType("QuestionnaireResponse").withVersion("1"));
        ResourceJson.answerWith(stored, encoded);
        return new Accepted(stored, true, triaged.map(TriageResources::all).orElse(List.of()));
    }

    private QuestionnaireResponse parse(String json) {
        QuestionnaireResponse response = parser().parseResource(QuestionnaireResponse.class, json);
        String version = response.getMeta().hasVersionId() ? response.getMeta().getVersionId() : "1";
        response.setId(response.getIdElement()
                .withResourceType("QuestionnaireResponse")
                .withVersion(version));
        return response;
    }

    private IParser parser() {
        return fhirContext.newJsonParser();
    }
}

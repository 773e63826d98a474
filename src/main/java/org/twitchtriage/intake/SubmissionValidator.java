package org.twitchtriage.intake;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Reference;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.intake.internal.SearchKeys;
import org.twitchtriage.questionnaire.AnswerProblem;
import org.twitchtriage.questionnaire.ProblemCode;
import org.twitchtriage.questionnaire.ProfileValidator;
import org.twitchtriage.questionnaire.QuestionnaireCatalog;
import org.twitchtriage.questionnaire.QuestionnaireCatalog.PublishedQuestionnaire;

/**
 * Decides whether a QuestionnaireResponse may be accepted (clinical contract, section 2): the envelope
 * (questionnaire, status, subject, authored, identifier) and then the answers, by the Questionnaire's
 * compiled plan and, when configured, HAPI's full validator. Every problem found is reported at once.
 */
public final class SubmissionValidator {

    private static final String QR = "QuestionnaireResponse";

    private final QuestionnaireCatalog catalog;
    private final boolean fullValidation;
    private final Supplier<ProfileValidator> profileValidator;

    /**
     * @param fullValidation also run HAPI's validator, obtained from {@code profileValidator} on first use
     */
    public SubmissionValidator(
            QuestionnaireCatalog catalog, boolean fullValidation, Supplier<ProfileValidator> profileValidator) {
        this.catalog = catalog;
        this.fullValidation = fullValidation;
        this.profileValidator = profileValidator;
    }

    /** The search keys of an acceptable response; throws {@link SubmissionRejectedException} otherwise. */
    SearchKeys validate(QuestionnaireResponse response) {
        List<AnswerProblem> problems = new ArrayList<>();
        Optional<Checked> cited = citedVersion(response);
        Optional<PublishedQuestionnaire> questionnaire = cited.map(Checked::questionnaire);
        if (questionnaire.isEmpty()) {
            problems.add(envelope(
                    ProblemCode.UNKNOWN_QUESTIONNAIRE,
                    "questionnaire",
                    response.hasQuestionnaire()
                            ? "questionnaire does not name a published Questionnaire (url or url|version)"
                            : "questionnaire is missing"));
        }
        QuestionnaireResponseStatus status = response.getStatus();
        if (status != QuestionnaireResponseStatus.COMPLETED && status != QuestionnaireResponseStatus.AMENDED) {
            problems.add(envelope(ProblemCode.INVALID_STATUS, "status", "status must be completed or amended"));
        }
        String patientId = patientId(response.getSubject());
        if (patientId == null) {
            problems.add(envelope(
                    ProblemCode.INVALID_SUBJECT, "subject", "subject must reference a Patient (Patient/{id})"));
        }
        if (!response.hasAuthoredElement() || response.getAuthoredElement().getValue() == null) {
            problems.add(envelope(ProblemCode.MISSING_AUTHORED, "authored", "authored is missing"));
        }
        checkIdentifier(response, problems);
        cited.ifPresent(c -> problems.addAll(c.problems()));
        // Stored as citing the version it was checked against, so it keeps its meaning when a newer one is published.
        questionnaire.ifPresent(q -> response.setQuestionnaire(q.canonical()));
        if (fullValidation) {
            profileValidator.get().errors(response).forEach(m -> problems.add(fromValidator(m)));
        }
        if (!problems.isEmpty()) {
            throw new SubmissionRejectedException(problems);
        }
        return keys(response, questionnaire.get(), patientId);
    }

    /**
     * The search keys of a retraction (status entered-in-error): its answers must be as valid as those of a
     * correction, so that what is stored stays readable; nothing is triaged from them.
     */
    SearchKeys validateRetraction(QuestionnaireResponse response) {
        QuestionnaireResponse checked = response.copy();
        checked.setStatus(QuestionnaireResponseStatus.AMENDED);
        SearchKeys keys = validate(checked);
        response.setQuestionnaire(checked.getQuestionnaire());
        return new SearchKeys(
                keys.identifierSystem(),
                keys.identifierValue(),
                keys.questionnaireUrl(),
                keys.questionnaireVersion(),
                keys.subjectId(),
                QuestionnaireResponseStatus.ENTEREDINERROR.toCode(),
                keys.authoredLow(),
                keys.authoredHigh());
    }

    /**
     * The Questionnaire version the response stands as citing (contract section 2): the one {@code url|version}
     * names; for a bare {@code url}, the newest active version its answers are valid against, or the newest
     * when they are valid against none (its problems are the ones reported).
     */
    private Optional<Checked> citedVersion(QuestionnaireResponse response) {
        Checked newest = null;
        for (PublishedQuestionnaire candidate : catalog.candidates(response.getQuestionnaire())) {
            Checked checked = new Checked(candidate, candidate.plan().check(response));
            if (checked.problems().isEmpty()) {
                return Optional.of(checked);
            }
            newest = newest == null ? checked : newest;
        }
        return Optional.ofNullable(newest);
    }

    private record Checked(PublishedQuestionnaire questionnaire, List<AnswerProblem> problems) {}

    private static void checkIdentifier(QuestionnaireResponse response, List<AnswerProblem> problems) {
        if (!response.hasIdentifier()) {
            return;
        }
        Identifier identifier = response.getIdentifier();
        if (!identifier.hasValue()) {
            problems.add(envelope(ProblemCode.INVALID_IDENTIFIER, "identifier", "identifier needs a value"));
        } else if (identifier.getValue().length() > 255 || length(identifier.getSystem()) > 512) {
            problems.add(envelope(
                    ProblemCode.INVALID_IDENTIFIER,
                    "identifier",
                    "identifier is too long (system at most 512, value at most 255 characters)"));
        }
    }

    private static SearchKeys keys(
            QuestionnaireResponse response, PublishedQuestionnaire questionnaire, String patientId) {
        Identifier identifier = response.getIdentifier();
        boolean keyed = response.hasIdentifier();
        DateTimeType authored = response.getAuthoredElement();
        Instant low = authored.getValue().toInstant();
        return new SearchKeys(
                keyed ? (identifier.hasSystem() ? identifier.getSystem() : "") : null,
                keyed ? identifier.getValue() : null,
                questionnaire.questionnaire().getUrl(),
                questionnaire.questionnaire().getVersion(),
                patientId,
                response.getStatus().toCode(),
                low,
                lastInstant(low, authored));
    }

    /** The last instant a dateTime of the given precision covers: 2026-11 covers the whole of November. */
    static Instant lastInstant(Instant low, DateTimeType value) {
        ZoneId zone = value.getTimeZone() == null
                ? ZoneOffset.UTC
                : value.getTimeZone().toZoneId();
        ZonedDateTime start = low.atZone(zone);
        TemporalPrecisionEnum precision = value.getPrecision();
        ZonedDateTime next = switch (precision) {
            case YEAR -> start.plusYears(1);
            case MONTH -> start.plusMonths(1);
            case DAY -> start.plusDays(1);
            case MINUTE -> start.plusMinutes(1);
            case SECOND -> start.plusSeconds(1);
            case MILLI -> start.plusNanos(1_000_000);
        };
        return next.toInstant().minusMillis(1);
    }

    static String patientId(Reference subject) {
        if (subject == null || !subject.hasReference()) {
            return null;
        }
        if (subject.hasType() && !"Patient".equals(subject.getType())) {
            return null;
        }
        IdType id = new IdType(subject.getReference());
        String idPart = id.getIdPart();
        if (!"Patient".equals(id.getResourceType()) || idPart == null || !FhirIds.isId(idPart)) {
            return null;
        }
        return idPart;
    }

    private static AnswerProblem envelope(ProblemCode code, String element, String message) {
        return new AnswerProblem(code, null, QR + "." + element, message);
    }

    private static AnswerProblem fromValidator(SingleValidationMessage message) {
        String location = message.getLocationString() == null ? QR : message.getLocationString();
        return new AnswerProblem(ProblemCode.HAPI_VALIDATION, null, location, message.getMessage());
    }

    private static int length(String value) {
        return value == null ? 0 : value.length();
    }
}

package org.twitchtriage.intake.internal;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.springframework.stereotype.Component;
import org.twitchtriage.fhir.Paging;
import org.twitchtriage.fhir.VersionedReads;
import org.twitchtriage.intake.ResponseIntake;

/**
 * The FHIR face of intake: create, update, $submit, $triage, read, vread, history and search
 * QuestionnaireResponses. Refusals are
 * thrown as intake's own exceptions and answered by {@link IntakeErrors}.
 */
@Component
public class QuestionnaireResponseProvider implements IResourceProvider {

    private final ResponseIntake intake;
    private final ResponseSearchParameters parameters;
    private final Paging paging;

    QuestionnaireResponseProvider(ResponseIntake intake, ResponseSearchParameters parameters, Paging paging) {
        this.intake = intake;
        this.parameters = parameters;
        this.paging = paging;
    }

    @Override
    public Class<QuestionnaireResponse> getResourceType() {
        return QuestionnaireResponse.class;
    }

    /** 201 with the stored resource; 200 with the earlier one when it was already accepted. */
    @Create
    public MethodOutcome create(
            @ResourceParam QuestionnaireResponse response, @ConditionalUrlParam String ifNoneExist) {
        if (response == null) {
            throw new InvalidRequestException("The request has no QuestionnaireResponse in its body");
        }
        ResponseIntake.Accepted accepted = intake.submit(response, ifNoneExist);
        MethodOutcome outcome = new MethodOutcome(accepted.response().getIdElement(), accepted.created());
        outcome.setResource(accepted.response());
        return outcome;
    }

    /**
     * The portal round trip: accepts a response exactly like create (validation, idempotency,
     * If-None-Exist) and returns the stored response with everything its triage wrote.
     */
    @Operation(name = "$submit", idempotent = false)
    public Bundle submit(
            @OperationParam(name = "resource", min = 1, max = 1) QuestionnaireResponse response,
            RequestDetails request) {
        QuestionnaireResponse body = requireBody(response);
        return SubmissionBundles.of(
                intake.submit(body, request.getHeader("If-None-Exist")), request.getFhirServerBase());
    }

    /** A dry run: the Bundle $submit would return, with nothing stored or sent. */
    @Operation(name = "$triage", idempotent = false)
    public Bundle triage(
            @OperationParam(name = "resource", min = 1, max = 1) QuestionnaireResponse response,
            RequestDetails request) {
        QuestionnaireResponse body = requireBody(response);
        return SubmissionBundles.of(intake.preview(body), request.getFhirServerBase());
    }

    private static QuestionnaireResponse requireBody(QuestionnaireResponse response) {
        if (response == null) {
            throw new InvalidRequestException("Send a QuestionnaireResponse as the body, or as the parameter"
                    + " 'resource' of a Parameters resource");
        }
        return response;
    }

    /**
     * A correction ({@code amended}) or a retraction ({@code entered-in-error}), by id or by a conditional
     * update on the identifier; 200 with the stored version, 201 when a conditional update created it.
     */
    @Update
    public MethodOutcome update(
            @IdParam IdType id,
            @ResourceParam QuestionnaireResponse response,
            @ConditionalUrlParam String condition,
            RequestDetails request) {
        if (response == null) {
            throw new InvalidRequestException("The request has no QuestionnaireResponse in its body");
        }
        String idPart = id != null && id.hasIdPart() ? id.getIdPart() : null;
        if (idPart == null && (condition == null || condition.isBlank())) {
            throw new InvalidRequestException("An update needs the response's id in the URL, or a condition such as"
                    + " QuestionnaireResponse?identifier=system|value");
        }
        ResponseIntake.Accepted accepted =
                intake.update(idPart, idPart == null ? condition : null, response, ifMatch(request));
        MethodOutcome outcome = new MethodOutcome(accepted.response().getIdElement(), accepted.created());
        outcome.setResource(accepted.response());
        return outcome;
    }

    /** The version an {@code If-Match} header names ({@code W/"2"}, {@code "2"} or {@code 2}); null without one. */
    static String ifMatch(RequestDetails request) {
        String header = request.getHeader("If-Match");
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        return value.replace("\"", "");
    }

    @Read(version = true)
    public QuestionnaireResponse read(@IdParam IdType id) {
        return VersionedReads.read(id, intake::read, intake::read);
    }

    @History
    public List<QuestionnaireResponse> history(@IdParam IdType id) {
        return VersionedReads.history(id, intake::history);
    }

    @Search
    public IBundleProvider search(
            @OptionalParam(name = QuestionnaireResponse.SP_SUBJECT) ReferenceParam subject,
            @OptionalParam(name = QuestionnaireResponse.SP_PATIENT) ReferenceParam patient,
            @OptionalParam(name = QuestionnaireResponse.SP_IDENTIFIER) TokenParam identifier,
            @OptionalParam(name = QuestionnaireResponse.SP_QUESTIONNAIRE) ReferenceParam questionnaire,
            @OptionalParam(name = QuestionnaireResponse.SP_AUTHORED) DateRangeParam authored,
            @OptionalParam(name = QuestionnaireResponse.SP_STATUS) TokenParam status,
            @Offset Integer offset,
            @Count Integer count) {
        ResponseCriteria criteria = parameters.criteria(subject, patient, identifier, questionnaire, authored, status);
        Paging.Page page = paging.request(offset, count);
        return page.of(intake.count(criteria), p -> intake.find(criteria, p.offset(), p.size()));
    }
}

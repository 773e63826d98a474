package org.twitchtriage.cdshooks.internal;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServicesJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.twitchtriage.audit.AuditTrail;
import org.twitchtriage.audit.AuditTrail.Action;
import org.twitchtriage.audit.AuditTrail.Activity;
import org.twitchtriage.audit.AuditTrail.Outcome;
import org.twitchtriage.cdshooks.CdsHooksProperties;
import org.twitchtriage.cdshooks.internal.CdsHooksExceptions.BadHookRequestException;
import org.twitchtriage.cdshooks.internal.CdsHooksExceptions.TooLargeException;
import org.twitchtriage.cdshooks.internal.CdsHooksExceptions.UnknownServiceException;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.security.Caller;

/**
 * CDS Hooks 2.0: discovery at {@code GET /cds-services}, the {@code patient-view} service, and its feedback
 * endpoint. The service asks for no prefetch: the card needs only {@code context.patientId}, and whatever else a
 * request carries (prefetch, fhirServer, fhirAuthorization, other context) is ignored.
 */
@RestController
@RequestMapping(path = "/cds-services", produces = "application/json")
public class CdsServicesController {

    static final String HOOK = "patient-view";
    static final Activity HOOK_CALL = Activity.operation("$cds-" + HOOK, Action.READ);
    /** Bodies beyond this are refused; a patient-view call without prefetch is a few hundred bytes. */
    static final int MAX_BODY = 1024 * 1024;

    private final PatientViewCards cards;
    private final CardFeedback feedback;
    private final EhrTokens tokens;
    private final CdsHooksProperties properties;
    private final ObjectMapper json;
    private final AuditTrail audit;

    CdsServicesController(
            PatientViewCards cards,
            CardFeedback feedback,
            EhrTokens tokens,
            CdsHooksProperties properties,
            ObjectMapper json,
            AuditTrail audit) {
        this.cards = cards;
        this.feedback = feedback;
        this.tokens = tokens;
        this.properties = properties;
        this.json = json;
        this.audit = audit;
    }

    /** What a patient-view call says; the rest of its body is ignored. */
    record HookCall(String hook, String hookInstance, String patientId) {}

    @GetMapping
    CdsServicesJson discovery(HttpServletRequest request) {
        tokens.checkOpen(request);
        CdsServiceJson service = new CdsServiceJson()
                .setHook(HOOK)
                .setId(PatientViewCards.SERVICE_ID)
                .setTitle("Muscle twitching triage")
                .setDescription("Shows the patient's most recent muscle-twitching triage result of the last "
                        + properties.window().toDays() + " days: its level, the rules that fired, the orders and"
                        + " whether a clinician reviewed it, with a link to open it.");
        return new CdsServicesJson().addService(service);
    }

    @PostMapping("/{id}")
    CdsServiceResponseJson call(@PathVariable String id, HttpServletRequest request) {
        known(id);
        Caller caller = tokens.check(request, List.of(serviceUrl(request, id)));
        HookCall call = hookCall(read(request));
        CdsServiceResponseJson response = new CdsServiceResponseJson();
        cards.forPatient(call.patientId(), base(request)).ifPresent(built -> {
            response.addCard(built.card());
            audit.record(caller, HOOK_CALL, Outcome.SUCCESS, built.patientId(), built.references());
        });
        return response;
    }

    /** Stores the EHR's feedback on the cards; 200 with an empty body, as CDS Hooks asks. */
    @PostMapping("/{id}/feedback")
    ResponseEntity<Void> feedback(@PathVariable String id, HttpServletRequest request) {
        known(id);
        String service = serviceUrl(request, id);
        Caller caller = tokens.check(request, List.of(service + "/feedback", service));
        feedback.store(caller, read(request));
        return ResponseEntity.ok().build();
    }

    private HookCall hookCall(JsonNode body) {
        String hook = text(body, "hook");
        if (hook == null) {
            throw new BadHookRequestException("The request names no \"hook\"");
        }
        if (!HOOK.equals(hook)) {
            throw new BadHookRequestException(
                    "This service answers the hook \"" + HOOK + "\", not \"" + shortened(hook) + "\"");
        }
        String instance = text(body, "hookInstance");
        if (instance == null || instance.isBlank()) {
            throw new BadHookRequestException("The request has no \"hookInstance\"");
        }
        JsonNode context = body.get("context");
        if (context == null || !context.isObject()) {
            throw new BadHookRequestException("The request has no \"context\" object");
        }
        String patientId = text(context, "patientId");
        if (patientId == null || patientId.isBlank()) {
            throw new BadHookRequestException("The request's context has no \"patientId\"");
        }
        if (!FhirIds.isId(patientId)) {
            throw new BadHookRequestException(
                    "context.patientId is not a FHIR id (letters, digits, '-' and '.', up to 64)");
        }
        return new HookCall(hook, instance, patientId);
    }

    private JsonNode read(HttpServletRequest request) {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw new BadHookRequestException("The request's body could not be read");
        }
        if (body.length > MAX_BODY) {
            throw new TooLargeException(MAX_BODY);
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new BadHookRequestException("The body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadHookRequestException("The body is not JSON");
        } catch (IOException e) {
            throw new BadHookRequestException("The request's body could not be read");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static void known(String id) {
        if (!PatientViewCards.SERVICE_ID.equals(id)) {
            throw new UnknownServiceException(shortened(id));
        }
    }

    /** The module's public base: {@code cds-hooks.base-url}, else (development) the address the call came to. */
    private String base(HttpServletRequest request) {
        String base = properties.baseUrl() != null
                ? properties.baseUrl().toString()
                : ServletUriComponentsBuilder.fromContextPath(request).build().toUriString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private String serviceUrl(HttpServletRequest request, String id) {
        return base(request) + "/cds-services/" + id;
    }

    static String shortened(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}

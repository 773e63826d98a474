package org.twitchtriage.delivery.internal;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;
import org.twitchtriage.delivery.Deliveries;
import org.twitchtriage.delivery.DeliveryBatch;
import org.twitchtriage.delivery.DeliveryStatus;
import org.twitchtriage.fhir.FhirIds;
import org.twitchtriage.fhir.PlainProvider;

/**
 * Delivery status and re-drive over FHIR: {@code GET QuestionnaireResponse/{id}/$delivery-status},
 * {@code POST QuestionnaireResponse/{id}/$redeliver} and {@code GET $failed-deliveries}.
 */
@Component
public class DeliveryOperations implements PlainProvider {

    private static final int MAX_LISTED = 500;

    private final Deliveries deliveries;

    DeliveryOperations(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    /**
     * The delivery of the submission's triage results, at the top level as always; deliveries of orders approved
     * later and of corrections and retractions follow as {@code delivery} parameters. Each lists its resources:
     * {@code ehr-id} (delivered, with the EHR's id), {@code skipped} (the EHR cannot take the type), {@code failed}
     * (the EHR refused it or did not answer) and {@code left} (left as the EHR has it), with the reason.
     */
    @Operation(name = "$delivery-status", type = QuestionnaireResponse.class, idempotent = true)
    public Parameters status(@IdParam IdType id) {
        Parameters parameters = deliveries
                .status(id.getIdPart())
                .map(DeliveryOperations::parameters)
                .orElseThrow(() -> new ResourceNotFoundException(id));
        deliveries.allOf(id.getIdPart()).stream()
                .filter(view -> view.batch() != DeliveryBatch.TRIAGE)
                .forEach(view -> parts(parameters.addParameter().setName("delivery"), view));
        return parameters;
    }

    @Operation(name = "$redeliver", type = QuestionnaireResponse.class)
    public Parameters redeliver(@IdParam IdType id) {
        List<Deliveries.View> redriven =
                deliveries.redrive(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException(id));
        Parameters parameters = parameters(redriven.get(0));
        redriven.stream()
                .skip(1)
                .forEach(view -> parts(parameters.addParameter().setName("delivery"), view));
        return parameters;
    }

    /** The failed deliveries, most recent first; {@code _count} caps the list (default and maximum 500). */
    @Operation(name = "$failed-deliveries", idempotent = true)
    public Parameters failed(@Count Integer count) {
        Parameters parameters = new Parameters();
        parameters.addParameter("delivery-enabled", new BooleanType(deliveries.enabled()));
        parameters.addParameter("pending", new IntegerType(Math.toIntExact(deliveries.count(DeliveryStatus.PENDING))));
        parameters.addParameter("failed", new IntegerType(Math.toIntExact(deliveries.count(DeliveryStatus.FAILED))));
        int limit = count == null || count <= 0 ? MAX_LISTED : Math.min(count, MAX_LISTED);
        for (Deliveries.View view : deliveries.failed(limit)) {
            ParametersParameterComponent delivery = parameters.addParameter().setName("delivery");
            parts(delivery, view);
        }
        return parameters;
    }

    private static Parameters parameters(Deliveries.View view) {
        Parameters parameters = new Parameters();
        parameters.addParameter("delivery-enabled", new BooleanType(view.deliveryEnabled()));
        ParametersParameterComponent holder = new ParametersParameterComponent();
        parts(holder, view);
        parameters.getParameter().addAll(holder.getPart());
        return parameters;
    }

    private static void parts(ParametersParameterComponent target, Deliveries.View view) {
        target.addPart()
                .setName("submission")
                .setValue(new Reference(FhirIds.reference("QuestionnaireResponse", view.submissionId())));
        target.addPart().setName("batch").setValue(new CodeType(view.batch().code()));
        if (view.batch() == DeliveryBatch.AMENDMENT) {
            target.addPart().setName("revision").setValue(new IntegerType(view.revision()));
        }
        target.addPart().setName("status").setValue(new CodeType(view.status().code()));
        target.addPart().setName("attempts").setValue(new IntegerType(view.attempts()));
        target.addPart().setName("created").setValue(new DateTimeType(Date.from(view.createdAt())));
        if (view.status() == DeliveryStatus.PENDING) {
            target.addPart().setName("next-attempt").setValue(new DateTimeType(Date.from(view.nextAttemptAt())));
        }
        if (view.deliveredAt() != null) {
            target.addPart().setName("delivered").setValue(new DateTimeType(Date.from(view.deliveredAt())));
        }
        if (view.lastError() != null) {
            target.addPart().setName("last-error").setValue(new StringType(view.lastError()));
        }
        if (view.lastHttpStatus() != null) {
            target.addPart().setName("last-http-status").setValue(new IntegerType(view.lastHttpStatus()));
        }
        if (view.ehrOutcome() != null) {
            target.addPart().setName("ehr-outcome").setValue(new StringType(view.ehrOutcome()));
        }
        view.ehrIds().forEach((local, ehr) -> {
            ParametersParameterComponent id = target.addPart().setName("ehr-id");
            id.addPart().setName("local").setValue(new Reference(local));
            id.addPart().setName("ehr").setValue(new Reference(ehr));
        });
        for (Deliveries.Left left : view.left()) {
            ParametersParameterComponent kept = target.addPart().setName(left.outcome());
            kept.addPart().setName("local").setValue(new Reference(left.local()));
            if (left.ehr() != null) {
                kept.addPart().setName("ehr").setValue(new Reference(left.ehr()));
            }
            kept.addPart().setName("reason").setValue(new StringType(left.reason()));
        }
    }
}

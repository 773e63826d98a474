package org.twitchtriage.delivery.internal;

import ca.uhn.fhir.rest.annotation.Operation;
import java.util.Date;
import java.util.Map;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.twitchtriage.fhir.PlainProvider;
import org.twitchtriage.triage.SummaryDocuments;

/**
 * {@code GET $ehr-capabilities}: reads the EHR's CapabilityStatement again and says what it found and what
 * deliveries make of it: transaction Bundles or one request at a time, how each type is written or why it is not,
 * and whether the readable summary goes with the results. For operators checking an EHR before go-live.
 */
@Component
public class EhrCapabilitiesOperation implements PlainProvider {

    private final EhrProperties properties;
    private final ObjectProvider<CapabilitiesCheck> capabilities;
    private final Summaries summaries;

    EhrCapabilitiesOperation(
            EhrProperties properties, ObjectProvider<CapabilitiesCheck> capabilities, SummaryDocuments documents) {
        this.properties = properties;
        this.capabilities = capabilities;
        this.summaries = new Summaries(documents, properties);
    }

    @Operation(name = "$ehr-capabilities", idempotent = true)
    public Parameters capabilities() {
        Parameters parameters = new Parameters();
        CapabilitiesCheck check = capabilities.getIfAvailable();
        parameters.addParameter("delivery-enabled", new BooleanType(check != null));
        parameters.addParameter("mode", new CodeType(properties.mode().name().toLowerCase(java.util.Locale.ROOT)));
        if (check == null) {
            return parameters;
        }
        CapabilitiesCheck.View view = check.refresh();
        parameters.addParameter("read", new BooleanType(view.capabilities() != null));
        if (view.problem() != null) {
            parameters.addParameter("problem", new StringType(view.problem()));
        }
        if (view.capabilities() != null) {
            parameters.addParameter("read-at", new DateTimeType(Date.from(view.readAt())));
            if (view.capabilities().software() != null) {
                parameters.addParameter(
                        "software", new StringType(view.capabilities().software()));
            }
            parameters.addParameter(
                    "transaction", new BooleanType(view.capabilities().transaction()));
        }
        CapabilitiesCheck.Support support = check.support().orElse(null);
        if (support == null) {
            parameters.addParameter(
                    "deliveries", new StringType("waiting until the EHR's CapabilityStatement can be read"));
            return parameters;
        }
        parameters.addParameter(
                "deliveries", new StringType(support.transaction() ? "transaction" : "one request at a time"));
        parameters.addParameter("document", new BooleanType(summaries.wanted(support)));
        for (String type : CapabilitiesCheck.TYPES) {
            ParametersParameterComponent entry = parameters.addParameter().setName("type");
            entry.addPart().setName("name").setValue(new CodeType(type));
            entry.addPart().setName("write").setValue(new StringType(support.write(type).words));
            for (Map.Entry<String, Object> flag : support.type(type).details().entrySet()) {
                entry.addPart().setName(flag.getKey()).setValue(new BooleanType((Boolean) flag.getValue()));
            }
        }
        return parameters;
    }
}

package org.twitchtriage.delivery;

import java.util.Set;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceVersionPolicy;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;

/** CapabilityStatements of the kinds of EHR the module meets, for the WireMock EHR to serve. */
final class EhrProfiles {

    /** Every type a delivery may send. */
    static final Set<String> TYPES = Set.of(
            "Device",
            "QuestionnaireResponse",
            "Observation",
            "ServiceRequest",
            "Communication",
            "DocumentReference",
            "Provenance");

    private EhrProfiles() {}

    /** Like HAPI FHIR JPA: transactions, and create, conditional create and update of every type. */
    static CapabilityStatement everything() {
        return statement(true, TYPES, TYPES, true, false);
    }

    /** Everything but transaction Bundles. */
    static CapabilityStatement noTransactions() {
        return statement(false, TYPES, TYPES, true, false);
    }

    /** Transactions, but QuestionnaireResponse, Provenance and Device are read-only. */
    static CapabilityStatement noResponseProvenanceOrDevice() {
        Set<String> writable = Set.of("Observation", "ServiceRequest", "Communication", "DocumentReference");
        return statement(true, TYPES, writable, true, false);
    }

    /** No transactions; DocumentReference and Observation can be written, nothing else. */
    static CapabilityStatement documentsAndObservationsOnly() {
        return statement(false, TYPES, Set.of("DocumentReference", "Observation"), true, false);
    }

    /**
     * Transactions and every type, but no conditional create.
     *
     * @param updateCreate whether the EHR creates a resource on an update at an id it does not have
     */
    static CapabilityStatement noConditionalCreate(boolean updateCreate) {
        return statement(true, TYPES, TYPES, false, updateCreate);
    }

    private static CapabilityStatement statement(
            boolean transaction,
            Set<String> readable,
            Set<String> writable,
            boolean conditionalCreate,
            boolean updateCreate) {
        CapabilityStatement statement = new CapabilityStatement();
        statement.setStatus(PublicationStatus.ACTIVE);
        statement.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        statement.getSoftware().setName("Test EHR").setVersion("1");
        CapabilityStatementRestComponent rest = statement.addRest().setMode(RestfulCapabilityMode.SERVER);
        if (transaction) {
            rest.addInteraction().setCode(SystemRestfulInteraction.TRANSACTION);
        }
        for (String type : readable) {
            CapabilityStatementRestResourceComponent resource =
                    rest.addResource().setType(type);
            resource.addInteraction().setCode(TypeRestfulInteraction.READ);
            resource.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE);
            if (writable.contains(type)) {
                resource.addInteraction().setCode(TypeRestfulInteraction.CREATE);
                resource.addInteraction().setCode(TypeRestfulInteraction.UPDATE);
                resource.setConditionalCreate(conditionalCreate);
                resource.setConditionalUpdate(conditionalCreate);
                resource.setUpdateCreate(updateCreate);
                resource.setVersioning(ResourceVersionPolicy.VERSIONEDUPDATE);
            }
        }
        return statement;
    }
}

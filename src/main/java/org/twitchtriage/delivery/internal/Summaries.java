package org.twitchtriage.delivery.internal;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.twitchtriage.triage.SummaryDocuments;

/**
 * The readable summary a delivery sends, per {@code ehr.document}: with {@code auto}, when the EHR cannot take the
 * QuestionnaireResponse, the Observation or the ServiceRequests, so that the care team can read the result all the
 * same; once a submission has a summary in the EHR, each correction sends the next one.
 */
final class Summaries {

    static final String TYPE = "DocumentReference";
    private static final List<String> STRUCTURED = List.of("QuestionnaireResponse", "Observation", "ServiceRequest");

    private final SummaryDocuments documents;
    private final EhrProperties.DocumentPolicy policy;
    private final Coding type;
    private final Coding category;

    Summaries(SummaryDocuments documents, EhrProperties properties) {
        this.documents = documents;
        this.policy = properties.document();
        this.type = EhrProperties.coding(properties.documentType());
        this.category = EhrProperties.coding(properties.documentCategory());
    }

    /** Whether a summary goes with the results to this EHR. */
    boolean wanted(CapabilitiesCheck.Support support) {
        return switch (policy) {
            case NEVER -> false;
            case ALWAYS -> true;
            case AUTO -> STRUCTURED.stream().anyMatch(t -> support.write(t) == CapabilitiesCheck.Write.NONE);
        };
    }

    boolean never() {
        return policy == EhrProperties.DocumentPolicy.NEVER;
    }

    /**
     * The summary of the response at its current version, replacing the one the EHR has (when it has one).
     *
     * @param previous the local reference of the summary the EHR has, if any
     * @param at when the delivery was recorded: a resend writes the same document
     */
    DocumentReference write(
            QuestionnaireResponse response, List<Resource> results, Optional<String> previous, Instant at) {
        DocumentReference document = documents.write(response, results, type, category, at);
        document.getRelatesTo().clear();
        previous.ifPresent(reference -> document.addRelatesTo()
                .setCode(DocumentReference.DocumentRelationshipType.REPLACES)
                .setTarget(new Reference(reference)));
        return document;
    }

    /**
     * The local reference of the latest summary the EHR was sent, from the ledger of earlier deliveries: the one
     * first written last (a later delivery writes an earlier summary again only to mark it superseded).
     */
    static Optional<String> latest(List<Delivery.EhrId> delivered) {
        Set<String> inOrder = new LinkedHashSet<>();
        for (Delivery.EhrId id : delivered) {
            if (id.local().startsWith(TYPE + "/")) {
                inOrder.add(id.local());
            }
        }
        return inOrder.stream().reduce((first, second) -> second);
    }
}

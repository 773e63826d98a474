package org.twitchtriage.triage;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/** The resources a triage writes for one submission, with stable ids and identifiers. */
public record TriageResources(
        Observation observation,
        List<ServiceRequest> serviceRequests,
        Communication communication,
        Provenance provenance,
        Device device) {

    /** In the order they are written: what others reference comes first. */
    public List<Resource> all() {
        List<Resource> all = new ArrayList<>();
        all.add(device);
        all.add(observation);
        all.addAll(serviceRequests);
        all.add(communication);
        all.add(provenance);
        return all;
    }
}

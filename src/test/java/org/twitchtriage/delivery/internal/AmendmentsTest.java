package org.twitchtriage.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.junit.jupiter.api.Test;

/** How an amendment knows what it last wrote in the EHR, and whether the EHR still holds it. */
class AmendmentsTest {

    @Test
    void theLastDeliveryThatWroteAResourceGivesItsVersionsNotOneThatOnlyFoundIt() {
        List<Delivery.EhrId> delivered = List.of(
                new Delivery.EhrId("Observation/s", "Observation/1", "1", 1),
                new Delivery.EhrId("Device/d", "Device/9", "4", null),
                new Delivery.EhrId("Observation/s", "Observation/1", "3", null),
                new Delivery.EhrId("Observation/s", "Observation/1", "2", 2));

        var last = Amendments.lastWritten(delivered);

        assertThat(last.get("Observation/s").ehrVersion()).isEqualTo("2");
        assertThat(last.get("Observation/s").localVersion()).isEqualTo(2);
        assertThat(last.get("Device/d").ehr()).isEqualTo("Device/9");
    }

    @Test
    void theSameStateLeavesOutIdsMetaNarrativeAndWhereReferencesPoint() {
        ServiceRequest ours = order(ServiceRequestStatus.REVOKED, "ServiceRequest/local", "Observation/local");
        ServiceRequest there =
                order(ServiceRequestStatus.REVOKED, "ServiceRequest/ehr-7/_history/3", "Observation/ehr-2");
        there.getMeta().setVersionId("3").setSource("ehr");
        there.getText().setStatus(Narrative.NarrativeStatus.GENERATED).setDivAsString("<div>other</div>");

        assertThat(EhrStates.same(there, ours)).isTrue();
        assertThat(EhrStates.same(
                        order(ServiceRequestStatus.COMPLETED, "ServiceRequest/ehr-7", "Observation/ehr-2"), ours))
                .isFalse();
    }

    @Test
    void anEtagNamesAVersionWeakOrNot() {
        assertThat(EhrClient.version("W/\"3\"")).contains("3");
        assertThat(EhrClient.version("\"12\"")).contains("12");
        assertThat(EhrClient.version(" ")).isEmpty();
        assertThat(EhrClient.version(null)).isEmpty();
    }

    private static ServiceRequest order(ServiceRequestStatus status, String id, String reason) {
        ServiceRequest order = new ServiceRequest();
        order.setId(id);
        order.setStatus(status);
        order.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        order.addReasonReference(new Reference(reason));
        return order;
    }
}

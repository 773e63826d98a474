package org.twitchtriage.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceVersionPolicy;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.junit.jupiter.api.Test;

/** What the module reads from an EHR's CapabilityStatement. */
class EhrCapabilitiesTest {

    @Test
    void readsTransactionsAndWhatEachTypeTakes() {
        CapabilityStatement statement = new CapabilityStatement();
        statement.getSoftware().setName("Some EHR").setVersion("7");
        CapabilityStatement.CapabilityStatementRestComponent rest =
                statement.addRest().setMode(RestfulCapabilityMode.SERVER);
        rest.addInteraction().setCode(SystemRestfulInteraction.TRANSACTION);
        CapabilityStatement.CapabilityStatementRestResourceComponent observation =
                rest.addResource().setType("Observation");
        observation.addInteraction().setCode(TypeRestfulInteraction.CREATE);
        observation.addInteraction().setCode(TypeRestfulInteraction.UPDATE);
        observation.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE);
        observation.setConditionalCreate(true).setConditionalUpdate(true).setUpdateCreate(true);
        observation.setVersioning(ResourceVersionPolicy.VERSIONEDUPDATE);
        CapabilityStatement.CapabilityStatementRestResourceComponent response =
                rest.addResource().setType("QuestionnaireResponse");
        response.addInteraction().setCode(TypeRestfulInteraction.READ);
        // Flags without the interaction they qualify mean nothing.
        response.setConditionalCreate(true).setUpdateCreate(true);

        EhrCapabilities capabilities = EhrCapabilities.of(statement);

        assertThat(capabilities.transaction()).isTrue();
        assertThat(capabilities.type("Observation"))
                .isEqualTo(new EhrCapabilities.TypeSupport(true, true, true, true, true, true, true));
        assertThat(capabilities.type("QuestionnaireResponse").writable()).isFalse();
        assertThat(capabilities.type("QuestionnaireResponse").conditionalCreate())
                .isFalse();
        assertThat(capabilities.type("Provenance")).isEqualTo(EhrCapabilities.TypeSupport.NONE);
        Map<String, Object> details = capabilities.details(List.of("Observation", "Device"));
        assertThat(details).containsEntry("software", "Some EHR 7").containsEntry("transaction", true);
        assertThat(((Map<?, ?>) details.get("types")).keySet())
                .extracting(String::valueOf)
                .containsExactly("Observation", "Device");
    }

    @Test
    void updateAsCreateOnlyMakesATypeWritable() {
        CapabilityStatement statement = new CapabilityStatement();
        CapabilityStatement.CapabilityStatementRestResourceComponent device = statement
                .addRest()
                .setMode(RestfulCapabilityMode.SERVER)
                .addResource()
                .setType("Device");
        device.addInteraction().setCode(TypeRestfulInteraction.UPDATE);
        device.setUpdateCreate(true);

        EhrCapabilities capabilities = EhrCapabilities.of(statement);

        assertThat(capabilities.transaction()).isFalse();
        assertThat(capabilities.type("Device").writable()).isTrue();
        assertThat(capabilities.type("Device").create()).isFalse();
    }

    @Test
    void aStatementWithoutAServerPartSupportsNothing() {
        CapabilityStatement statement = new CapabilityStatement();
        statement.addRest().setMode(RestfulCapabilityMode.CLIENT);

        assertThat(EhrCapabilities.of(statement).types()).isEmpty();
        assertThat(EhrCapabilities.of(statement).transaction()).isFalse();
    }
}

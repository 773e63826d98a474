package org.twitchtriage.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    @Test
    void publishedContentAndTheCapabilityStatementNeedNothing() {
        assertThat(AccessRules.need(request(RestOperationTypeEnum.METADATA, null, null)))
                .isEmpty();
        assertThat(AccessRules.need(request(RestOperationTypeEnum.READ, "Questionnaire", null)))
                .isEmpty();
        assertThat(AccessRules.need(request(RestOperationTypeEnum.SEARCH_TYPE, "CodeSystem", null)))
                .isEmpty();
    }

    @Test
    void writingPublishedContentIsNotPublic() {
        AccessRules.Need need = AccessRules.need(request(RestOperationTypeEnum.CREATE, "Questionnaire", null))
                .orElseThrow();
        assertThat(need.permission()).isEqualTo(Permission.CREATE);
    }

    @Test
    void interactionsNeedTheirSmartPermission() {
        assertThat(AccessRules.need(request(RestOperationTypeEnum.READ, "Observation", null))
                        .orElseThrow())
                .extracting(AccessRules.Need::resourceType, AccessRules.Need::permission)
                .containsExactly("Observation", Permission.READ);
        assertThat(AccessRules.need(request(RestOperationTypeEnum.SEARCH_TYPE, "Observation", null))
                        .orElseThrow()
                        .permission())
                .isEqualTo(Permission.SEARCH);
        AccessRules.Need submit = AccessRules.need(
                        request(RestOperationTypeEnum.EXTENDED_OPERATION_TYPE, "QuestionnaireResponse", "$submit"))
                .orElseThrow();
        assertThat(submit.permission()).isEqualTo(Permission.CREATE);
        assertThat(submit.patientContextAllowed()).isTrue();
        AccessRules.Need redeliver = AccessRules.need(request(
                        RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE, "QuestionnaireResponse", "$redeliver"))
                .orElseThrow();
        assertThat(redeliver.permission()).isEqualTo(Permission.UPDATE);
        assertThat(redeliver.patientContextAllowed()).isFalse();
    }

    @Test
    void theRuleFeedbackFiguresNeedASearchOfEveryObservation() {
        AccessRules.Need figures = AccessRules.need(
                        request(RestOperationTypeEnum.EXTENDED_OPERATION_TYPE, "PlanDefinition", "$rule-feedback"))
                .orElseThrow();
        assertThat(figures)
                .extracting(AccessRules.Need::resourceType, AccessRules.Need::permission)
                .containsExactly("Observation", Permission.SEARCH);
        assertThat(figures.patientContextAllowed()).isFalse();
    }

    @Test
    void anOperationWithoutARuleIsRefused() {
        AccessRules.Need need = AccessRules.need(
                        request(RestOperationTypeEnum.EXTENDED_OPERATION_TYPE, "QuestionnaireResponse", "$export"))
                .orElseThrow();
        assertThat(need.unknown()).isTrue();
        assertThat(AccessRules.need(request(RestOperationTypeEnum.TRANSACTION, null, null))
                        .orElseThrow()
                        .unknown())
                .isTrue();
    }

    private static ServletRequestDetails request(RestOperationTypeEnum type, String resource, String operation) {
        ServletRequestDetails request = new ServletRequestDetails();
        request.setRestOperationType(type);
        request.setResourceName(resource);
        request.setOperation(operation);
        return request;
    }
}

package org.twitchtriage.questionnaire;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Questionnaire;

/**
 * HAPI's full FHIR validator, fed with this module's published content. The stock validation chain
 * cannot resolve Questionnaires, so they are supplied from the {@link ConformanceRegistry}; a response
 * whose Questionnaire still cannot be resolved is reported as an error, never passed silently.
 * Expensive to build and slow per call (milliseconds): it is the second opinion, not the hot path.
 */
public final class ProfileValidator {

    private static final List<String> UNRESOLVED_QUESTIONNAIRE = List.of(
            "Questionnaire_QR_Q_NotFound", "Questionnaire_QR_Q_None");

    private final FhirValidator validator;

    public ProfileValidator(FhirContext fhirContext, ConformanceRegistry registry) {
        PrePopulatedValidationSupport published = new PrePopulatedValidationSupport(fhirContext);
        registry.all().forEach(published::addResource);
        ValidationSupportChain chain = new ValidationSupportChain(
                published,
                new PublishedQuestionnaires(fhirContext, registry),
                new DefaultProfileValidationSupport(fhirContext),
                new CommonCodeSystemsTerminologyService(fhirContext),
                new InMemoryTerminologyServerValidationSupport(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext));
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
        instanceValidator.setNoTerminologyChecks(false);
        this.validator = fhirContext.newValidator().registerValidatorModule(instanceValidator);
    }

    /** Every message the validator reports, with unresolved Questionnaires raised to errors. */
    public List<SingleValidationMessage> validate(IBaseResource resource) {
        List<SingleValidationMessage> messages = validator.validateWithResult(resource).getMessages();
        for (SingleValidationMessage message : messages) {
            if (UNRESOLVED_QUESTIONNAIRE.contains(message.getMessageId())) {
                message.setSeverity(ResultSeverityEnum.ERROR);
            }
        }
        return messages;
    }

    /** Only errors and fatal messages. */
    public List<SingleValidationMessage> errors(IBaseResource resource) {
        return validate(resource).stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .toList();
    }

    /** Lets the validator fetch Questionnaires by canonical url from the registry. */
    private record PublishedQuestionnaires(FhirContext fhirContext, ConformanceRegistry registry)
            implements IValidationSupport {

        @Override
        public FhirContext getFhirContext() {
            return fhirContext;
        }

        @Override
        public <T extends IBaseResource> T fetchResource(Class<T> type, String uri) {
            if (type == null || !Questionnaire.class.isAssignableFrom(type)) {
                return null;
            }
            return registry.byCanonical(Questionnaire.class, uri).map(type::cast).orElse(null);
        }

        @Override
        public String getName() {
            return "published-questionnaires";
        }
    }
}

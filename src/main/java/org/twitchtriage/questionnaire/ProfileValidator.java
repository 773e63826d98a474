package org.twitchtriage.questionnaire;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
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

    private static final Set<String> UNRESOLVED_QUESTIONNAIRE =
            Set.of("Questionnaire_QR_Q_NotFound", "Questionnaire_QR_Q_None");

    /**
     * Findings about what portals and form renderers legitimately vary: their own wording of item
     * texts, and profiles of theirs that this server does not hold. Kept as warnings. The same goes for
     * the SDC profiles our own Questionnaires declare ({@code sdc-questionnaire}): the SDC package is not
     * loaded, as the module would have to ship it and its dependencies for a claim that tells renderers
     * which SDC features to expect; the shape SDC asks for is checked by the content tests instead.
     */
    private static final Set<String> TOLERATED = Set.of(
            "Questionnaire_QR_Item_Text",
            "Validation_VAL_Profile_Unknown",
            "VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY",
            "VALIDATION_VAL_PROFILE_UNKNOWN_ERROR",
            "VALIDATION_VAL_PROFILE_UNKNOWN_ERROR_NETWORK");

    /**
     * Checking an extension definition's {@code element} context, the validator (6.7.9) also looks the path up
     * in each R4 core release it knows of, and fails to count its own 4.0.1 as release "4.0": it then tries
     * to download that core package. Without network access this is reported as an error in the definition,
     * which says nothing about the content; wherever the extension is used, its context is still checked.
     */
    private static final String CORE_PACKAGE_LOOKUP = "Unable to resolve package id hl7.fhir.r4.core";

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
                unknownCodeSystemsWarn(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext));
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
        instanceValidator.setNoTerminologyChecks(false);
        instanceValidator.setErrorForUnknownProfiles(false);
        this.validator = fhirContext.newValidator().registerValidatorModule(instanceValidator);
    }

    /**
     * LOINC and SNOMED CT are not loaded here; their codes cannot be checked, which is a warning,
     * not a reason to reject a resource.
     */
    private static UnknownCodeSystemWarningValidationSupport unknownCodeSystemsWarn(FhirContext fhirContext) {
        UnknownCodeSystemWarningValidationSupport support = new UnknownCodeSystemWarningValidationSupport(fhirContext);
        support.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        return support;
    }

    /**
     * Every message the validator reports, with unresolved Questionnaires raised to errors and the
     * tolerated findings lowered to warnings. A validator that gives up part-way is an error too.
     */
    public List<SingleValidationMessage> validate(IBaseResource resource) {
        List<SingleValidationMessage> messages;
        try {
            messages = validator.validateWithResult(resource).getMessages();
        } catch (RuntimeException e) {
            // HAPI throws instead of reporting on some inputs (an answer whose type breaks an enableWhen).
            SingleValidationMessage failure = new SingleValidationMessage();
            failure.setSeverity(ResultSeverityEnum.ERROR);
            failure.setLocationString(resource.fhirType());
            failure.setMessage("The FHIR validator could not finish: " + e.getMessage());
            return List.of(failure);
        }
        for (SingleValidationMessage message : messages) {
            String id = message.getMessageId();
            if (id != null && UNRESOLVED_QUESTIONNAIRE.contains(id)) {
                message.setSeverity(ResultSeverityEnum.ERROR);
            } else if (id != null
                    && (TOLERATED.contains(id) || isCorePackageLookup(message))
                    && message.getSeverity().ordinal() > ResultSeverityEnum.WARNING.ordinal()) {
                message.setSeverity(ResultSeverityEnum.WARNING);
            }
        }
        return messages;
    }

    private static boolean isCorePackageLookup(SingleValidationMessage message) {
        return "ERROR_GENERATING_SNAPSHOT".equals(message.getMessageId())
                && message.getMessage() != null
                && message.getMessage().contains(CORE_PACKAGE_LOOKUP);
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
            return registry.byCanonical(Questionnaire.class, uri)
                    .map(type::cast)
                    .orElse(null);
        }

        @Override
        public String getName() {
            return "published-questionnaires";
        }
    }
}

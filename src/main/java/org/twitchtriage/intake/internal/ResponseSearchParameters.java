package org.twitchtriage.intake.internal;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.QualifiedParamList;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.util.UrlUtil;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.springframework.stereotype.Component;
import org.twitchtriage.fhir.DateSearch;
import org.twitchtriage.fhir.PatientSearch;
import org.twitchtriage.intake.InvalidConditionException;
import org.twitchtriage.questionnaire.ConformanceRegistry;

/**
 * Turns the QuestionnaireResponse search parameters ({@code subject}, {@code patient},
 * {@code identifier}, {@code questionnaire}, {@code authored}, {@code status}) into criteria, both for
 * searches and for the {@code If-None-Exist} header of a create.
 */
@Component
public class ResponseSearchParameters {

    static final Set<String> SUPPORTED =
            Set.of("subject", "patient", "identifier", "questionnaire", "authored", "status");

    private final FhirContext fhirContext;
    private final ConformanceRegistry registry;

    ResponseSearchParameters(FhirContext fhirContext, ConformanceRegistry registry) {
        this.fhirContext = fhirContext;
        this.registry = registry;
    }

    ResponseCriteria criteria(
            ReferenceParam subject,
            ReferenceParam patient,
            TokenParam identifier,
            ReferenceParam questionnaire,
            DateRangeParam authored,
            TokenParam status) {
        PatientSearch patients = PatientSearch.of(subject, patient);
        boolean nothing = patients.matchesNothing();
        String[] canonical = questionnaire == null ? new String[2] : canonical(questionnaire.getValue());
        nothing |= questionnaire != null && canonical[0] == null;
        DateSearch dates = DateSearch.of(authored);
        return new ResponseCriteria(
                patients.patientId(),
                identifier == null ? null : identifier.getSystem(),
                identifier == null ? null : identifier.getValue(),
                canonical[0],
                canonical[1],
                dates.from(),
                dates.to(),
                status == null ? null : status.getValue(),
                nothing);
    }

    /**
     * The criteria of an {@code If-None-Exist} header, such as {@code identifier=sys|val} or {@code
     * QuestionnaireResponse?...}.
     */
    public ResponseCriteria fromConditionalUrl(String conditionalUrl) {
        String query = conditionalUrl.contains("?")
                ? conditionalUrl.substring(conditionalUrl.indexOf('?') + 1)
                : conditionalUrl;
        Map<String, String[]> parameters = UrlUtil.parseQueryString(query);
        if (parameters.isEmpty()) {
            throw new InvalidConditionException("If-None-Exist has no search parameters");
        }
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String name = parameter.getKey().split(":")[0];
            if (!SUPPORTED.contains(name) || parameter.getKey().contains(":")) {
                throw new InvalidConditionException(
                        "If-None-Exist parameter '" + parameter.getKey() + "' is not supported; use "
                                + String.join(", ", SUPPORTED.stream().sorted().toList()));
            }
            if (!name.equals("authored") && parameter.getValue().length > 1) {
                throw new InvalidConditionException("If-None-Exist parameter '" + name + "' may appear only once");
            }
        }
        return criteria(
                reference(parameters, "subject"),
                reference(parameters, "patient"),
                token(parameters, "identifier"),
                reference(parameters, "questionnaire"),
                dates(parameters),
                token(parameters, "status"));
    }

    /** {url, version} for a canonical or a local Questionnaire id; {null, null} when it names nothing published. */
    private String[] canonical(String value) {
        if (value.contains("://") || value.startsWith("urn:")) {
            int bar = value.indexOf('|');
            return bar < 0
                    ? new String[] {value, null}
                    : new String[] {value.substring(0, bar), value.substring(bar + 1)};
        }
        return registry.byId(Questionnaire.class, new IdType(value).getIdPart())
                .map(q -> new String[] {q.getUrl(), null})
                .orElse(new String[2]);
    }

    private ReferenceParam reference(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        if (values == null) {
            return null;
        }
        ReferenceParam param = new ReferenceParam();
        param.setValueAsQueryToken(fhirContext, name, null, values[0]);
        return param;
    }

    private TokenParam token(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        if (values == null) {
            return null;
        }
        TokenParam param = new TokenParam();
        param.setValueAsQueryToken(fhirContext, name, null, values[0]);
        return param;
    }

    private DateRangeParam dates(Map<String, String[]> parameters) {
        String[] values = parameters.get("authored");
        if (values == null) {
            return null;
        }
        DateRangeParam range = new DateRangeParam();
        try {
            range.setValuesAsQueryTokens(
                    fhirContext,
                    "authored",
                    List.of(values).stream().map(QualifiedParamList::singleton).toList());
        } catch (RuntimeException e) {
            throw new InvalidConditionException("If-None-Exist parameter 'authored' is not a valid date search");
        }
        return range;
    }
}

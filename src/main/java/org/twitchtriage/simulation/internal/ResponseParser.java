package org.twitchtriage.simulation.internal;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/** Parses QuestionnaireResponse JSON as intake does (strictly), into a response or the reason it is unreadable. */
public final class ResponseParser {

    private static final Pattern HAPI_CODE = Pattern.compile("HAPI-\\d+");

    private final IParser parser;

    public ResponseParser(FhirContext fhirContext) {
        this.parser = fhirContext.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
    }

    /** Adds the parsed response to {@code responses}, or the reason it cannot be read to {@code unreadable}. */
    void parse(String name, String json, List<NamedResponse> responses, List<InvalidResponse> unreadable) {
        try {
            responses.add(new NamedResponse(name, parser.parseResource(QuestionnaireResponse.class, json)));
        } catch (DataFormatException e) {
            unreadable.add(new InvalidResponse(name, List.of(reason(e))));
        }
    }

    /** HAPI's messages can quote the offending value, which may be an answer: only its code is shown. */
    private static String reason(DataFormatException e) {
        Matcher code = HAPI_CODE.matcher(String.valueOf(e.getMessage()));
        return "not a readable FHIR QuestionnaireResponse" + (code.find() ? " (" + code.group() + ")" : "")
                + "; the triage command shows the parser's full message";
    }
}

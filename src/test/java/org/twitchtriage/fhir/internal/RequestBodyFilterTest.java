package org.twitchtriage.fhir.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.ServletRequest;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.twitchtriage.fhir.ErrorResponses;

class RequestBodyFilterTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final RequestBodyFilter filter =
            new RequestBodyFilter(new ErrorResponses(FHIR), new BodyStructureCheck(16, 1024));

    private MockHttpServletRequest request(String contentType, String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/fhir/QuestionnaireResponse");
        request.setContentType(contentType);
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        return request;
    }

    /** Runs the filter on the request as the size filter hands it on; returns the response and what went on. */
    private Result filter(MockHttpServletRequest request) throws Exception {
        ServletRequest buffered = new RequestSizeLimitFilter.BufferedBodyRequest(
                request, request.getContentAsByteArray() == null ? new byte[0] : request.getContentAsByteArray());
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(buffered, response, chain);
        return new Result(response, chain.getRequest());
    }

    private record Result(MockHttpServletResponse response, ServletRequest passedOn) {

        OperationOutcome outcome() throws Exception {
            String body = response.getContentAsString(StandardCharsets.UTF_8);
            return response.getContentType().contains("xml")
                    ? FHIR.newXmlParser().parseResource(OperationOutcome.class, body)
                    : FHIR.newJsonParser().parseResource(OperationOutcome.class, body);
        }
    }

    @Test
    void aCleanBodyIsPassedOnUntouched() throws Exception {
        MockHttpServletRequest request = request("application/fhir+json", "{\"resourceType\":\"Patient\"}");

        Result result = filter(request);

        assertThat(result.passedOn()).isNotNull();
        assertThat(result.response().getStatus()).isEqualTo(200);
    }

    @Test
    void aViolationIsAnsweredWith400AndAnOperationOutcomeInTheFormatAskedFor() throws Exception {
        MockHttpServletRequest request = request("application/fhir+json", "[".repeat(17) + "]".repeat(17));
        request.addHeader("Accept", "application/fhir+xml");

        Result result = filter(request);

        assertThat(result.passedOn()).isNull();
        assertThat(result.response().getStatus()).isEqualTo(400);
        assertThat(result.response().getContentType()).startsWith("application/fhir+xml");
        assertThat(result.outcome().getIssueFirstRep().getDiagnostics()).contains("limit of 16 levels");
    }

    @Test
    void anXmlBodyIsCheckedAsXmlWhateverItsMediaType() throws Exception {
        Result result = filter(request("text/plain", "  <!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>"));

        assertThat(result.response().getStatus()).isEqualTo(400);
        assertThat(result.outcome().getIssueFirstRep().getDiagnostics()).contains("DTD");
    }

    @Test
    void theFirstFhirMediaTypeAmongSeveralDecides() throws Exception {
        Result result = filter(request("text/plain, application/fhir+xml", "<!DOCTYPE r><r/>"));

        assertThat(result.response().getStatus()).isEqualTo(400);
    }

    @Test
    void aCompressedBodyGets415() throws Exception {
        MockHttpServletRequest request = request("application/fhir+json", "\u001f\u008b compressed");
        request.addHeader("Content-Encoding", "gzip");

        Result result = filter(request);

        assertThat(result.response().getStatus()).isEqualTo(415);
        assertThat(result.outcome().getIssueFirstRep().getDiagnostics()).contains("Content-Encoding");
    }

    @Test
    void anIdentityContentEncodingIsFine() throws Exception {
        MockHttpServletRequest request = request("application/fhir+json", "{}");
        request.addHeader("Content-Encoding", "identity");

        assertThat(filter(request).passedOn()).isNotNull();
    }

    @Test
    void aCharsetJavaDoesNotKnowGets415() throws Exception {
        // Only reachable with server.servlet.encoding.force-request=false; by default the servlet reads UTF-8.
        Result result = filter(request("application/fhir+json; charset=no-such-charset", "{}"));

        assertThat(result.response().getStatus()).isEqualTo(415);
        assertThat(result.outcome().getIssueFirstRep().getDiagnostics()).contains("charset");
    }

    @Test
    void requestsTheSizeFilterDidNotBufferPassThrough() throws Exception {
        MockHttpServletRequest form = request("application/x-www-form-urlencoded", "a=" + "[".repeat(100));
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(form, new MockHttpServletResponse(), chain);

        assertThat(chain.getRequest()).isSameAs(form);
    }
}

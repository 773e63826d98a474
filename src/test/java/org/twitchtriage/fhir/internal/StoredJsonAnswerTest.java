package org.twitchtriage.fhir.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IRestfulResponse;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;
import org.twitchtriage.fhir.ResourceJson;

class StoredJsonAnswerTest {

    private static final String STORED = "{\"resourceType\":\"QuestionnaireResponse\",\"id\":\"qr-1\",\"marker\":1}";

    private final RequestDetails request = mock(RequestDetails.class);
    private final IRestfulResponse out = mock(IRestfulResponse.class);
    private final StringWriter written = new StringWriter();
    private final QuestionnaireResponse resource = new QuestionnaireResponse();

    StoredJsonAnswerTest() throws IOException {
        RestfulServer server = new RestfulServer(FhirContext.forR4Cached());
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        when(request.getServer()).thenReturn(server);
        when(request.getRestOperationType()).thenReturn(RestOperationTypeEnum.CREATE);
        when(request.getRequestType()).thenReturn(RequestTypeEnum.POST);
        when(request.getParameters()).thenReturn(Map.of());
        when(request.getHeaders("Accept")).thenReturn(List.of("application/fhir+json"));
        when(request.getResourceName()).thenReturn("QuestionnaireResponse");
        when(request.getFhirServerBase()).thenReturn("https://triage.example.org/fhir");
        when(request.getResponse()).thenReturn(out);
        when(out.getResponseWriter(anyInt(), anyString(), anyString(), anyBoolean()))
                .thenReturn(written);
        resource.setId("QuestionnaireResponse/qr-1/_history/1");
        resource.getMeta().setVersionId("1").setLastUpdated(new Date(1_790_000_000_000L));
    }

    private boolean answer() throws IOException {
        return new StoredJsonAnswer().answer(request, new ResponseDetails(201, resource));
    }

    @Test
    void sendsTheStoredJsonWithTheHeadersOfTheStoredVersion() throws IOException {
        ResourceJson.answerWith(resource, STORED);

        assertThat(answer()).as("HAPI writes nothing more").isFalse();

        assertThat(written).hasToString(STORED);
        String location = "https://triage.example.org/fhir/QuestionnaireResponse/qr-1/_history/1";
        verify(out).addHeader("Location", location);
        verify(out).addHeader("Content-Location", location);
        verify(out).addHeader("ETag", "W/\"1\"");
        verify(out).addHeader("Last-Modified", "Mon, 21 Sep 2026 14:13:20 GMT");
        verify(out).getResponseWriter(201, "application/fhir+json", "UTF-8", false);
        verify(out).commitResponse(written);
    }

    @Test
    void leavesToHapiAResourceWithoutStoredJson() throws IOException {
        assertThat(answer()).isTrue();
        verify(out, never()).getResponseWriter(anyInt(), any(), any(), anyBoolean());
    }

    @Test
    void leavesToHapiARequestWithParameters() throws IOException {
        ResourceJson.answerWith(resource, STORED);
        when(request.getParameters()).thenReturn(Map.of("_summary", new String[] {"true"}));

        assertThat(answer()).isTrue();
        verify(out, never()).getResponseWriter(anyInt(), any(), any(), anyBoolean());
    }

    @Test
    void leavesToHapiARequestForXmlPrettyJsonOrGzip() throws IOException {
        ResourceJson.answerWith(resource, STORED);
        when(request.getHeaders("Accept")).thenReturn(List.of("application/fhir+xml"));
        assertThat(answer()).isTrue();

        when(request.getHeaders("Accept")).thenReturn(List.of("application/fhir+json; pretty=true"));
        assertThat(answer()).isTrue();

        when(request.getHeaders("Accept")).thenReturn(List.of("application/fhir+json"));
        when(request.isRespondGzip()).thenReturn(true);
        assertThat(answer()).isTrue();
        verify(out, never()).getResponseWriter(anyInt(), any(), any(), anyBoolean());
    }

    @Test
    void leavesToHapiEverythingButCreateAndUpdate() throws IOException {
        ResourceJson.answerWith(resource, STORED);
        when(request.getRestOperationType()).thenReturn(RestOperationTypeEnum.READ);

        assertThat(answer()).isTrue();
        verify(out, never()).getResponseWriter(anyInt(), any(), any(), anyBoolean());
    }
}

package org.twitchtriage.fhir.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

class FlushAtEndResponseTest {

    @Test
    void aFlushOfTheWriterDoesNotCommitTheResponse() throws IOException {
        MockHttpServletResponse servlet = new MockHttpServletResponse();
        FlushAtEndResponse response = new FlushAtEndResponse(servlet);

        PrintWriter writer = response.getWriter();
        writer.write("{\"resourceType\":");
        writer.flush();
        response.getWriter().write("\"Bundle\"}");
        response.getWriter().flush();

        assertThat(response.getWriter()).isSameAs(writer);
        assertThat(servlet.isCommitted()).isFalse();
        writer.close();
        assertThat(servlet.getContentAsString()).isEqualTo("{\"resourceType\":\"Bundle\"}");
    }

    @Test
    void aFlushOfTheStreamDoesNotCommitTheResponse() throws IOException {
        MockHttpServletResponse servlet = new MockHttpServletResponse();
        FlushAtEndResponse response = new FlushAtEndResponse(servlet);

        response.getOutputStream().write("gzip".getBytes(StandardCharsets.US_ASCII));
        response.getOutputStream().write('!');
        response.getOutputStream().flush();

        assertThat(response.getOutputStream()).isSameAs(response.getOutputStream());
        assertThat(servlet.isCommitted()).isFalse();
        response.getOutputStream().close();
        assertThat(servlet.getContentAsString()).isEqualTo("gzip!");
    }
}

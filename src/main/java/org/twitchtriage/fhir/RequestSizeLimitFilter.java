package org.twitchtriage.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.Constants;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies on {@code /fhir}: a body over the limit gets 413 with an OperationOutcome before
 * any of it is parsed. The body is read here, at most limit + 1 bytes, so chunked uploads that omit
 * Content-Length are caught as well.
 */
final class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final FhirContext fhirContext;
    private final long limit;

    RequestSizeLimitFilter(FhirContext fhirContext, long limit) {
        this.fhirContext = fhirContext;
        this.limit = limit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > limit) {
            reject(request, response);
            return;
        }
        if (isForm(request)) {
            // The container parses form bodies itself (and caps them); buffering here would hide them from it.
            chain.doFilter(request, response);
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), limit + 1);
        if (body.length > limit) {
            reject(request, response);
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    private static boolean isForm(HttpServletRequest request) {
        String contentType = request.getContentType();
        return contentType != null && contentType.startsWith(Constants.CT_X_FORM_URLENCODED);
    }

    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        while (out.size() < max && (read = in.read(buffer, 0, (int) Math.min(buffer.length, max - out.size()))) != -1) {
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    private void reject(HttpServletRequest request, HttpServletResponse response) throws IOException {
        OperationOutcome outcome = OperationOutcomes.error(IssueType.TOOLONG,
                "The request body is larger than the limit of " + limit + " bytes");
        boolean xml = wantsXml(request);
        String body = xml
                ? fhirContext.newXmlParser().encodeResourceToString(outcome)
                : fhirContext.newJsonParser().encodeResourceToString(outcome);
        response.setStatus(413);
        response.setContentType((xml ? Constants.CT_FHIR_XML_NEW : Constants.CT_FHIR_JSON_NEW) + ";charset=UTF-8");
        response.setHeader("Connection", "close");
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean wantsXml(HttpServletRequest request) {
        String query = request.getQueryString();
        String format = query == null || !query.contains(Constants.PARAM_FORMAT + "=") ? null
                : query.substring(query.indexOf(Constants.PARAM_FORMAT + "="));
        if (format != null) {
            return format.contains("xml");
        }
        String accept = request.getHeader(Constants.HEADER_ACCEPT);
        return accept != null && accept.contains("xml") && !accept.contains("json");
    }

    /** The request with its body already in memory. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("The body is already buffered");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), charset()));
        }

        private Charset charset() {
            String encoding = getCharacterEncoding();
            try {
                return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            } catch (IllegalArgumentException e) {
                return StandardCharsets.UTF_8;
            }
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}

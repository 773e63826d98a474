package org.twitchtriage.fhir.internal;

import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;
import org.twitchtriage.fhir.ErrorResponses;
import org.twitchtriage.fhir.internal.RequestSizeLimitFilter.BufferedBodyRequest;

/**
 * Screens request bodies on {@code /fhir} after {@link RequestSizeLimitFilter} has buffered them and before
 * HAPI parses them: compressed bodies (HAPI would inflate them past the size limit) and charsets Java does not
 * know get 415; DTDs, excessive nesting, over-long strings and forbidden characters get 400
 * ({@link BodyStructureCheck}). The body is decoded as HAPI decodes it (the Content-Type's charset, UTF-8
 * without one), so both see the same text.
 */
public final class RequestBodyFilter extends OncePerRequestFilter {

    private final ErrorResponses errors;
    private final BodyStructureCheck check;

    RequestBodyFilter(ErrorResponses errors, BodyStructureCheck check) {
        this.errors = errors;
        this.check = check;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        BufferedBodyRequest buffered = WebUtils.getNativeRequest(request, BufferedBodyRequest.class);
        if (buffered == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Charset> charset = charset(request);
        if (charset.isEmpty()) {
            errors.send(
                    request,
                    response,
                    415,
                    IssueType.NOTSUPPORTED,
                    "The charset of the Content-Type is not supported; send UTF-8");
            return;
        }
        byte[] body = buffered.body();
        if (body.length > 0 && isCompressed(request)) {
            errors.send(
                    request,
                    response,
                    415,
                    IssueType.NOTSUPPORTED,
                    "Compressed request bodies (Content-Encoding) are not accepted; send the body uncompressed");
            return;
        }
        if (body.length > 0) {
            String text = new String(body, charset.get());
            Optional<BodyStructureCheck.Violation> violation = check.check(text, encoding(request, text));
            if (violation.isPresent()) {
                errors.send(
                        request,
                        response,
                        400,
                        violation.get().type(),
                        violation.get().diagnostics());
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The charset HAPI will decode the body with; empty when Java does not support it. */
    private static Optional<Charset> charset(HttpServletRequest request) {
        String name = request.getCharacterEncoding();
        if (name == null || name.isBlank()) {
            return Optional.of(StandardCharsets.UTF_8);
        }
        try {
            return Optional.of(Charset.forName(name.trim()));
        } catch (IllegalArgumentException unsupported) {
            return Optional.empty();
        }
    }

    private static boolean isCompressed(HttpServletRequest request) {
        String encoding = request.getHeader(Constants.HEADER_CONTENT_ENCODING);
        return encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim());
    }

    /**
     * The encoding HAPI will parse the body as: the first FHIR media type among the Content-Type values; without
     * one (HAPI then refuses the body) the body's first character decides, so an XML body is checked whatever
     * it claims to be.
     */
    private static EncodingEnum encoding(HttpServletRequest request, String text) {
        for (Enumeration<String> values = request.getHeaders(Constants.HEADER_CONTENT_TYPE);
                values != null && values.hasMoreElements(); ) {
            for (String part : values.nextElement().split(",")) {
                int parameters = part.indexOf(';');
                EncodingEnum encoding = parameters == 0
                        ? null
                        : EncodingEnum.forContentType((parameters < 0 ? part : part.substring(0, parameters)).trim());
                if (encoding != null) {
                    return encoding;
                }
            }
        }
        String start = text.strip();
        return start.startsWith("<") || start.startsWith("\uFEFF<") ? EncodingEnum.XML : EncodingEnum.JSON;
    }
}

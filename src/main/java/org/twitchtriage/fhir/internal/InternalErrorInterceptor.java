package org.twitchtriage.fhir.internal;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twitchtriage.fhir.ErrorTranslation;
import org.twitchtriage.fhir.Failures;
import org.twitchtriage.fhir.OperationOutcomes;

/**
 * The one place where failures become the FHIR errors clients see. A domain exception that its module has
 * declared an {@link ErrorTranslation} for is answered as that translation says. Everything else keeps internals
 * out of error responses: an unexpected failure is logged with a reference and the client gets an
 * OperationOutcome carrying only that reference. Exception messages can quote request data (a database error
 * naming a duplicate key, say), so they reach neither the client nor the log at the default level. Client errors
 * are answered as they are, with their OperationOutcome made here when they have none: HAPI would otherwise log
 * their messages, and a parser's message can quote the request (an invalid date, say).
 */
@Interceptor
public final class InternalErrorInterceptor {

    private static final Logger log = LoggerFactory.getLogger(InternalErrorInterceptor.class);

    private final List<ErrorTranslation<?>> translations;

    InternalErrorInterceptor(List<ErrorTranslation<?>> translations) {
        this.translations = List.copyOf(translations);
    }

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException hideInternals(Throwable exception) {
        if (exception instanceof BaseServerResponseException known && !(exception instanceof InternalErrorException)) {
            return withOutcome(known);
        }
        Throwable cause = exception instanceof InternalErrorException && exception.getCause() != null
                ? exception.getCause()
                : exception;
        Optional<BaseServerResponseException> translated = translate(cause);
        if (translated.isPresent()) {
            return withOutcome(translated.get());
        }
        if (cause instanceof DataFormatException malformed) {
            // HAPI parses search parameters lazily and lets their format errors escape as server errors.
            return withOutcome(new InvalidRequestException(malformed.getMessage()));
        }
        String reference = UUID.randomUUID().toString();
        log.error("Internal error {}: {}", reference, Failures.describe(cause));
        log.debug("Internal error {} in full (may contain request data)", reference, cause);
        return new InternalErrorException("The server could not complete the request; error reference " + reference);
    }

    /** HAPI wraps what a provider method throws in the reflective call's exception; the translation is of that. */
    private Optional<BaseServerResponseException> translate(Throwable cause) {
        Throwable thrown = cause instanceof InvocationTargetException invocation && invocation.getCause() != null
                ? invocation.getCause()
                : cause;
        return translations.stream()
                .map(translation -> translation.answer(thrown))
                .flatMap(Optional::stream)
                .findFirst();
    }

    private static BaseServerResponseException withOutcome(BaseServerResponseException exception) {
        if (exception.getOperationOutcome() == null) {
            exception.setOperationOutcome(OperationOutcomes.error(IssueType.PROCESSING, exception.getMessage()));
        }
        return exception;
    }
}

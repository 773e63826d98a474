package org.twitchtriage.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * How one domain exception reads to a FHIR client: the status, issue codes and wording of its answer. Services
 * throw exceptions named for what happened and know nothing of HTTP; the module that owns such an exception
 * declares a bean of this type at its edge, and the server's error interceptor is the one place that applies
 * them. An exception no translation claims is answered as an internal error.
 */
public record ErrorTranslation<E extends Throwable>(
        Class<E> type, Function<? super E, ? extends BaseServerResponseException> response) {

    public static <E extends Throwable> ErrorTranslation<E> of(
            Class<E> type, Function<? super E, ? extends BaseServerResponseException> response) {
        return new ErrorTranslation<>(type, response);
    }

    /** The answer to {@code failure}; empty when it is not of this translation's type. */
    public Optional<BaseServerResponseException> answer(Throwable failure) {
        return type.isInstance(failure) ? Optional.of(response.apply(type.cast(failure))) : Optional.empty();
    }
}

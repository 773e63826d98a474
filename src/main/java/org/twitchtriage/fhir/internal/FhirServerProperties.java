package org.twitchtriage.fhir.internal;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the FHIR endpoint at {@code /fhir}.
 *
 * @param maxRequestSize largest request body accepted; larger ones get 413 with an OperationOutcome
 * @param defaultPageSize search results per page when the client sends no {@code _count}
 * @param maxPageSize upper bound for {@code _count}
 * @param maxNestingDepth deepest nesting of JSON objects and arrays, or of XML elements, in a request body;
 *        a checklist response nests about ten levels, so the default leaves room for portals' extensions
 * @param maxStringLength longest string (JSON string or name, XML attribute value or text) in a request body,
 *        in characters; the longest strings a valid response carries are canonical URLs, identifiers (255)
 *        and item texts of a few hundred characters
 */
@Validated
@ConfigurationProperties(prefix = "fhir")
public record FhirServerProperties(
        @NotNull @DefaultValue("1MB") DataSize maxRequestSize,
        @Min(1) @Max(1000) @DefaultValue("20") int defaultPageSize,
        @Min(1) @Max(1000) @DefaultValue("100") int maxPageSize,
        @Min(8) @Max(1000) @DefaultValue("64") int maxNestingDepth,
        @Min(1024) @DefaultValue("32768") int maxStringLength) {}

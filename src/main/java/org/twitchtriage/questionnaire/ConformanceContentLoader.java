package org.twitchtriage.questionnaire;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MetadataResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.twitchtriage.questionnaire.internal.ContentFile;
import org.twitchtriage.questionnaire.internal.ContentLayers;

/**
 * Reads the definitional FHIR files named by resource patterns, in the order given, and lays them over each
 * other as {@link ContentLayers} says: a later location can add content and supersede earlier versions, never
 * change a published version. Any unreadable file stops start-up.
 */
public final class ConformanceContentLoader {

    private final FhirContext fhirContext;
    private final ResourcePatternResolver resolver;

    public ConformanceContentLoader(FhirContext fhirContext) {
        this(fhirContext, new PathMatchingResourcePatternResolver());
    }

    public ConformanceContentLoader(FhirContext fhirContext, ResourcePatternResolver resolver) {
        this.fhirContext = fhirContext;
        this.resolver = resolver;
    }

    public List<MetadataResource> load(List<String> locations) {
        return ContentLayers.resolve(read(locations));
    }

    List<ContentFile> read(List<String> locations) {
        IParser parser = fhirContext.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        List<ContentFile> files = new ArrayList<>();
        for (int i = 0; i < locations.size(); i++) {
            for (Resource file : find(locations.get(i))) {
                files.add(new ContentFile(parse(parser, file), describe(file), i));
            }
        }
        return files;
    }

    private List<Resource> find(String location) {
        try {
            Resource[] found = resolver.getResources(location);
            Arrays.sort(found, Comparator.comparing(Resource::getDescription));
            return List.of(found);
        } catch (IOException e) {
            throw new InvalidContentException("cannot list FHIR content at " + location, e);
        }
    }

    /** The file's URL (a path, or a place in the jar), or Spring's description when it has none. */
    private static String describe(Resource file) {
        try {
            return file.getURL().toString();
        } catch (IOException e) {
            return file.getDescription();
        }
    }

    private static MetadataResource parse(IParser parser, Resource file) {
        try (Reader reader = new InputStreamReader(file.getInputStream(), StandardCharsets.UTF_8)) {
            IBaseResource parsed = parser.parseResource(reader);
            if (!(parsed instanceof MetadataResource metadata)) {
                throw new InvalidContentException(file.getFilename() + " holds a "
                        + parsed.getClass().getSimpleName() + ", not a definitional resource");
            }
            metadata.setId(metadata.getIdElement().toUnqualifiedVersionless());
            return metadata;
        } catch (IOException | DataFormatException e) {
            throw new InvalidContentException(
                    "cannot read FHIR content " + file.getFilename() + ": " + e.getMessage(), e);
        }
    }
}

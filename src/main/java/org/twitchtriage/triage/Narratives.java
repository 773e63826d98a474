package org.twitchtriage.triage;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.narrative.CustomThymeleafNarrativeGenerator;
import ca.uhn.fhir.narrative2.INarrativeTemplate;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.Resource;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.StringTemplateResolver;

/**
 * The human-readable {@code text} (status {@code generated}) of every resource triage writes, so that an
 * EHR that knows none of the project's profiles can still show what a result says. The templates are the
 * project's own ({@code narrative/*.html}): HAPI's built-in ones cover none of these resource types.
 */
public final class Narratives {

    private static final String MANIFEST = "classpath:narrative/narratives.properties";

    /** Loading the manifest and its templates is costly: one generator serves every submission and thread. */
    private static final CustomThymeleafNarrativeGenerator GENERATOR = loaded(new CachingGenerator());

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private Narratives() {}

    static TriageResources addTo(TriageResources resources) {
        resources.all().forEach(Narratives::narrate);
        return resources;
    }

    /**
     * Writes the resource's text from what it says now, replacing any earlier text: a resource changed
     * after it was written (an order approved from a proposal) must be narrated again.
     *
     * @throws IllegalStateException when no template covers the resource's type
     */
    public static void narrate(Resource resource) {
        if (!GENERATOR.populateResourceNarrative(FHIR, resource)) {
            throw new IllegalStateException("No narrative template for " + resource.fhirType());
        }
    }

    /** A missing or unreadable template then fails when the class loads, not on a patient's submission. */
    private static CustomThymeleafNarrativeGenerator loaded(CustomThymeleafNarrativeGenerator generator) {
        generator.getManifest();
        return generator;
    }

    /**
     * HAPI's generator chooses the template and sets the text; only the rendering is replaced. HAPI builds
     * a new Thymeleaf engine, and so parses the template again, for every resource it narrates: about
     * twenty times slower than one engine that keeps the parsed templates, on the hot path of every
     * submission. The templates use Thymeleaf's standard dialect only, not HAPI's additions.
     */
    private static final class CachingGenerator extends CustomThymeleafNarrativeGenerator {

        private final TemplateEngine engine = new TemplateEngine();

        CachingGenerator() {
            super(MANIFEST);
            StringTemplateResolver resolver = new StringTemplateResolver();
            resolver.setTemplateMode(TemplateMode.HTML);
            resolver.setCacheable(true);
            engine.setTemplateResolver(resolver);
        }

        @Override
        protected String applyTemplate(FhirContext fhirContext, INarrativeTemplate template, IBase target) {
            Context context = new Context();
            context.setVariable("resource", target);
            return engine.process(template.getTemplateText(), context);
        }
    }
}

package org.twitchtriage.triage;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.primitive.XhtmlDt;
import ca.uhn.fhir.narrative.CustomThymeleafNarrativeGenerator;
import ca.uhn.fhir.narrative2.BaseNarrativeGenerator;
import ca.uhn.fhir.narrative2.INarrativeTemplate;
import ca.uhn.fhir.narrative2.TemplateTypeEnum;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;
import org.hl7.fhir.utilities.xhtml.XhtmlNodeList;
import org.hl7.fhir.utilities.xhtml.XhtmlParser;
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
    private static final CachingGenerator GENERATOR = loaded(new CachingGenerator());

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    /**
     * The template of each resource class and its text, once found: HAPI looks the template up, reads its file
     * from the classpath, and builds a FHIRPath engine to find the element to narrate, for every resource.
     * Empty for a class whose template is not a plain one for the whole resource; HAPI narrates those.
     */
    private static final Map<Class<?>, Optional<String>> TEMPLATES = new ConcurrentHashMap<>();

    /**
     * A parser per thread: a new XhtmlParser fills a table of some two thousand HTML entities before it reads
     * anything, which cost more than rendering the narrative. A parser holds no state from one complete parse
     * to the next; one that failed is dropped.
     */
    private static final ThreadLocal<XhtmlParser> PARSERS = ThreadLocal.withInitial(XhtmlParser::new);

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
        Optional<String> template = TEMPLATES.computeIfAbsent(resource.getClass(), type -> plain(resource));
        if (template.isPresent() && resource instanceof DomainResource narrated) {
            write(narrated, template.get());
        } else if (!GENERATOR.populateResourceNarrative(FHIR, resource)) {
            throw new IllegalStateException("No narrative template for " + resource.fhirType());
        }
    }

    /**
     * What HAPI's generator would choose for the resource, when it is a template that narrates the whole
     * resource whatever profiles it claims, as all of the project's do.
     */
    private static Optional<String> plain(Resource resource) {
        List<INarrativeTemplate> found =
                GENERATOR.getManifest().getTemplateByElement(FHIR, EnumSet.of(TemplateTypeEnum.THYMELEAF), resource);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        INarrativeTemplate template = found.get(0);
        String contextPath = template.getContextPath();
        boolean wholeResource = contextPath == null || contextPath.isEmpty() || contextPath.equals(resource.fhirType());
        boolean anyProfile = template.getAppliesToProfiles() == null
                || template.getAppliesToProfiles().isEmpty();
        return wholeResource && anyProfile ? Optional.of(template.getTemplateText()) : Optional.empty();
    }

    /** As HAPI's generator writes it: the rendered template, whitespace cleaned, as the text's div, generated. */
    private static void write(DomainResource resource, String template) {
        String rendered = BaseNarrativeGenerator.cleanWhitespace(GENERATOR.render(template, resource));
        if (rendered.isBlank()) {
            return;
        }
        Narrative text = resource.getText();
        text.setDiv(div(rendered));
        text.setStatus(Narrative.NarrativeStatus.GENERATED);
    }

    /** What {@link XhtmlNode#setValueAsString} makes of the text, with this thread's parser. */
    private static XhtmlNode div(String rendered) {
        String value = rendered.trim();
        if (!value.startsWith("<")) {
            value = "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + value + "</div>";
        }
        value = XhtmlDt.preprocessXhtmlNamespaceDeclaration(value);
        try {
            XhtmlNodeList nodes = PARSERS.get().parse(value, "div").getChildNodes();
            XhtmlNode root = nodes.get(
                    !nodes.isEmpty() && nodes.get(0) != null && nodes.get(0).getNodeType() == NodeType.Instruction
                            ? 1
                            : 0);
            XhtmlNode div = new XhtmlNode(root.getNodeType(), root.getName());
            div.getAttributes().putAll(root.getAttributes());
            div.getChildNodes().addAll(root.getChildNodes());
            return div;
        } catch (Exception e) {
            PARSERS.remove();
            throw new IllegalStateException("A narrative template gave text that is not XHTML", e);
        }
    }

    /** A missing or unreadable template then fails when the class loads, not on a patient's submission. */
    private static CachingGenerator loaded(CachingGenerator generator) {
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
            return render(template.getTemplateText(), target);
        }

        String render(String text, IBase target) {
            Context context = new Context();
            context.setVariable("resource", target);
            return engine.process(text, context);
        }
    }
}

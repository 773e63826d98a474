package org.twitchtriage.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition.ChildTypeEnum;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.context.RuntimeChildChoiceDefinition;
import ca.uhn.fhir.context.RuntimeChildContainedResources;
import ca.uhn.fhir.context.RuntimeChildDeclaredExtensionDefinition;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.api.AddProfileTagEnum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseBooleanDatatype;
import org.hl7.fhir.instance.model.api.IBaseDecimalDatatype;
import org.hl7.fhir.instance.model.api.IBaseElement;
import org.hl7.fhir.instance.model.api.IBaseExtension;
import org.hl7.fhir.instance.model.api.IBaseHasExtensions;
import org.hl7.fhir.instance.model.api.IBaseHasModifierExtensions;
import org.hl7.fhir.instance.model.api.IBaseIntegerDatatype;
import org.hl7.fhir.instance.model.api.IBaseMetaType;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.BackboneElement;
import org.hl7.fhir.r4.model.BackboneType;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Meta;

/**
 * Compact JSON for storing a resource: the same text as HAPI's JSON parser writes with the context's options,
 * without its general machinery (element filters, summaries, containment, paths kept for error messages), which
 * makes it several times dearer than the writing itself.
 *
 * <p>It writes what the module's own resources and ordinary responses hold: elements, choice types, primitives,
 * narratives, extensions, element ids and meta. A resource with anything else (contained resources, modifier
 * extensions, ids or extensions on primitive values, references holding a resource object or a version, format
 * comments) goes to HAPI's parser, so the text is HAPI's either way; {@code ResourceJsonTest} holds the two to
 * the same bytes.
 *
 * <p>Each child of an element is read through the model's own {@code getProperty} (a switch on the hash of the
 * child's name), not through HAPI's accessor, whose reflective read was a quarter of the time it took to write a
 * resource under load. A narrative's div, which {@code getProperty} gives as text it composes, and a child it
 * does not know are read through HAPI's accessor.
 */
public final class ResourceJson {

    private static final String ANSWER = ResourceJson.class.getName() + ".answer";

    private final FhirContext context;
    private final Map<BaseRuntimeElementCompositeDefinition<?>, Step[]> plans = new ConcurrentHashMap<>();

    public ResourceJson(FhirContext context) {
        if (context.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException(
                    "R4 only, not " + context.getVersion().getVersion());
        }
        this.context = context;
    }

    /**
     * Says that the JSON just stored for the resource is its representation: the answer to the request that
     * stored it sends that text as it is (when the client asked for plain JSON) instead of encoding the
     * resource again. Change nothing in the resource after this.
     */
    public static void answerWith(IBaseResource resource, String json) {
        resource.setUserData(ANSWER, json);
    }

    /** The stored JSON {@link #answerWith} gave the resource; null if none. */
    public static String answerFor(IBaseResource resource) {
        return resource.getUserData(ANSWER) instanceof String json ? json : null;
    }

    /** The resource as compact JSON. */
    public String encode(IBaseResource resource) {
        String direct = encodeDirectly(resource);
        return direct != null ? direct : context.newJsonParser().encodeResourceToString(resource);
    }

    /** The JSON written without HAPI's parser; null when the resource holds something only HAPI's parser writes. */
    public String encodeDirectly(IBaseResource resource) {
        RuntimeResourceDefinition definition = context.getResourceDefinition(resource);
        if (!writable(resource, definition)) {
            return null;
        }
        JsonText json = new JsonText();
        if (!resource(resource, definition, json)) {
            return null;
        }
        return json.toString();
    }

    /** What this writer leaves to HAPI's parser, seen before anything is written. */
    private boolean writable(IBaseResource resource, RuntimeResourceDefinition definition) {
        if (context.getNarrativeGenerator() != null) {
            return false;
        }
        AddProfileTagEnum profiles = context.getAddProfileTagWhenEncoding();
        if (profiles == AddProfileTagEnum.ALWAYS || !definition.isStandardType()) {
            return false;
        }
        IIdType id = resource.getIdElement();
        if (id == null || id.isEmpty()) {
            return true;
        }
        return !(id.getValue() != null && id.getValue().startsWith("urn:"))
                && !id.hasFormatComment()
                && !hasExtensions(id);
    }

    private boolean resource(IBaseResource resource, RuntimeResourceDefinition definition, JsonText json) {
        json.startObject();
        json.name("resourceType");
        json.string(definition.getName());
        IIdType id = resource.getIdElement();
        if (id != null && id.hasIdPart()) {
            json.name("id");
            json.string(id.getIdPart());
        }
        if (!children(definition, resource, resource, json)) {
            return false;
        }
        json.endObject();
        return true;
    }

    /** The children of a resource or a composite element, in the order of its definition. */
    private boolean children(
            BaseRuntimeElementCompositeDefinition<?> definition, IBase element, IBaseResource resource, JsonText json) {
        if (element instanceof Base base && base.hasFormatComment()) {
            return false;
        }
        if (hasModifierExtensions(element)) {
            return false;
        }
        for (Step step : plan(definition)) {
            switch (step.kind) {
                case UNSUPPORTED:
                    return false;
                case CONTAINED:
                    for (IBase contained : step.child.getAccessor().getValues(element)) {
                        if (contained != null && !contained.isEmpty()) {
                            return false;
                        }
                    }
                    break;
                case EXTENSION:
                    if (!extensions(element, resource, json)) {
                        return false;
                    }
                    break;
                case META: {
                    // Only resources have meta: the plan of a resource's definition is used for resources only.
                    List<? extends IBase> meta = step.child.getAccessor().getValues(element);
                    if (!meta(meta.isEmpty() ? null : (IBaseMetaType) meta.get(0), resource, step.child, json)) {
                        return false;
                    }
                    break;
                }
                default: {
                    // The model's own getProperty where it gives what the element holds; else HAPI's accessor.
                    Base[] read = step.direct && element instanceof Base base
                            ? base.getProperty(step.hash, step.name, false)
                            : null;
                    if (read != null) {
                        if (read.length > 0 && !values(step, Arrays.asList(read), resource, json)) {
                            return false;
                        }
                        break;
                    }
                    List<? extends IBase> values = step.child.getAccessor().getValues(element);
                    if (!values.isEmpty() && !values(step, values, resource, json)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** The children of a definition read through the model's own {@code getProperty}, by name. */
    List<String> childrenReadThroughModel(BaseRuntimeElementCompositeDefinition<?> definition) {
        List<String> names = new ArrayList<>();
        for (Step step : plan(definition)) {
            if (step.kind == Kind.VALUES && step.direct) {
                names.add(step.name);
            }
        }
        return names;
    }

    /** What to do with each child of a definition, in order; worked out once per definition. */
    private Step[] plan(BaseRuntimeElementCompositeDefinition<?> definition) {
        Step[] plan = plans.get(definition);
        if (plan == null) {
            List<Step> steps = new ArrayList<>();
            boolean extensions = false;
            for (BaseRuntimeChildDefinition child : definition.getChildrenAndExtension()) {
                String name = child.getElementName();
                if ("id".equals(name) || "modifierExtension".equals(name)) {
                    continue;
                }
                if (child instanceof RuntimeChildDeclaredExtensionDefinition) {
                    steps.add(new Step(child, Kind.UNSUPPORTED));
                } else if (child instanceof RuntimeChildContainedResources) {
                    steps.add(new Step(child, Kind.CONTAINED));
                } else if ("extension".equals(name)) {
                    if (!extensions) {
                        steps.add(new Step(child, Kind.EXTENSION));
                        extensions = true;
                    }
                } else {
                    boolean meta = "meta".equals(name) && definition instanceof RuntimeResourceDefinition;
                    steps.add(new Step(child, meta ? Kind.META : Kind.VALUES));
                }
            }
            plan = steps.toArray(Step[]::new);
            plans.put(definition, plan);
        }
        return plan;
    }

    /**
     * The values of one child. A composite value is written without asking whether it is empty (which would walk
     * everything below it, again at every level) and taken back when nothing in it was written: what HAPI leaves
     * out as empty is what writes nothing here. So is an array with nothing in it.
     */
    private boolean values(Step step, List<? extends IBase> values, IBaseResource resource, JsonText json) {
        boolean array = step.child.getMax() != 1;
        long before = json.mark();
        int arrayStart = -1;
        String arrayName = null;
        for (IBase value : values) {
            if (value == null) {
                continue;
            }
            Typed typed = step.typed(value.getClass());
            if (typed == null) {
                if (value.isEmpty()) {
                    continue;
                }
                return false;
            }
            if (!typed.composite && value.isEmpty()) {
                continue;
            }
            if (array) {
                if (arrayStart < 0) {
                    json.name(typed.name);
                    json.startArray();
                    arrayName = typed.name;
                    arrayStart = json.length();
                } else if (!typed.name.equals(arrayName)) {
                    return false;
                }
                if (!value(typed.definition, null, value, resource, json)) {
                    return false;
                }
            } else if (!value(typed.definition, typed.name, value, resource, json)) {
                return false;
            }
        }
        if (arrayStart >= 0) {
            if (json.length() == arrayStart) {
                json.reset(before);
            } else {
                json.endArray();
            }
        }
        return true;
    }

    private enum Kind {
        UNSUPPORTED,
        CONTAINED,
        EXTENSION,
        META,
        VALUES
    }

    /** A child of a definition, and the name and definition of the last type of value it had. */
    private static final class Step {

        private final BaseRuntimeChildDefinition child;
        private final Kind kind;
        private final String name;
        private final int hash;
        private final boolean direct;
        private Typed last;

        Step(BaseRuntimeChildDefinition child, Kind kind) {
            this.child = child;
            this.kind = kind;
            this.name = child.getElementName();
            this.hash = name.hashCode();
            this.direct = !xhtml(child);
        }

        /** The name (valueString, valueCoding, ...) and definition of a value of this type; null if none. */
        Typed typed(Class<?> type) {
            Typed seen = last;
            if (seen != null && seen.type == type) {
                return seen;
            }
            @SuppressWarnings("unchecked")
            Class<? extends IBase> valueType = (Class<? extends IBase>) type;
            String name = child.getChildNameByDatatype(valueType);
            BaseRuntimeElementDefinition<?> definition = child.getChildElementDefinitionByDatatype(valueType);
            if (name == null || definition == null) {
                return null;
            }
            seen = new Typed(type, name, definition, composite(definition));
            last = seen;
            return seen;
        }

        /**
         * Whether the child holds XHTML (a narrative's div), which the model's own {@code getProperty} gives as
         * a string it composes, not as the node the element holds.
         */
        private static boolean xhtml(BaseRuntimeChildDefinition child) {
            if (child instanceof RuntimeChildChoiceDefinition) {
                return false;
            }
            BaseRuntimeElementDefinition<?> type = child.getChildByName(child.getElementName());
            return type != null && type.getChildType() == ChildTypeEnum.PRIMITIVE_XHTML_HL7ORG;
        }

        private static boolean composite(BaseRuntimeElementDefinition<?> definition) {
            ChildTypeEnum kind = definition.getChildType();
            return kind == ChildTypeEnum.COMPOSITE_DATATYPE || kind == ChildTypeEnum.RESOURCE_BLOCK;
        }
    }

    /** A type of value of a child: its name there (valueString, ...), its definition, and whether it has children. */
    private record Typed(Class<?> type, String name, BaseRuntimeElementDefinition<?> definition, boolean composite) {}

    /** One value, named, or in an array when name is null. */
    private boolean value(
            BaseRuntimeElementDefinition<?> type, String name, IBase value, IBaseResource resource, JsonText json) {
        switch (type.getChildType()) {
            case PRIMITIVE_DATATYPE:
                return primitive((IPrimitiveType<?>) value, name, json);
            case PRIMITIVE_XHTML_HL7ORG:
                if (value instanceof Base base && base.hasFormatComment()) {
                    return false;
                }
                field(name, json);
                json.string(((IPrimitiveType<?>) value).getValueAsString());
                return true;
            case ID_DATATYPE: {
                IIdType id = (IIdType) value;
                String text = "id".equals(name) ? id.getIdPart() : id.getValue();
                if (text == null || text.isBlank() || hasExtensions(id)) {
                    return false;
                }
                field(name, json);
                json.string(text);
                return true;
            }
            case COMPOSITE_DATATYPE:
            case RESOURCE_BLOCK: {
                if (value instanceof IBaseReference reference && !plainReference(reference)) {
                    return false;
                }
                long before = json.mark();
                if (name == null) {
                    json.startObject();
                } else {
                    json.name(name);
                    json.startObject();
                }
                int start = json.length();
                String elementId = value instanceof IBaseElement e ? e.getId() : null;
                if (elementId != null && !elementId.isBlank()) {
                    json.name("id");
                    json.string(elementId);
                }
                if (!children((BaseRuntimeElementCompositeDefinition<?>) type, value, resource, json)) {
                    return false;
                }
                if (json.length() == start) {
                    // Empty: HAPI leaves it out.
                    json.reset(before);
                } else {
                    json.endObject();
                }
                return true;
            }
            default:
                return false;
        }
    }

    private static boolean primitive(IPrimitiveType<?> value, String name, JsonText json) {
        if (value instanceof Base base && base.hasFormatComment()
                || value instanceof IBaseElement e
                        && e.getId() != null
                        && !e.getId().isBlank()
                || hasExtensions(value)) {
            return false;
        }
        String text = value.getValueAsString();
        if (text == null || text.isBlank()) {
            // HAPI writes nothing for it, or a null among values that have extensions; either way not here.
            return false;
        }
        Object raw = value.getValue();
        field(name, json);
        if (raw instanceof String) {
            json.string(text);
        } else if (raw instanceof Long number) {
            json.raw(Long.toString(number));
        } else if (value instanceof IBaseIntegerDatatype integer) {
            json.raw(Integer.toString(integer.getValue()));
        } else if (value instanceof IBaseDecimalDatatype) {
            json.raw(text);
        } else if (value instanceof IBaseBooleanDatatype bool) {
            json.raw(bool.getValue() ? "true" : "false");
        } else {
            json.string(text);
        }
        return true;
    }

    private static void field(String name, JsonText json) {
        if (name != null) {
            json.name(name);
        }
    }

    /** A reference HAPI writes as it is: no resource object in it, not local, no version to strip. */
    private static boolean plainReference(IBaseReference reference) {
        if (reference.getResource() != null) {
            return false;
        }
        IIdType target = reference.getReferenceElement();
        if (target == null || target.isEmpty()) {
            return true;
        }
        if (target.isLocal()) {
            return false;
        }
        return !target.hasIdPart() || Objects.equals(target.toVersionless().getValue(), target.getValue());
    }

    /** Meta as HAPI writes it: the version taken from the resource's id when meta has none. */
    private boolean meta(IBaseMetaType meta, IBaseResource resource, BaseRuntimeChildDefinition child, JsonText json) {
        if (meta instanceof Meta r4
                && (r4.hasTag() && dropped(r4.getTag()) || r4.hasSecurity() && dropped(r4.getSecurity()))) {
            // HAPI leaves out a tag or security label with neither system nor code.
            return false;
        }
        IBaseMetaType written = meta;
        boolean noVersion = meta == null
                || meta.getVersionId() == null
                || meta.getVersionId().isBlank();
        if (noVersion && resource.getIdElement().hasVersionIdPart()) {
            written = meta == null ? new Meta() : ((Meta) meta).copy();
            written.setVersionId(resource.getIdElement().getVersionIdPart());
        }
        if (written == null) {
            return true;
        }
        BaseRuntimeElementDefinition<?> type = child.getChildElementDefinitionByDatatype(written.getClass());
        return type != null && value(type, child.getElementName(), written, resource, json);
    }

    private static boolean dropped(List<Coding> codings) {
        for (Coding coding : codings) {
            if (!coding.hasSystem() && !coding.hasCode()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the element has extensions, asked without the getter, which gives the element an empty list of
     * its own when it has none.
     */
    private static boolean hasExtensions(IBase element) {
        if (element instanceof Element e) {
            return e.hasExtension();
        }
        if (element instanceof DomainResource r) {
            return r.hasExtension();
        }
        return element instanceof IBaseHasExtensions h && !h.getExtension().isEmpty();
    }

    private static boolean hasModifierExtensions(IBase element) {
        if (element instanceof BackboneElement e) {
            return e.hasModifierExtension();
        }
        if (element instanceof BackboneType t) {
            return t.hasModifierExtension();
        }
        if (element instanceof DomainResource r) {
            return r.hasModifierExtension();
        }
        return element instanceof IBaseHasModifierExtensions h
                && !h.getModifierExtension().isEmpty();
    }

    /** The element's extensions, where its definition puts them. */
    private boolean extensions(IBase element, IBaseResource resource, JsonText json) {
        if (!hasExtensions(element)) {
            return true;
        }
        List<? extends IBaseExtension<?, ?>> extensions = ((IBaseHasExtensions) element).getExtension();
        boolean started = false;
        for (IBaseExtension<?, ?> extension : extensions) {
            if (extension == null || extension.isEmpty()) {
                continue;
            }
            if (!started) {
                json.name("extension");
                json.startArray();
                started = true;
            }
            if (!extension(extension, resource, json)) {
                return false;
            }
        }
        if (started) {
            json.endArray();
        }
        return true;
    }

    private boolean extension(IBaseExtension<?, ?> extension, IBaseResource resource, JsonText json) {
        String url = extension.getUrl();
        IBase value = extension.getValue();
        boolean noValue = value == null || value.isEmpty();
        boolean nested = !extension.getExtension().isEmpty();
        if (url == null || url.isBlank() || noValue == !nested || extension instanceof Base b && b.hasFormatComment()) {
            // No url, or both or neither of a value and nested extensions: HAPI's parser says what is wrong.
            return false;
        }
        json.startObject();
        String elementId = extension instanceof IBaseElement e ? e.getId() : null;
        if (elementId != null && !elementId.isBlank()) {
            json.name("id");
            json.string(elementId);
        }
        json.name("url");
        json.string(url);
        if (nested) {
            json.name("extension");
            json.startArray();
            for (Object next : extension.getExtension()) {
                if (!extension((IBaseExtension<?, ?>) next, resource, json)) {
                    return false;
                }
            }
            json.endArray();
        } else {
            BaseRuntimeChildDefinition valueChild = context.getRuntimeChildUndeclaredExtensionDefinition();
            String name = valueChild.getChildNameByDatatype(value.getClass());
            BaseRuntimeElementDefinition<?> type = valueChild.getChildElementDefinitionByDatatype(value.getClass());
            if (name == null || type == null || !value(type, name, value, resource, json)) {
                return false;
            }
        }
        json.endObject();
        return true;
    }
}

package org.twitchtriage.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.context.RuntimeChildContainedResources;
import ca.uhn.fhir.context.RuntimeChildDeclaredExtensionDefinition;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.api.AddProfileTagEnum;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Objects;
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
import org.hl7.fhir.r4.model.Base;
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
 */
public final class ResourceJson {

    private static final JsonFactory JSON = new JsonFactory();
    private static final String ANSWER = ResourceJson.class.getName() + ".answer";

    private final FhirContext context;

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
        if (!writable(resource)) {
            return null;
        }
        TextWriter text = new TextWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            if (!resource(resource, json)) {
                return null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** What this writer leaves to HAPI's parser, seen before anything is written. */
    private boolean writable(IBaseResource resource) {
        if (context.getNarrativeGenerator() != null) {
            return false;
        }
        AddProfileTagEnum profiles = context.getAddProfileTagWhenEncoding();
        RuntimeResourceDefinition definition = context.getResourceDefinition(resource);
        if (profiles == AddProfileTagEnum.ALWAYS || !definition.isStandardType()) {
            return false;
        }
        IIdType id = resource.getIdElement();
        if (id == null || id.isEmpty()) {
            return true;
        }
        return !(id.getValue() != null && id.getValue().startsWith("urn:"))
                && !id.hasFormatComment()
                && !(id instanceof IBaseHasExtensions e && !e.getExtension().isEmpty());
    }

    private boolean resource(IBaseResource resource, JsonGenerator json) throws IOException {
        RuntimeResourceDefinition definition = context.getResourceDefinition(resource);
        json.writeStartObject();
        json.writeStringField("resourceType", definition.getName());
        IIdType id = resource.getIdElement();
        if (id != null && id.hasIdPart()) {
            json.writeStringField("id", id.getIdPart());
        }
        if (!children(definition, resource, resource, json)) {
            return false;
        }
        json.writeEndObject();
        return true;
    }

    /** The children of a resource or a composite element, in the order of its definition. */
    private boolean children(
            BaseRuntimeElementCompositeDefinition<?> definition,
            IBase element,
            IBaseResource resource,
            JsonGenerator json)
            throws IOException {
        if (element instanceof Base base && base.hasFormatComment()) {
            return false;
        }
        if (element instanceof IBaseHasModifierExtensions m
                && !m.getModifierExtension().isEmpty()) {
            return false;
        }
        boolean extensionsWritten = false;
        for (BaseRuntimeChildDefinition child : definition.getChildrenAndExtension()) {
            String name = child.getElementName();
            if ("id".equals(name) || "modifierExtension".equals(name)) {
                continue;
            }
            if (child instanceof RuntimeChildDeclaredExtensionDefinition) {
                return false;
            }
            if (child instanceof RuntimeChildContainedResources) {
                if (!child.getAccessor().getValues(element).stream().allMatch(IBase::isEmpty)) {
                    return false;
                }
                continue;
            }
            if ("extension".equals(name)) {
                if (!extensionsWritten && !extensions(element, resource, json)) {
                    return false;
                }
                extensionsWritten = true;
                continue;
            }
            List<? extends IBase> values = child.getAccessor().getValues(element);
            if (element == resource && "meta".equals(name)) {
                if (!meta(values.isEmpty() ? null : (IBaseMetaType) values.get(0), resource, child, json)) {
                    return false;
                }
                continue;
            }
            if (values.isEmpty()) {
                continue;
            }
            if (!values(child, values, resource, json)) {
                return false;
            }
        }
        return true;
    }

    private boolean values(
            BaseRuntimeChildDefinition child, List<? extends IBase> values, IBaseResource resource, JsonGenerator json)
            throws IOException {
        boolean array = child.getMax() != 1;
        boolean started = false;
        String arrayName = null;
        for (IBase value : values) {
            if (value == null || value.isEmpty()) {
                continue;
            }
            String name = child.getChildNameByDatatype(value.getClass());
            BaseRuntimeElementDefinition<?> type = child.getChildElementDefinitionByDatatype(value.getClass());
            if (name == null || type == null) {
                return false;
            }
            if (array) {
                if (!started) {
                    json.writeArrayFieldStart(name);
                    arrayName = name;
                    started = true;
                } else if (!name.equals(arrayName)) {
                    return false;
                }
                if (!value(type, null, value, resource, json)) {
                    return false;
                }
            } else if (!value(type, name, value, resource, json)) {
                return false;
            }
        }
        if (started) {
            json.writeEndArray();
        }
        return true;
    }

    /** One value, named, or in an array when name is null. */
    private boolean value(
            BaseRuntimeElementDefinition<?> type, String name, IBase value, IBaseResource resource, JsonGenerator json)
            throws IOException {
        switch (type.getChildType()) {
            case PRIMITIVE_DATATYPE:
                return primitive((IPrimitiveType<?>) value, name, json);
            case PRIMITIVE_XHTML_HL7ORG:
                if (value instanceof Base base && base.hasFormatComment()) {
                    return false;
                }
                field(name, json);
                json.writeString(((IPrimitiveType<?>) value).getValueAsString());
                return true;
            case ID_DATATYPE: {
                IIdType id = (IIdType) value;
                String text = "id".equals(name) ? id.getIdPart() : id.getValue();
                if (text == null
                        || text.isBlank()
                        || id instanceof IBaseHasExtensions e
                                && !e.getExtension().isEmpty()) {
                    return false;
                }
                field(name, json);
                json.writeString(text);
                return true;
            }
            case COMPOSITE_DATATYPE:
            case RESOURCE_BLOCK: {
                if (value instanceof IBaseReference reference && !plainReference(reference)) {
                    return false;
                }
                if (name == null) {
                    json.writeStartObject();
                } else {
                    json.writeObjectFieldStart(name);
                }
                String elementId = value instanceof IBaseElement e ? e.getId() : null;
                if (elementId != null && !elementId.isBlank()) {
                    json.writeStringField("id", elementId);
                }
                if (!children((BaseRuntimeElementCompositeDefinition<?>) type, value, resource, json)) {
                    return false;
                }
                json.writeEndObject();
                return true;
            }
            default:
                return false;
        }
    }

    private static boolean primitive(IPrimitiveType<?> value, String name, JsonGenerator json) throws IOException {
        if (value instanceof Base base && base.hasFormatComment()
                || value instanceof IBaseElement e
                        && e.getId() != null
                        && !e.getId().isBlank()
                || value instanceof IBaseHasExtensions x && !x.getExtension().isEmpty()) {
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
            json.writeString(text);
        } else if (raw instanceof Long number) {
            json.writeNumber(number);
        } else if (value instanceof IBaseIntegerDatatype integer) {
            json.writeNumber(integer.getValue());
        } else if (value instanceof IBaseDecimalDatatype) {
            json.writeNumber(text);
        } else if (value instanceof IBaseBooleanDatatype bool) {
            json.writeBoolean(bool.getValue());
        } else {
            json.writeString(text);
        }
        return true;
    }

    private static void field(String name, JsonGenerator json) throws IOException {
        if (name != null) {
            json.writeFieldName(name);
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
    private boolean meta(
            IBaseMetaType meta, IBaseResource resource, BaseRuntimeChildDefinition child, JsonGenerator json)
            throws IOException {
        if (meta != null && (!meta.getTag().isEmpty() || !meta.getSecurity().isEmpty())) {
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
        if (written == null || written.isEmpty()) {
            return true;
        }
        BaseRuntimeElementDefinition<?> type = child.getChildElementDefinitionByDatatype(written.getClass());
        return type != null && value(type, child.getElementName(), written, resource, json);
    }

    /** The element's extensions, where its definition puts them. */
    private boolean extensions(IBase element, IBaseResource resource, JsonGenerator json) throws IOException {
        if (!(element instanceof IBaseHasExtensions holder)) {
            return true;
        }
        List<? extends IBaseExtension<?, ?>> extensions = holder.getExtension();
        boolean started = false;
        for (IBaseExtension<?, ?> extension : extensions) {
            if (extension == null || extension.isEmpty()) {
                continue;
            }
            if (!started) {
                json.writeArrayFieldStart("extension");
                started = true;
            }
            if (!extension(extension, resource, json)) {
                return false;
            }
        }
        if (started) {
            json.writeEndArray();
        }
        return true;
    }

    private boolean extension(IBaseExtension<?, ?> extension, IBaseResource resource, JsonGenerator json)
            throws IOException {
        String url = extension.getUrl();
        IBase value = extension.getValue();
        boolean noValue = value == null || value.isEmpty();
        boolean nested = !extension.getExtension().isEmpty();
        if (url == null || url.isBlank() || noValue == !nested || extension instanceof Base b && b.hasFormatComment()) {
            // No url, or both or neither of a value and nested extensions: HAPI's parser says what is wrong.
            return false;
        }
        json.writeStartObject();
        String elementId = extension instanceof IBaseElement e ? e.getId() : null;
        if (elementId != null && !elementId.isBlank()) {
            json.writeStringField("id", elementId);
        }
        json.writeStringField("url", url);
        if (nested) {
            json.writeArrayFieldStart("extension");
            for (Object next : extension.getExtension()) {
                if (!extension((IBaseExtension<?, ?>) next, resource, json)) {
                    return false;
                }
            }
            json.writeEndArray();
        } else {
            BaseRuntimeChildDefinition valueChild = context.getRuntimeChildUndeclaredExtensionDefinition();
            String name = valueChild.getChildNameByDatatype(value.getClass());
            BaseRuntimeElementDefinition<?> type = valueChild.getChildElementDefinitionByDatatype(value.getClass());
            if (name == null || type == null || !value(type, name, value, resource, json)) {
                return false;
            }
        }
        json.writeEndObject();
        return true;
    }

    /** A writer into a plain StringBuilder: no locking, no copy until the end. */
    private static final class TextWriter extends Writer {

        private final StringBuilder text = new StringBuilder(4096);

        @Override
        public void write(char[] buffer, int offset, int length) {
            text.append(buffer, offset, length);
        }

        @Override
        public void write(String string, int offset, int length) {
            text.append(string, offset, offset + length);
        }

        @Override
        public void write(int c) {
            text.append((char) c);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        @Override
        public String toString() {
            return text.toString();
        }
    }
}

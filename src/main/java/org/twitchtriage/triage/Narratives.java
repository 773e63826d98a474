package org.twitchtriage.triage;

import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;

/**
 * The human-readable {@code text} (status {@code generated}) of every resource triage writes, so that an
 * EHR that knows none of the project's profiles can still show what a result says.
 *
 * <p>The XHTML is built as a tree, element by element, from what the resource says now: nothing is rendered
 * to a string and parsed back, which on the path of every submission cost more than triage itself. Values
 * go into text nodes only, so nothing from a resource is ever read as markup; they are written as HAPI's
 * narrative generator writes them (line breaks dropped, runs of other whitespace made one space), and the
 * result is what HAPI's generator makes of the Thymeleaf templates in the test resources
 * ({@code narrative/*.html}), which {@code NarrativesTest} checks byte for byte. The elements used are the
 * few the FHIR narrative rules allow without attributes: div, h3, p, b, span, table, tbody, tr, th, td, ul
 * and li.
 */
public final class Narratives {

    private static final String XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml";

    private Narratives() {}

    static TriageResources addTo(TriageResources resources) {
        resources.all().forEach(Narratives::narrate);
        return resources;
    }

    /**
     * Writes the resource's text from what it says now, replacing any earlier text: a resource changed
     * after it was written (an order approved from a proposal) must be narrated again.
     *
     * @throws IllegalStateException when the module writes no narrative for the resource's type
     */
    public static void narrate(Resource resource) {
        XhtmlNode div;
        if (resource instanceof Observation observation) {
            div = observation(observation);
        } else if (resource instanceof ServiceRequest request) {
            div = serviceRequest(request);
        } else if (resource instanceof Communication communication) {
            div = communication(communication);
        } else if (resource instanceof Provenance provenance) {
            div = provenance(provenance);
        } else if (resource instanceof Device device) {
            div = device(device);
        } else {
            throw new IllegalStateException("No narrative for " + resource.fhirType());
        }
        Narrative text = ((DomainResource) resource).getText();
        text.setDiv(div);
        text.setStatus(Narrative.NarrativeStatus.GENERATED);
    }

    private static XhtmlNode observation(Observation observation) {
        XhtmlNode div = root();
        text(div, "h3", displayOrCode(observation.getCode()));
        XhtmlNode level = div.addTag("p");
        text(level, "b", "Level: ");
        CodeableConcept value = observation.getValue() instanceof CodeableConcept concept ? concept : null;
        text(level, "span", either(value == null ? null : value.getText(), code(value)));
        add(level, " (");
        text(level, "span", code(value));
        add(level, ") ");
        XhtmlNode rows = table(div);
        row(rows, "Status", observation.getStatusElement().getValueAsString());
        if (observation.hasSubject()) {
            row(rows, "Patient", displayOrReference(observation.getSubject()));
        }
        if (observation.hasEffectiveDateTimeType()) {
            row(rows, "Answered", observation.getEffectiveDateTimeType().getValueAsString());
        }
        if (observation.hasIssued()) {
            row(rows, "Triaged", observation.getIssuedElement().getValueAsString());
        }
        if (observation.hasDevice()) {
            row(rows, "Produced by", either(observation.getDevice().getDisplay(), "The triage module (Device)"));
        }
        if (observation.hasMethod()) {
            row(rows, "Rules", observation.getMethod().getText());
        }
        if (!observation.getComponent().isEmpty()) {
            heading(div, "Findings");
            XhtmlNode list = div.addTag("ul");
            for (Observation.ObservationComponentComponent component : observation.getComponent()) {
                XhtmlNode item = list.addTag("li");
                text(item, "span", displayOrCode(component.getCode()));
                if (!component.hasValueBooleanType()) {
                    text(
                            item,
                            "span",
                            ": " + (component.hasValue() ? component.getValue().primitiveValue() : null));
                }
            }
        }
        if (!observation.getNote().isEmpty()) {
            heading(div, "Why this level");
            observation.getNote().forEach(note -> text(div, "p", note.getText()));
        }
        return div;
    }

    private static XhtmlNode serviceRequest(ServiceRequest request) {
        XhtmlNode div = root();
        text(div, "h3", displayOrCode(request.getCode()));
        XhtmlNode rows = table(div);
        Coding code = first(request.getCode());
        row(rows, "Code", code == null ? null : code.getSystem() + "|" + code.getCode());
        request.getCategory().forEach(category -> row(rows, "Category", displayOrCode(category)));
        if (request.hasPriority()) {
            row(rows, "Priority", request.getPriorityElement().getValueAsString());
        }
        if (request.hasStatus()) {
            row(rows, "Status", request.getStatusElement().getValueAsString());
        }
        if (request.hasIntent()) {
            row(rows, "Intent", request.getIntentElement().getValueAsString());
        }
        if (request.hasSubject()) {
            row(rows, "Patient", displayOrReference(request.getSubject()));
        }
        if (request.hasOccurrencePeriod() && request.getOccurrencePeriod().hasEnd()) {
            row(rows, "By", request.getOccurrencePeriod().getEndElement().getValueAsString());
        }
        if (request.hasPerformerType()) {
            row(rows, "To be seen by", displayOrCode(request.getPerformerType()));
        }
        if (request.hasRequester()) {
            row(rows, "Requested by", displayOrReference(request.getRequester()));
        }
        if (request.hasAuthoredOn()) {
            row(rows, "Ordered", request.getAuthoredOnElement().getValueAsString());
        }
        if (request.hasRequisition()) {
            row(rows, "Requisition", request.getRequisition().getValue());
        }
        if (!request.getReasonCode().isEmpty()) {
            heading(div, "Reasons");
            XhtmlNode list = div.addTag("ul");
            request.getReasonCode().forEach(reason -> text(list, "li", displayOrCode(reason)));
        }
        if (request.hasPatientInstruction()) {
            heading(div, "Instruction for the patient");
            text(div, "p", request.getPatientInstruction());
        }
        request.getNote().forEach(note -> text(div, "p", note.getText()));
        return div;
    }

    private static XhtmlNode communication(Communication communication) {
        XhtmlNode div = root();
        text(div, "h3", "Guidance for the patient");
        communication
                .getPayload()
                .forEach(payload -> text(
                        div, "p", payload.hasContent() ? payload.getContent().primitiveValue() : null));
        return div;
    }

    private static XhtmlNode provenance(Provenance provenance) {
        XhtmlNode div = root();
        text(div, "h3", "Provenance of a triage result");
        XhtmlNode rows = table(div);
        if (provenance.hasRecorded()) {
            row(rows, "Recorded", provenance.getRecordedElement().getValueAsString());
        }
        for (Provenance.ProvenanceAgentComponent agent : provenance.getAgent()) {
            XhtmlNode row = rows.addTag("tr");
            Coding type = first(agent.getType());
            text(row, "th", either(type == null ? null : type.getDisplay(), "Agent"));
            XhtmlNode cell = row.addTag("td");
            text(
                    cell,
                    "span",
                    agent.hasWho() ? either(agent.getWho().getDisplay(), resourceType(agent.getWho())) : null);
            if (agent.hasOnBehalfOf()) {
                text(cell, "span", " on behalf of " + agent.getOnBehalfOf().getReference());
            }
        }
        for (Provenance.ProvenanceEntityComponent entity : provenance.getEntity()) {
            row(
                    rows,
                    entity.hasRole() ? "Entity (" + entity.getRoleElement().getValueAsString() + ")" : "Entity",
                    entity.hasWhat() ? resourceType(entity.getWhat()) : null);
        }
        heading(div, "Resources recorded");
        XhtmlNode list = div.addTag("ul");
        provenance.getTarget().forEach(target -> text(list, "li", resourceType(target)));
        return div;
    }

    private static XhtmlNode device(Device device) {
        XhtmlNode div = root();
        List<Device.DeviceDeviceNameComponent> names = device.getDeviceName();
        text(div, "h3", either(names.isEmpty() ? null : names.get(0).getName(), "Device"));
        XhtmlNode rows = table(div);
        device.getVersion().forEach(version -> row(rows, "Version", version.getValue()));
        for (Identifier identifier : device.getIdentifier()) {
            row(rows, "Identifier", identifier.getSystem() + "|" + identifier.getValue());
        }
        if (device.hasOwner()) {
            row(rows, "Owner", displayOrReference(device.getOwner()));
        }
        return div;
    }

    private static XhtmlNode root() {
        XhtmlNode div = new Div();
        div.setAttribute("xmlns", XHTML_NAMESPACE);
        return div;
    }

    /**
     * A narrative's root div that writes itself as text without HL7's general XHTML composer, which is slow
     * (it reads the text one code point at a time through several checks) and was a quarter of the time it
     * takes to encode a submission's results as JSON. The text is the composer's, in its XML mode, for the
     * trees these narratives are: elements without attributes below the root, and text; {@code NarrativesTest}
     * compares the two. A copy of the div is a plain {@link XhtmlNode} again.
     */
    private static final class Div extends XhtmlNode {

        private static final String OPEN = "<div xmlns=\"" + XHTML_NAMESPACE + "\">";

        Div() {
            super(NodeType.Element, "div");
        }

        @Override
        public String getValueAsString() {
            if (isEmpty()) {
                return null;
            }
            StringBuilder text = new StringBuilder(4096);
            if (!hasChildren()) {
                return text.append(OPEN, 0, OPEN.length() - 1).append("/>").toString();
            }
            text.append(OPEN);
            getChildNodes().forEach(child -> write(child, text));
            return text.append("</div>").toString();
        }

        private static void write(XhtmlNode node, StringBuilder text) {
            if (node.getNodeType() == NodeType.Text) {
                escape(node.getContent(), text);
            } else if (!node.hasChildren()) {
                text.append('<').append(node.getName()).append("/>");
            } else {
                text.append('<').append(node.getName()).append('>');
                node.getChildNodes().forEach(child -> write(child, text));
                text.append("</").append(node.getName()).append('>');
            }
        }

        /** As the composer escapes text: markup characters and quotes, and characters beyond the BMP. */
        private static void escape(String content, StringBuilder text) {
            int length = content.length();
            int copied = 0;
            for (int i = 0; i < length; i++) {
                char c = content.charAt(i);
                String entity = switch (c) {
                    case '&' -> "&amp;";
                    case '<' -> "&lt;";
                    case '>' -> "&gt;";
                    case '"' -> "&quot;";
                    default -> null;
                };
                if (entity != null) {
                    text.append(content, copied, i).append(entity);
                    copied = i + 1;
                } else if (Character.isHighSurrogate(c)
                        && i + 1 < length
                        && Character.isLowSurrogate(content.charAt(i + 1))) {
                    int codePoint = Character.toCodePoint(c, content.charAt(i + 1));
                    text.append(content, copied, i)
                            .append("&#x")
                            .append(Integer.toHexString(codePoint).toUpperCase(Locale.ROOT))
                            .append(';');
                    copied = ++i + 1;
                }
            }
            if (copied == 0) {
                // Nothing escaped, as in most text: copied whole, not a character at a time as a part would be.
                text.append(content);
            } else {
                text.append(content, copied, length);
            }
        }
    }

    /** A table's body, where the rows go. */
    private static XhtmlNode table(XhtmlNode parent) {
        return parent.addTag("table").addTag("tbody");
    }

    private static void row(XhtmlNode rows, String header, String value) {
        XhtmlNode row = rows.addTag("tr");
        text(row, "th", header);
        text(row, "td", value);
    }

    /** A paragraph with a bold heading, as the sections of a narrative start. */
    private static void heading(XhtmlNode parent, String heading) {
        text(parent.addTag("p"), "b", heading);
    }

    private static void text(XhtmlNode parent, String element, String value) {
        add(parent.addTag(element), value);
    }

    /** The value as a text node, written as HAPI's generator writes it; nothing for no text at all. */
    private static void add(XhtmlNode parent, String value) {
        String written = written(value);
        if (!written.isEmpty()) {
            parent.addText(written);
        }
    }

    /**
     * Line breaks dropped and other runs of whitespace made one space, as HAPI's generator cleans what a template
     * renders; text that is whitespace alone is no text.
     */
    static String written(String value) {
        if (value == null) {
            return "";
        }
        if (alreadyClean(value)) {
            return value;
        }
        StringBuilder written = new StringBuilder(value.length());
        boolean space = false;
        boolean visible = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r') {
                continue;
            }
            if (Character.isWhitespace(c)) {
                space = true;
            } else {
                if (space) {
                    written.append(' ');
                    space = false;
                }
                written.append(c);
                visible = true;
            }
        }
        if (!visible) {
            return "";
        }
        if (space) {
            written.append(' ');
        }
        return written.toString();
    }

    /** Text that cleaning leaves as it is: visible, with single spaces between words and none at either end. */
    private static boolean alreadyClean(String value) {
        int length = value.length();
        if (length == 0 || value.charAt(0) == ' ' || value.charAt(length - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == ' ') {
                if (value.charAt(i + 1) == ' ') {
                    return false;
                }
            } else if (Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    private static String either(String value, String otherwise) {
        return value != null ? value : otherwise;
    }

    private static Coding first(CodeableConcept concept) {
        return concept == null || concept.getCoding().isEmpty()
                ? null
                : concept.getCoding().get(0);
    }

    private static Coding first(List<CodeableConcept> concepts) {
        return concepts.isEmpty() ? null : first(concepts.get(0));
    }

    private static String code(CodeableConcept concept) {
        Coding coding = first(concept);
        return coding == null ? null : coding.getCode();
    }

    private static String displayOrCode(CodeableConcept concept) {
        Coding coding = first(concept);
        return coding == null ? null : either(coding.getDisplay(), coding.getCode());
    }

    private static String displayOrReference(Reference reference) {
        return either(reference.getDisplay(), reference.getReference());
    }

    private static String resourceType(Reference reference) {
        return reference.getReferenceElement().getResourceType();
    }
}

package org.twitchtriage.delivery.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceVersionPolicy;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;

/**
 * What an EHR says it can take, read from its CapabilityStatement: transaction Bundles, and per resource type
 * create, conditional create, update, update as create (client-chosen ids), conditional update and versioned
 * update. A type the statement does not list is taken as not supported.
 */
record EhrCapabilities(boolean transaction, Map<String, TypeSupport> types, String software) {

    /** What the EHR can do with one resource type. */
    record TypeSupport(
            boolean create,
            boolean conditionalCreate,
            boolean update,
            boolean updateCreate,
            boolean conditionalUpdate,
            boolean versionedUpdate,
            boolean search) {

        static final TypeSupport NONE = new TypeSupport(false, false, false, false, false, false, false);
        /** What the module takes an EHR to support when told to deliver without knowing what it supports. */
        static final TypeSupport ALL = new TypeSupport(true, true, true, true, true, true, true);

        /** The type can be written at all: created, or updated as created on an id the module chooses. */
        boolean writable() {
            return create || (update && updateCreate);
        }

        Map<String, Object> details() {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("create", create);
            details.put("conditionalCreate", conditionalCreate);
            details.put("update", update);
            details.put("updateCreate", updateCreate);
            details.put("conditionalUpdate", conditionalUpdate);
            details.put("versionedUpdate", versionedUpdate);
            details.put("search", search);
            return details;
        }
    }

    static EhrCapabilities of(CapabilityStatement statement) {
        Optional<CapabilityStatementRestComponent> server = statement.getRest().stream()
                .filter(rest -> rest.getMode() == RestfulCapabilityMode.SERVER)
                .findFirst();
        if (server.isEmpty()) {
            return new EhrCapabilities(false, Map.of(), software(statement));
        }
        boolean transaction = server.get().getInteraction().stream()
                .anyMatch(i -> i.getCode() == SystemRestfulInteraction.TRANSACTION);
        Map<String, TypeSupport> types = new TreeMap<>();
        for (CapabilityStatementRestResourceComponent resource : server.get().getResource()) {
            types.put(resource.getType(), support(resource));
        }
        return new EhrCapabilities(transaction, Map.copyOf(types), software(statement));
    }

    private static TypeSupport support(CapabilityStatementRestResourceComponent resource) {
        boolean create = has(resource, TypeRestfulInteraction.CREATE);
        boolean update = has(resource, TypeRestfulInteraction.UPDATE);
        return new TypeSupport(
                create,
                create && resource.getConditionalCreate(),
                update,
                update && resource.getUpdateCreate(),
                update && resource.getConditionalUpdate(),
                update && resource.getVersioning() == ResourceVersionPolicy.VERSIONEDUPDATE,
                has(resource, TypeRestfulInteraction.SEARCHTYPE));
    }

    private static boolean has(CapabilityStatementRestResourceComponent resource, TypeRestfulInteraction code) {
        return resource.getInteraction().stream().anyMatch(i -> i.getCode() == code);
    }

    private static String software(CapabilityStatement statement) {
        if (!statement.hasSoftware()) {
            return null;
        }
        String name = statement.getSoftware().getName();
        return statement.getSoftware().hasVersion()
                ? name + " " + statement.getSoftware().getVersion()
                : name;
    }

    TypeSupport type(String resourceType) {
        return types.getOrDefault(resourceType, TypeSupport.NONE);
    }

    /** For the health details and the operation that shows what was found. */
    Map<String, Object> details(Iterable<String> resourceTypes) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (software != null) {
            details.put("software", software);
        }
        details.put("transaction", transaction);
        Map<String, Object> byType = new LinkedHashMap<>();
        resourceTypes.forEach(type -> byType.put(type, type(type).details()));
        details.put("types", byType);
        return details;
    }
}

/**
 * The audit trail: one AuditEvent (shaped after IHE Basic Audit Log Patterns) per FHIR interaction that touches
 * patient data and per delivery to the EHR, stored apart from the data it describes and searchable by users
 * with an AuditEvent scope.
 */
@ApplicationModule(
        displayName = "Audit",
        allowedDependencies = {"fhir", "storage", "security", "delivery", "intake"})
package org.twitchtriage.audit;

import org.springframework.modulith.ApplicationModule;

/**
 * Who may do what: bearer tokens checked by Spring Security's resource server, SMART scopes and patient
 * context applied to every FHIR interaction, the development mode without an authorization server, and
 * SMART discovery.
 */
@ApplicationModule(
        displayName = "Security",
        allowedDependencies = {"fhir"})
package org.twitchtriage.security;

import org.springframework.modulith.ApplicationModule;

/** The resources a triage writes (Observation, ServiceRequest, Communication, Provenance, Device): storage, read and search. */
package org.twitchtriage.results;

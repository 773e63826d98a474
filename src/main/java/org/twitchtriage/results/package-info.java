/** The resources a triage writes (Observation, ServiceRequest, Communication, Provenance, Device) and what clinicians add to them (review Tasks, approved orders): storage, read and search. */
package org.twitchtriage.results;

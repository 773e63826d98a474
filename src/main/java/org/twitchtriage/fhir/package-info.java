/** FHIR server wiring: the RestfulServer on /fhir, request limits and OperationOutcome error mapping. */
package org.twitchtriage.fhir;

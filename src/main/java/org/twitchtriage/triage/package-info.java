/** Triage: rules read from a PlanDefinition, evaluated over a QuestionnaireResponse into level, orders and guidance. */
package org.twitchtriage.triage;

/** Published definitional content (Questionnaire, CodeSystems, ValueSets, profiles) and the compiled answer checks. */
package org.twitchtriage.questionnaire;

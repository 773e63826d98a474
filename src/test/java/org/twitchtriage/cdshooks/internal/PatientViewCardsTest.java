package org.twitchtriage.cdshooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceIndicatorEnum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatientViewCardsTest {

    @ParameterizedTest
    @CsvSource({
        "immediate, CRITICAL",
        "urgent, WARNING",
        "soon, WARNING",
        "monitor, INFO",
        "self-care, INFO",
        "a-level-of-another-rule-set, INFO"
    })
    void theIndicatorFollowsTheLevel(String level, CdsServiceIndicatorEnum indicator) {
        assertThat(PatientViewCards.indicator(level)).isEqualTo(indicator);
    }

    @Test
    void theSummaryStaysUnder140CharactersAndKeepsTheDate() {
        String summary = PatientViewCards.summary("A level named at great length ".repeat(10), "2026-11-20");

        assertThat(summary).hasSizeLessThan(PatientViewCards.SUMMARY_LIMIT).endsWith("… (2026-11-20)");
        assertThat(PatientViewCards.summary("Urgent neurological assessment", "2026-11-20"))
                .isEqualTo("Muscle twitching triage: Urgent neurological assessment (2026-11-20)");
    }

    @Test
    void recordedTextIsShownAsItselfInMarkdown() {
        assertThat(PatientViewCards.escape("*not bold* [a](link) <b>x</b> `code`\nnext"))
                .isEqualTo("\\*not bold\\* \\[a\\](link) \\<b\\>x\\</b\\> \\`code\\` next");
    }

    @Test
    void aCardsUuidIsTheSameForTheSameResultVersionAndNewForANewOne() {
        assertThat(IssuedCards.uuid("obs-1", 1)).isEqualTo(IssuedCards.uuid("obs-1", 1));
        assertThat(IssuedCards.uuid("obs-1", 2)).isNotEqualTo(IssuedCards.uuid("obs-1", 1));
        assertThat(IssuedCards.uuid("obs-2", 1)).isNotEqualTo(IssuedCards.uuid("obs-1", 1));
    }
}

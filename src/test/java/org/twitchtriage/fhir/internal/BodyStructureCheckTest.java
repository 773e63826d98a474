package org.twitchtriage.fhir.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.EncodingEnum;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BodyStructureCheckTest {

    private static final int DEPTH = 10;
    private static final int LENGTH = 1024;

    private final BodyStructureCheck check = new BodyStructureCheck(DEPTH, LENGTH);

    private Optional<BodyStructureCheck.Violation> json(String body) {
        return check.check(body, EncodingEnum.JSON);
    }

    private Optional<BodyStructureCheck.Violation> xml(String body) {
        return check.check(body, EncodingEnum.XML);
    }

    @Test
    void jsonNestedToTheLimitPasses() {
        assertThat(json("[".repeat(DEPTH) + "]".repeat(DEPTH))).isEmpty();
        assertThat(json("{\"a\":".repeat(DEPTH - 1) + "{}" + "}".repeat(DEPTH - 1)))
                .isEmpty();
    }

    @Test
    void jsonNestedPastTheLimitIsRefusedNamingTheLimit() {
        Optional<BodyStructureCheck.Violation> violation = json("{\"a\":".repeat(DEPTH) + "{}" + "}".repeat(DEPTH));

        assertThat(violation).hasValueSatisfying(v -> {
            assertThat(v.type()).isEqualTo(IssueType.STRUCTURE);
            assertThat(v.diagnostics()).contains("nested deeper than the limit of " + DEPTH);
        });
    }

    @Test
    void aDeepPrefixIsRefusedEvenWhenTheRestIsMissing() {
        assertThat(json("[".repeat(DEPTH + 1))).isPresent();
    }

    @Test
    void jsonStringsAndNamesUpToTheLimitPassAndLongerOnesAreRefused() {
        assertThat(json("{\"t\":\"" + "x".repeat(LENGTH) + "\"}")).isEmpty();

        Optional<BodyStructureCheck.Violation> value = json("{\"t\":\"" + "x".repeat(LENGTH + 1) + "\"}");
        Optional<BodyStructureCheck.Violation> name = json("{\"" + "x".repeat(LENGTH + 1) + "\":1}");

        assertThat(value).hasValueSatisfying(v -> {
            assertThat(v.type()).isEqualTo(IssueType.TOOLONG);
            assertThat(v.diagnostics())
                    .contains("limit of " + LENGTH + " characters")
                    .doesNotContain("xxx");
        });
        assertThat(name).isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\\u0000",
                "\\u0007",
                "\\u001f",
                "\\ud800",
                "\\udfff",
                "x\\ud800y",
                "\\udc00\\ud800",
                "\\uFFFE",
                "\\uffff"
            })
    void controlCharactersUnpairedSurrogatesAndNonCharactersAreRefused(String escaped) {
        assertThat(json("{\"t\":\"a" + escaped + "\"}")).contains(BodyStructureCheck.FORBIDDEN_CHARACTER);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "tab\\tnew\\nline\\r",
                "\\ud83d\\ude00",
                "\u202Eright-to-left",
                "\\uFFFD",
                "\u00e9",
                "\\ud83f\\udffe"
            })
    void tabsNewlinesPairedSurrogatesAndOtherCharactersPass(String text) {
        assertThat(json("{\"t\":\"" + text + "\"}")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><r>&e;</r>",
                "<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"http://127.0.0.1:1/x.dtd\"><r/>",
                "<!DOCTYPE r [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><r/>",
                "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><r>&b;</r>",
                "<!DOCTYPE r><r/>"
            })
    void anyDocumentTypeDeclarationIsRefused(String body) {
        assertThat(xml(body)).contains(BodyStructureCheck.DTD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<?xml version=\"1.1\"?><a v=\"&#x1;\"/>", "<?xml version=\"1.1\"?><a>x&#x1b;</a>"})
    void controlCharactersThatXml11AdmitsAreRefused(String body) {
        assertThat(xml(body)).contains(BodyStructureCheck.FORBIDDEN_CHARACTER);
    }

    @Test
    void xmlNestingAttributesAndTextAreLimited() {
        assertThat(xml("<a>".repeat(DEPTH) + "</a>".repeat(DEPTH))).isEmpty();
        assertThat(xml("<a>".repeat(DEPTH + 1) + "</a>".repeat(DEPTH + 1)))
                .hasValueSatisfying(v -> assertThat(v.type()).isEqualTo(IssueType.STRUCTURE));
        assertThat(xml("<a v=\"" + "x".repeat(LENGTH) + "\"/>")).isEmpty();
        assertThat(xml("<a v=\"" + "x".repeat(LENGTH + 1) + "\"/>"))
                .hasValueSatisfying(v -> assertThat(v.type()).isEqualTo(IssueType.TOOLONG));
        assertThat(xml("<a>" + "x".repeat(LENGTH / 2) + "<![CDATA[" + "y".repeat(LENGTH / 2 + 1) + "]]></a>"))
                .hasValueSatisfying(v -> assertThat(v.type()).isEqualTo(IssueType.TOOLONG));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":", "{\"a\" 1}", "[1,2", "\u0000\u0001garbage", ""})
    void malformedJsonIsLeftToTheParser(String body) {
        assertThat(json(body)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"<a>", "<a></b>", "<a>&undeclared;</a>", "not xml"})
    void malformedXmlIsLeftToTheParser(String body) {
        assertThat(xml(body)).isEmpty();
    }
}

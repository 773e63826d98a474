package org.twitchtriage.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** The firewall's checks of names and values say what Spring Security's own regular expressions say. */
class HeaderCheckTest {

    @Test
    void everyCharacterOfTheBasicPlaneIsJudgedAsSpringSecurityJudgesIt() {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            String text = "a" + (char) c + "b";
            assertThat(HeaderCheck.name(text))
                    .as("name with U+%04X", c)
                    .isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(text));
            assertThat(HeaderCheck.value(text))
                    .as("value with U+%04X", c)
                    .isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(text));
        }
    }

    @Test
    void charactersPastTheBasicPlaneAndBrokenPairsToo() {
        List<String> texts = new ArrayList<>(List.of(
                "",
                "Bearer abc.def",
                "tab\there",
                "\uD83D\uDE00 emoji",
                "lone \uD83D surrogate",
                "\uDE00 backwards",
                new String(Character.toChars(0x10FFFF)),
                new String(Character.toChars(0xE0001)),
                new String(Character.toChars(0x2FFFD))));
        for (String text : texts) {
            assertThat(HeaderCheck.name(text)).as(text).isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(text));
            assertThat(HeaderCheck.value(text)).as(text).isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(text));
        }
    }

    @Test
    void aRequestWithAControlCharacterInAHeaderIsRejectedWhenTheHeaderIsRead() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/fhir/QuestionnaireResponse");
        request.addHeader("X-Note", "line\u0007bell");
        request.addHeader("Accept", "application/fhir+json");

        var firewalled = HeaderCheck.firewall().getFirewalledRequest(request);

        assertThat(firewalled.getHeader("Accept")).isEqualTo("application/fhir+json");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> firewalled.getHeader("X-Note"))
                .isInstanceOf(RequestRejectedException.class);
    }
}

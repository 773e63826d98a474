package org.twitchtriage.questionnaire.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.twitchtriage.questionnaire.InvalidContentException;

class InvalidContentFailureAnalyzerTest {

    @Test
    void refusedContentHeadsTheStartUpReportWithItsOwnMessage() {
        InvalidContentException refused = new InvalidContentException(
                "PlanDefinition x|1.1.1, action 'spreading':" + " the condition names the item 'spreding'");
        Throwable wrapped =
                new BeanCreationException("triageRules", new BeanCreationException("responseTriage", refused));

        FailureAnalysis analysis = new InvalidContentFailureAnalyzer().analyze(wrapped);

        assertThat(analysis.getDescription()).contains("action 'spreading'").contains("'spreding'");
        assertThat(analysis.getAction()).contains("questionnaire.content-locations");
        assertThat(analysis.getCause()).isSameAs(refused);
    }

    @Test
    void itIsRegisteredWithSpringBoot() {
        // Only this project's entries: Spring Boot's own analyzers need a bean factory to be built.
        assertThat(SpringFactoriesLoader.forResourceLocation(
                                "META-INF/spring.factories", InvalidContentFailureAnalyzer.class.getClassLoader())
                        .load(
                                FailureAnalyzer.class,
                                SpringFactoriesLoader.FailureHandler.logging(LogFactory.getLog(getClass()))))
                .hasAtLeastOneElementOfType(InvalidContentFailureAnalyzer.class);
    }
}

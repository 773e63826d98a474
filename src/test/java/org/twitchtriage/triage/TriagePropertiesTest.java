package org.twitchtriage.triage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.twitchtriage.triage.TriageProperties.Intent;

class TriagePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(TriageProperties.class)
    static class Settings {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ConfigurationPropertiesAutoConfiguration.class, ValidationAutoConfiguration.class))
            .withUserConfiguration(Settings.class);

    @Test
    void theIntentIsAnOrderUnlessSetOtherwise() {
        runner.run(context ->
                assertThat(context.getBean(TriageProperties.class).intent()).isEqualTo(Intent.ORDER));
    }

    @Test
    void theIntentIsReadFromItsCode() {
        runner.withPropertyValues("triage.intent=proposal")
                .run(context -> assertThat(
                                context.getBean(TriageProperties.class).intent())
                        .isEqualTo(Intent.PROPOSAL));
    }

    @Test
    void anUnknownIntentStopsTheStartWithAnErrorNamingTheSettingAndTheValidValues() {
        runner.withPropertyValues("triage.intent=plan").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analyse(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("triage.intent", "\"plan\"");
            assertThat(analysis.getAction()).contains("ORDER", "PROPOSAL");
        });
    }

    @Test
    void theCodesAreTheOnesFhirUses() {
        assertThat(Intent.ORDER.code()).isEqualTo("order");
        assertThat(Intent.PROPOSAL.code()).isEqualTo("proposal");
    }

    /** What Spring Boot prints when the start fails, from the analyzers it registers. */
    private static FailureAnalysis analyse(Throwable failure) {
        return SpringFactoriesLoader.forDefaultResourceLocation()
                .load(
                        FailureAnalyzer.class,
                        SpringFactoriesLoader.ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
                                .and(Environment.class, new StandardEnvironment()),
                        // Analyzers of libraries this module does not use cannot be made; Boot skips them too.
                        SpringFactoriesLoader.FailureHandler.handleMessage((message, cause) -> {}))
                .stream()
                .map(analyzer -> analyzer.analyze(failure))
                .filter(analysis -> analysis != null)
                .findFirst()
                .orElseThrow();
    }
}

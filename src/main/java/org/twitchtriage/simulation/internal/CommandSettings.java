package org.twitchtriage.simulation.internal;

import java.util.List;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessorApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The module's settings as the server would see them (application.yml, config files, environment variables,
 * {@code --key=value} arguments), read by an empty non-web Spring context that is closed at once: no beans,
 * no database connection, and no logging set-up, so the command's output stays its own.
 */
public final class CommandSettings {

    private final ConfigurableEnvironment environment;

    private CommandSettings(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    public static CommandSettings read(List<String> arguments) {
        SpringApplication application = new SpringApplication(Empty.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setRegisterShutdownHook(false);
        // Only the listener that reads the settings: Spring Boot's logging listener would reconfigure logging.
        application.setListeners(List.of(new EnvironmentPostProcessorApplicationListener()));
        try (ConfigurableApplicationContext context = application.run(arguments.toArray(String[]::new))) {
            return new CommandSettings(context.getEnvironment());
        }
    }

    public Binder binder() {
        return Binder.get(environment);
    }

    public String get(String key, String fallback) {
        return environment.getProperty(key, fallback);
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {}
}

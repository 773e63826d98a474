package org.twitchtriage.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The database integration tests run against, chosen by the system property {@code it.database}:
 * {@code h2} (default) uses a fresh H2 file under {@code target/}; {@code postgres} creates a fresh
 * schema in the local PostgreSQL ({@code it.postgres.url}, default database {@code test}) and drops
 * it when the JVM exits.
 */
public final class TestDatabase {

    private static final String POSTGRES_URL =
            System.getProperty("it.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String POSTGRES_USER = System.getProperty("it.postgres.user", "postgres");
    private static final String NAME =
            "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private static final Set<String> CREATED = new HashSet<>();

    /**
     * Connection pools that give their connections back when idle: Spring keeps every test's application
     * context (and its pool) open until the run ends, and PostgreSQL allows 100 connections in all.
     */
    private static final Map<String, String> SMALL_POOL = Map.of(
            "spring.datasource.hikari.maximum-pool-size", "6",
            "spring.datasource.hikari.minimum-idle", "0",
            "spring.datasource.hikari.idle-timeout", "10000");

    private TestDatabase() {}

    public static boolean postgres() {
        return "postgres".equalsIgnoreCase(System.getProperty("it.database", "h2"));
    }

    /** Points the application at this JVM's test database. */
    public static void configure(DynamicPropertyRegistry registry) {
        if (postgres()) {
            createSchema(NAME);
            registry.add("spring.datasource.url", () -> POSTGRES_URL + "?currentSchema=" + NAME);
            registry.add("spring.datasource.username", () -> POSTGRES_USER);
            registry.add("spring.datasource.password", () -> "");
            registry.add("spring.flyway.schemas", () -> NAME);
            SMALL_POOL.forEach((key, value) -> registry.add(key, () -> value));
        } else {
            registry.add("spring.datasource.url", () -> h2Url("target/it-db/" + NAME));
        }
    }

    /**
     * A database of its own for one test class (an H2 file, or a PostgreSQL schema), for applications
     * whose background work must not see other tests' data.
     */
    public static void configureIsolated(DynamicPropertyRegistry registry, String name) {
        settings(name).forEach((key, value) -> registry.add(key, () -> value));
    }

    /**
     * The settings of a database of its own (unique to this test run) as command-line arguments, for
     * applications a test starts itself.
     */
    public static List<String> arguments(String isolatedName) {
        // It becomes a PostgreSQL schema name: checked on H2 too, so a bad one fails on every database.
        if (!isolatedName.matches("[a-z0-9_]{1,30}")) {
            throw new IllegalArgumentException("an isolated database name takes a-z, 0-9 and _ only: " + isolatedName);
        }
        String name = NAME + "_" + isolatedName;
        if (postgres()) {
            createSchema(name);
            List<String> arguments = new ArrayList<>(List.of(
                    "--spring.datasource.url=" + POSTGRES_URL + "?currentSchema=" + name,
                    "--spring.datasource.username=" + POSTGRES_USER,
                    "--spring.datasource.password=",
                    "--spring.flyway.schemas=" + name));
            SMALL_POOL.forEach((key, value) -> arguments.add("--" + key + "=" + value));
            return arguments;
        }
        return List.of("--spring.datasource.url=" + h2Url("target/it-db/" + name));
    }

    /**
     * A database of its own (as {@link #arguments}) that a test migrates step by step with Flyway, to write rows
     * as an older version of the module left them and see what a later migration makes of them.
     */
    public static Migrations migrations(String isolatedName) {
        Map<String, String> settings = settings(isolatedName);
        return new Migrations(
                settings.get("spring.datasource.url"),
                settings.getOrDefault("spring.datasource.username", "sa"),
                settings.getOrDefault("spring.datasource.password", ""),
                settings.get("spring.flyway.schemas"));
    }

    /** {@link #arguments} as settings, by name. */
    private static Map<String, String> settings(String isolatedName) {
        Map<String, String> settings = new HashMap<>();
        arguments(isolatedName).forEach(argument -> {
            String[] pair = argument.substring(2).split("=", 2);
            settings.put(pair[0], pair.length > 1 ? pair[1] : "");
        });
        return settings;
    }

    /** See {@link #migrations}. */
    public record Migrations(String url, String user, String password, String schema) {

        /** Migrates the database up to {@code target} (a version, or {@code latest}). */
        public void migrate(String target) {
            FluentConfiguration flyway = Flyway.configure().dataSource(url, user, password);
            if (schema != null) {
                flyway.schemas(schema);
            }
            flyway.target(target).load().migrate();
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    public static String h2Url(String path) {
        return "jdbc:h2:file:./" + path
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=500;AUTO_COMPACT_FILL_RATE=0;QUERY_CACHE_SIZE=64";
    }

    private static synchronized void createSchema(String name) {
        if (!CREATED.add(name)) {
            return;
        }
        execute("create schema " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> execute("drop schema if exists " + name + " cascade")));
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + POSTGRES_URL + " is not usable: " + e.getMessage(), e);
        }
    }
}

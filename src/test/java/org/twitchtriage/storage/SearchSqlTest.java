package org.twitchtriage.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class SearchSqlTest {

    private NamedParameterJdbcTemplate jdbc;

    @BeforeEach
    void table() {
        jdbc = new NamedParameterJdbcTemplate(
                new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
        jdbc.getJdbcTemplate()
                .execute("create table item (id varchar(8), code varchar(8), code_system varchar(8),"
                        + " recorded timestamp with time zone)");
        insert("a", "x", "s1", "2026-01-01T10:00:00Z");
        insert("b", "x", "s2", "2026-01-02T10:00:00Z");
        insert("c", "y", "s1", "2026-01-03T10:00:00Z");
    }

    @Test
    void aValueOfNullDoesNotConstrain() {
        assertThat(SearchSql.from("item")
                        .equal("code", null)
                        .atLeast("recorded", null)
                        .count(jdbc))
                .isEqualTo(3);
    }

    @Test
    void conditionsAreJoinedAndInstantsCompareAsInstants() {
        SearchSql search = SearchSql.from("item")
                .equal("code", "x")
                .atLeast("recorded", Instant.parse("2026-01-02T10:00:00Z"))
                .atMost("recorded", Instant.parse("2026-01-02T10:00:00Z"));

        assertThat(search.page(jdbc, "id", String.class, "id", 0, 10)).containsExactly("b");
    }

    @Test
    void aPageIsCutInTheGivenOrder() {
        assertThat(SearchSql.from("item").page(jdbc, "id", String.class, "recorded desc", 1, 1))
                .containsExactly("b");
    }

    @Test
    void aConditionOfItsOwnKeepsEachParameterApartFromLongerNames() {
        SearchSql search = SearchSql.from("item i")
                .equal("i.code_system", "s1")
                .where(
                        "exists (select 1 from item o where o.id = i.id and o.code = :code"
                                + " and o.code_system = :code_system)",
                        Map.of("code", "y", "code_system", "s1"));

        assertThat(search.page(jdbc, "i.id", String.class, "i.id", 0, 10)).containsExactly("c");
    }

    private void insert(String id, String code, String system, String recorded) {
        jdbc.update(
                "insert into item values (:id, :code, :system, :recorded)",
                Map.of(
                        "id", id,
                        "code", code,
                        "system", system,
                        "recorded", OffsetDateTime.parse(recorded)));
    }
}

package org.twitchtriage.intake.internal;

import java.util.List;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.twitchtriage.storage.SearchSql;

/** Runs {@link ResponseCriteria} against the stored responses, one page at a time, newest authored first. */
@Component
public class ResponseSearch {

    private final NamedParameterJdbcTemplate jdbc;

    ResponseSearch(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The responses as stored (their JSON). */
    public List<String> find(ResponseCriteria criteria, int offset, int limit) {
        if (criteria.matchesNothing() || limit == 0) {
            return List.of();
        }
        return search(criteria).jsonPage(jdbc, "resource_json", "authored_low desc, id", offset, limit);
    }

    public int count(ResponseCriteria criteria) {
        return criteria.matchesNothing() ? 0 : search(criteria).count(jdbc);
    }

    private static SearchSql search(ResponseCriteria c) {
        return SearchSql.from("questionnaire_response")
                .equal("subject_id", c.subjectId())
                .equal("identifier_value", c.identifierValue())
                .equal("identifier_system", c.identifierSystem())
                .equal("questionnaire_url", c.questionnaireUrl())
                .equal("questionnaire_version", c.questionnaireVersion())
                .atLeast("authored_high", c.authoredFrom())
                .atMost("authored_low", c.authoredTo())
                .equal("status", c.status());
    }
}

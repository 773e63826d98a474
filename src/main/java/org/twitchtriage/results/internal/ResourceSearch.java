package org.twitchtriage.results.internal;

import java.util.List;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.twitchtriage.storage.SearchSql;

/** Runs {@link ResultsCriteria} against the stored resources, one page at a time, newest first. */
@Component
public class ResourceSearch {

    private final NamedParameterJdbcTemplate jdbc;

    ResourceSearch(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The resources as stored (their JSON). */
    public List<String> find(ResultsCriteria criteria, int offset, int limit) {
        if (criteria.matchesNothing() || limit == 0) {
            return List.of();
        }
        return search(criteria).jsonPage(jdbc, "resource_json", "last_updated desc, resource_key", offset, limit);
    }

    public int count(ResultsCriteria criteria) {
        return criteria.matchesNothing() ? 0 : search(criteria).count(jdbc);
    }

    private static SearchSql search(ResultsCriteria c) {
        return SearchSql.from("triage_resource")
                .equal("resource_type", c.resourceType())
                .equal("subject_id", c.subjectId())
                .equal("code_system", c.codeSystem())
                .equal("code_value", c.codeValue())
                .equal("value_system", c.valueSystem())
                .equal("value_code", c.valueCode())
                .equal("priority", c.priority())
                .equal("status", c.status())
                .equal("requisition", c.requisition())
                .equal("submission_id", c.submissionId())
                .atLeast("recorded", c.recordedFrom())
                .atMost("recorded", c.recordedTo());
    }
}

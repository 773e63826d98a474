package org.twitchtriage.intake.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** Runs {@link ResponseCriteria} against the stored responses, one page at a time. */
@Component
public class ResponseSearch {

    private final EntityManager entityManager;

    ResponseSearch(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public List<SubmittedResponse> find(ResponseCriteria criteria, int offset, int limit) {
        if (criteria.matchesNothing() || limit == 0) {
            return List.of();
        }
        CriteriaBuilder cb = entityManager.getCriteriaBuilder();
        CriteriaQuery<SubmittedResponse> query = cb.createQuery(SubmittedResponse.class);
        Root<SubmittedResponse> root = query.from(SubmittedResponse.class);
        query.where(predicates(cb, root, criteria)).orderBy(cb.desc(root.get("authoredLow")), cb.asc(root.get("id")));
        return entityManager
                .createQuery(query)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList();
    }

    public int count(ResponseCriteria criteria) {
        if (criteria.matchesNothing()) {
            return 0;
        }
        CriteriaBuilder cb = entityManager.getCriteriaBuilder();
        CriteriaQuery<Long> query = cb.createQuery(Long.class);
        Root<SubmittedResponse> root = query.from(SubmittedResponse.class);
        query.select(cb.count(root)).where(predicates(cb, root, criteria));
        return Math.toIntExact(entityManager.createQuery(query).getSingleResult());
    }

    private static Predicate[] predicates(CriteriaBuilder cb, Root<SubmittedResponse> root, ResponseCriteria c) {
        List<Predicate> where = new ArrayList<>();
        if (c.subjectId() != null) {
            where.add(cb.equal(root.get("subjectId"), c.subjectId()));
        }
        if (c.identifierValue() != null) {
            where.add(cb.equal(root.get("identifierValue"), c.identifierValue()));
        }
        if (c.identifierSystem() != null) {
            where.add(cb.equal(root.get("identifierSystem"), c.identifierSystem()));
        }
        if (c.questionnaireUrl() != null) {
            where.add(cb.equal(root.get("questionnaireUrl"), c.questionnaireUrl()));
        }
        if (c.questionnaireVersion() != null) {
            where.add(cb.equal(root.get("questionnaireVersion"), c.questionnaireVersion()));
        }
        if (c.authoredFrom() != null) {
            where.add(cb.greaterThanOrEqualTo(root.get("authoredHigh"), c.authoredFrom()));
        }
        if (c.authoredTo() != null) {
            where.add(cb.lessThanOrEqualTo(root.get("authoredLow"), c.authoredTo()));
        }
        if (c.status() != null) {
            where.add(cb.equal(root.get("status"), c.status()));
        }
        return where.toArray(Predicate[]::new);
    }
}

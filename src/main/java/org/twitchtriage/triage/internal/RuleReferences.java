package org.twitchtriage.triage.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;

/**
 * What one rules expression (a condition, a variable or a measure) refers to, read from its parsed FHIRPath
 * tree rather than its text, so that a quoted word or a comment never passes for a reference. The shapes
 * understood are listed in {@code docs/rule-checks.md}; anything outside them is described in
 * {@link #unclear()} instead of being guessed at.
 *
 * @param linkIds the linkIds named in {@code linkId = '...'} comparisons, in order of first appearance
 * @param variables the {@code %names} used, FHIRPath's built-in constants left out
 * @param reads the linkIds the expression reads, directly or through the variables it uses (transitively), in
 *     order of first appearance
 * @param comparisons where the answers of named items are compared with a literal code or boolean
 * @param unclear the parts the analysis does not understand, in words (expression fragments, never answers)
 * @param yields what the whole expression stands for; another expression using it as {@code %name} stands
 *     for the same items, answers or codes
 */
public record RuleReferences(
        List<String> linkIds,
        List<String> variables,
        List<String> reads,
        List<AnswerComparison> comparisons,
        List<String> unclear,
        Denotation yields) {

    private static final Set<String> BUILT_IN_CONSTANTS =
            Set.of("resource", "context", "rootResource", "ucum", "sct", "loinc");

    /**
     * Whether {@code %name} is a constant FHIRPath and the FHIR specification define ({@code %resource},
     * {@code %context}, {@code %vs-...}, {@code %ext-...} and the like): never a rules variable.
     */
    static boolean builtIn(String name) {
        return BUILT_IN_CONSTANTS.contains(name) || name.startsWith("vs-") || name.startsWith("ext-");
    }

    /** A variable's or measure's expression, whose value is used as it is. */
    public static RuleReferences of(ExpressionNode expression, Map<String, RuleReferences> variables) {
        return new ReferenceWalker(variables).walk(expression, false);
    }

    /**
     * A rule's condition, whose value is taken as true or false: a condition that is the answers of a
     * boolean item, as in {@code %persistentBox}, tests them against {@code true}.
     */
    public static RuleReferences ofCondition(ExpressionNode expression, Map<String, RuleReferences> variables) {
        return new ReferenceWalker(variables).walk(expression, true);
    }

    /** The kind of literal an item's answers are compared with. */
    enum LiteralType {
        CODE,
        BOOLEAN
    }

    /**
     * The answers of the items {@code linkIds} compared with a literal: {@code 'eyelid'} (a code) or
     * {@code true}. Several linkIds when one comparison covers the answers of several items at once.
     *
     * @param byCode whether the answers' codes ({@code answer.value.code}) were compared, rather than their
     *     values ({@code answer.value}), which for a choice item are codings that never equal a text
     */
    public record AnswerComparison(List<String> linkIds, LiteralType type, String value, boolean byCode) {}

    /**
     * What a (part of an) expression stands for, as far as the checks follow it: the response, its items, their
     * answers, the answers' values or their codes, an item's linkId, or anything else. {@code linkIds} names the
     * items, when they are known.
     */
    record Denotation(Kind kind, List<String> linkIds) {

        enum Kind {
            RESPONSE,
            ITEMS,
            ANSWERS,
            VALUES,
            CODES,
            LINK_ID,
            OTHER
        }

        static final Denotation RESPONSE = new Denotation(Kind.RESPONSE, List.of());
        static final Denotation ANY_ITEMS = new Denotation(Kind.ITEMS, List.of());
        static final Denotation LINK_ID = new Denotation(Kind.LINK_ID, List.of());
        static final Denotation OTHER = new Denotation(Kind.OTHER, List.of());

        Denotation {
            linkIds = List.copyOf(linkIds);
        }

        boolean named() {
            return !linkIds.isEmpty();
        }

        /** Answers, their values or their codes: what a comparison with a literal is checked against. */
        boolean answers() {
            return kind == Kind.ANSWERS || kind == Kind.VALUES || kind == Kind.CODES;
        }

        Denotation as(Kind other) {
            return new Denotation(other, linkIds);
        }
    }
}

package org.twitchtriage.triage.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Function;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Kind;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Operation;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FHIRConstant;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.StringType;
import org.twitchtriage.triage.internal.RuleReferences.AnswerComparison;
import org.twitchtriage.triage.internal.RuleReferences.Denotation;
import org.twitchtriage.triage.internal.RuleReferences.LiteralType;

/**
 * Walks one parsed FHIRPath expression in source order, following what each path stands for (items of the
 * response, narrowed by {@code linkId = '...'}; their answers; the answers' values and codes) and noting
 * every linkId, variable and comparison of answers with a literal. One walker per expression.
 *
 * <p>The parser leaves a binary operator on its left operand ({@code operation}, {@code opNext}), groups
 * runs of higher precedence into {@code Group} nodes, and chains path steps through {@code inner}.
 */
public final class ReferenceWalker {

    private static final Set<Operation> EQUALITY =
            EnumSet.of(Operation.Equals, Operation.Equivalent, Operation.NotEquals, Operation.NotEquivalent);
    private static final Set<Operation> SAME = EnumSet.of(Operation.Equals, Operation.Equivalent);
    private static final Set<Operation> LOGIC =
            EnumSet.of(Operation.And, Operation.Or, Operation.Xor, Operation.Implies);
    /** Functions whose result is some of their input: what it stands for is unchanged. */
    private static final Set<Function> SUBSETTING = EnumSet.of(
            Function.First,
            Function.Last,
            Function.Tail,
            Function.Single,
            Function.Distinct,
            Function.Skip,
            Function.Take,
            Function.Trace);
    /** Functions that turn any input into a count or a truth value, reading nothing more of it. */
    private static final Set<Function> SUMMARISING = EnumSet.of(
            Function.Exists,
            Function.Empty,
            Function.Count,
            Function.HasValue,
            Function.AllTrue,
            Function.AnyTrue,
            Function.AllFalse,
            Function.AnyFalse,
            Function.IsDistinct);

    /** The built-in constants that stand for the response the rules read. */
    private static final Set<String> RESPONSE_CONSTANTS = Set.of("resource", "context", "rootResource");

    private final Map<String, RuleReferences> variables;
    private final Set<String> linkIds = new LinkedHashSet<>();
    private final Set<String> used = new LinkedHashSet<>();
    private final Set<String> reads = new LinkedHashSet<>();
    private final List<AnswerComparison> comparisons = new ArrayList<>();
    private final Set<String> unclear = new LinkedHashSet<>();

    ReferenceWalker(Map<String, RuleReferences> variables) {
        this.variables = variables;
    }

    RuleReferences walk(ExpressionNode expression, boolean condition) {
        Denotation whole = expression(expression, Denotation.RESPONSE);
        if (condition) {
            truthValue(whole);
        }
        return new RuleReferences(
                List.copyOf(linkIds),
                List.copyOf(used),
                List.copyOf(reads),
                List.copyOf(comparisons),
                List.copyOf(unclear),
                whole);
    }

    /** A chain of operands joined by binary operators, evaluated left to right. */
    private Denotation expression(ExpressionNode first, Denotation focus) {
        if (first.getKind() == Kind.Unary) {
            expression(first.getOpNext(), focus);
            return Denotation.OTHER;
        }
        Operand left = operand(first, focus);
        for (ExpressionNode node = first;
                node.getOperation() != null && node.getOpNext() != null;
                node = node.getOpNext()) {
            Operation operation = node.getOperation();
            ExpressionNode next = node.getOpNext();
            if (operation == Operation.Is || operation == Operation.As) {
                // The right operand is a type name, not a path.
                left = operation == Operation.As ? left : Operand.of(Denotation.OTHER);
            } else if (next.getKind() == Kind.Unary) {
                expression(next, focus);
                return Denotation.OTHER;
            } else {
                left = Operand.of(combine(left, operation, operand(next, focus)));
            }
        }
        return left.denotation();
    }

    private Operand operand(ExpressionNode node, Denotation focus) {
        Base literal = literal(node);
        return literal != null ? new Operand(Denotation.OTHER, literal) : Operand.of(path(node, focus));
    }

    private static Base literal(ExpressionNode node) {
        if (node.getInner() != null) {
            return null;
        }
        if (node.getKind() == Kind.Constant && !(node.getConstant() instanceof FHIRConstant)) {
            return node.getConstant();
        }
        return plainGroup(node) && node.getGroup().getOperation() == null ? literal(node.getGroup()) : null;
    }

    private static boolean plainGroup(ExpressionNode node) {
        return node.getKind() == Kind.Group && node.getInner() == null;
    }

    private Denotation path(ExpressionNode node, Denotation focus) {
        Denotation current = term(node, focus);
        for (ExpressionNode step = node.getInner(); step != null; step = step.getInner()) {
            current = step.getKind() == Kind.Function ? function(current, step, focus) : child(current, step.getName());
        }
        return current;
    }

    private Denotation term(ExpressionNode node, Denotation focus) {
        return switch (node.getKind()) {
            case Name -> name(node.getName(), focus);
            case Function -> function(focus, node, focus);
            case Constant ->
                node.getConstant() instanceof FHIRConstant constant ? variable(constant.getValue()) : Denotation.OTHER;
            case Group -> expression(node.getGroup(), focus);
            case Unary -> expression(node, focus);
        };
    }

    private Denotation name(String name, Denotation focus) {
        if ("$this".equals(name)) {
            return focus;
        }
        if (focus.kind() == Denotation.Kind.RESPONSE && "QuestionnaireResponse".equals(name)) {
            return focus;
        }
        return name.startsWith("$") ? Denotation.OTHER : child(focus, name);
    }

    /** One step down a path: {@code item}, {@code answer}, {@code value}, {@code code}, {@code linkId}. */
    private Denotation child(Denotation parent, String name) {
        return switch (parent.kind()) {
            case RESPONSE -> "item".equals(name) ? Denotation.ANY_ITEMS : elsewhere(name);
            case ITEMS ->
                switch (name) {
                    case "item" -> Denotation.ANY_ITEMS;
                    case "linkId" -> Denotation.LINK_ID;
                    case "answer" -> answersOf(parent);
                    default -> Denotation.OTHER;
                };
            case ANSWERS ->
                switch (name) {
                    case "value" -> parent.as(Denotation.Kind.VALUES);
                    case "item" -> Denotation.ANY_ITEMS;
                    default -> Denotation.OTHER;
                };
            case VALUES -> "code".equals(name) ? parent.as(Denotation.Kind.CODES) : Denotation.OTHER;
            default -> elsewhere(name);
        };
    }

    private Denotation answersOf(Denotation items) {
        if (!items.named()) {
            unclear.add("reads the answers of items it does not name by linkId");
            return Denotation.OTHER;
        }
        return items.as(Denotation.Kind.ANSWERS);
    }

    private Denotation elsewhere(String name) {
        if ("answer".equals(name)) {
            unclear.add("reads answers it cannot be traced to a named item from");
        }
        return "linkId".equals(name) ? Denotation.LINK_ID : Denotation.OTHER;
    }

    private Denotation variable(String constant) {
        String name = constant.replaceFirst("^%", "").replace("`", "").replace("'", "");
        if (RuleReferences.builtIn(name)) {
            return RESPONSE_CONSTANTS.contains(name) ? Denotation.RESPONSE : Denotation.OTHER;
        }
        used.add(name);
        RuleReferences defined = variables.get(name);
        if (defined == null) {
            return Denotation.OTHER;
        }
        reads.addAll(defined.reads());
        return defined.yields();
    }

    private Denotation function(Denotation input, ExpressionNode call, Denotation enclosing) {
        Function function = call.getFunction();
        List<ExpressionNode> parameters = call.getParameters();
        if (function == Function.Where && parameters.size() == 1) {
            return where(input, parameters.get(0));
        }
        if (function == Function.Repeat || function == Function.Children || function == Function.Descendants) {
            parameters.forEach(p -> expression(p, input));
            return items(input) ? Denotation.ANY_ITEMS : Denotation.OTHER;
        }
        if (function == Function.Select && parameters.size() == 1) {
            return expression(parameters.get(0), input);
        }
        if ((function == Function.All || function == Function.Exists) && parameters.size() == 1) {
            truthValue(expression(parameters.get(0), input));
            return Denotation.OTHER;
        }
        if (function == Function.OfType || function == Function.As || function == Function.Is) {
            return function == Function.Is ? Denotation.OTHER : input;
        }
        if (function == Function.Iif || function == Function.Today || function == Function.Now) {
            // These read nothing of their input: their parameters are read as the enclosing expression is.
            parameters.forEach(p -> expression(p, enclosing));
            return Denotation.OTHER;
        }
        if (function == Function.Not) {
            truthValue(input);
            return Denotation.OTHER;
        }
        parameters.forEach(p -> expression(p, enclosing));
        if (SUBSETTING.contains(function)) {
            return input;
        }
        if (!SUMMARISING.contains(function) && (input.answers() || input.kind() == Denotation.Kind.LINK_ID)) {
            unclear.add("applies " + call.getName() + "() to " + describe(input));
        }
        return Denotation.OTHER;
    }

    private static boolean items(Denotation denotation) {
        return denotation.kind() == Denotation.Kind.RESPONSE || denotation.kind() == Denotation.Kind.ITEMS;
    }

    /**
     * {@code where} over items keeps those its {@code linkId = '...'} term names (a term of an {@code and},
     * or an {@code or} of such comparisons); its other terms read the kept items. Over anything else the
     * criteria read each element, and the result stands for what the input stood for.
     */
    private Denotation where(Denotation input, ExpressionNode criteria) {
        if (input.kind() != Denotation.Kind.ITEMS) {
            truthValue(expression(criteria, input));
            return input;
        }
        List<ExpressionNode> terms = operands(criteria, Operation.And);
        boolean split = terms.size() > 1;
        List<String> kept = null;
        for (ExpressionNode term : split ? terms : List.of(criteria)) {
            List<String> named = linkIdChoice(term, split);
            if (named != null && kept == null) {
                kept = named;
            }
        }
        Denotation element = kept == null ? input : new Denotation(Denotation.Kind.ITEMS, kept);
        for (ExpressionNode term : split ? terms : List.of(criteria)) {
            List<String> named = linkIdChoice(term, split);
            if (named != null) {
                named.forEach(this::name);
            } else {
                truthValue(split ? operand(term, element).denotation() : expression(term, element));
            }
        }
        return element;
    }

    /**
     * The linkIds a term names if it only tests the linkId against literals ({@code linkId = 'a'}, or an
     * {@code or} of such comparisons, in any brackets); otherwise null. {@code alone}: the term is one operand of
     * a chain, not the chain itself.
     */
    private static List<String> linkIdChoice(ExpressionNode term, boolean alone) {
        if (alone) {
            return plainGroup(term) ? linkIdChoice(term.getGroup(), false) : null;
        }
        List<ExpressionNode> operands = operands(term, null);
        if (operands.size() == 1) {
            return plainGroup(term) ? linkIdChoice(term.getGroup(), false) : null;
        }
        if (operands.size() == 2 && SAME.contains(term.getOperation())) {
            String linkId = linkIdEquality(operands.get(0), operands.get(1));
            return linkId == null ? null : List.of(linkId);
        }
        if (operands.size() != operands(term, Operation.Or).size()) {
            return null;
        }
        List<String> all = new ArrayList<>();
        for (ExpressionNode operand : operands) {
            List<String> named = linkIdChoice(operand, true);
            if (named == null) {
                return null;
            }
            all.addAll(named);
        }
        return all;
    }

    private static String linkIdEquality(ExpressionNode left, ExpressionNode right) {
        if (isLinkId(left) && literal(right) instanceof StringType text) {
            return text.getValue();
        }
        if (isLinkId(right) && literal(left) instanceof StringType text) {
            return text.getValue();
        }
        return null;
    }

    private static boolean isLinkId(ExpressionNode node) {
        return node.getKind() == Kind.Name && "linkId".equals(node.getName()) && node.getInner() == null;
    }

    /**
     * The operands of the chain starting at {@code first} while the operators are {@code only} (any operator
     * when null); a chain of one operand when its first operator is another.
     */
    private static List<ExpressionNode> operands(ExpressionNode first, Operation only) {
        List<ExpressionNode> operands = new ArrayList<>(List.of(first));
        for (ExpressionNode node = first;
                node.getKind() != Kind.Unary && node.getOperation() != null && node.getOpNext() != null;
                node = node.getOpNext()) {
            if (only != null && node.getOperation() != only) {
                return List.of(first);
            }
            operands.add(node.getOpNext());
        }
        return operands;
    }

    private Denotation combine(Operand left, Operation operation, Operand right) {
        if (LOGIC.contains(operation)) {
            truthValue(left.denotation());
            truthValue(right.denotation());
        } else if (left.denotation().kind() == Denotation.Kind.LINK_ID) {
            linkIdComparison(operation, right);
        } else if (right.denotation().kind() == Denotation.Kind.LINK_ID) {
            linkIdComparison(operation, left);
        } else if (EQUALITY.contains(operation)) {
            if (left.denotation().answers()) {
                compare(left.denotation(), right);
            } else if (right.denotation().answers()) {
                compare(right.denotation(), left);
            }
        } else if (operation == Operation.Contains && left.denotation().answers()) {
            compare(left.denotation(), right);
        } else if (operation == Operation.In && right.denotation().answers()) {
            compare(right.denotation(), left);
        } else if (left.denotation().answers() || right.denotation().answers()) {
            Denotation answers = left.denotation().answers() ? left.denotation() : right.denotation();
            unclear.add("uses " + describe(answers) + " with the operator '" + operation.toCode() + "'");
        }
        return Denotation.OTHER;
    }

    private void linkIdComparison(Operation operation, Operand other) {
        if (other.literal() instanceof StringType text) {
            name(text.getValue());
            if (!SAME.contains(operation)) {
                unclear.add("tests linkId '" + text.getValue() + "' with the operator '" + operation.toCode() + "'");
            }
        } else {
            unclear.add("compares linkId with something other than a text literal");
        }
    }

    private void compare(Denotation answers, Operand other) {
        if (answers.kind() == Denotation.Kind.ANSWERS) {
            unclear.add("compares " + describe(answers) + " themselves, not their values");
        } else if (other.literal() instanceof StringType text) {
            comparisons.add(
                    new AnswerComparison(answers.linkIds(), LiteralType.CODE, text.getValue(), byCode(answers)));
        } else if (other.literal() instanceof BooleanType truth) {
            comparisons.add(new AnswerComparison(
                    answers.linkIds(), LiteralType.BOOLEAN, truth.asStringValue(), byCode(answers)));
        } else if (other.literal() != null) {
            unclear.add("compares " + describe(answers) + " with the "
                    + other.literal().fhirType() + " " + other.literal().primitiveValue());
        } else {
            unclear.add("compares " + describe(answers) + " with something other than a literal");
        }
    }

    /** A value taken as true or false: the answers of boolean items are tested against true. */
    private void truthValue(Denotation denotation) {
        if (denotation.kind() == Denotation.Kind.VALUES) {
            comparisons.add(new AnswerComparison(denotation.linkIds(), LiteralType.BOOLEAN, "true", false));
        } else if (denotation.answers()) {
            unclear.add("takes " + describe(denotation) + " as true or false");
        }
    }

    private static boolean byCode(Denotation answers) {
        return answers.kind() == Denotation.Kind.CODES;
    }

    private void name(String linkId) {
        linkIds.add(linkId);
        reads.add(linkId);
    }

    private static String describe(Denotation denotation) {
        String what = denotation.kind() == Denotation.Kind.LINK_ID ? "linkId" : "the answers";
        return denotation.named() ? what + " of " + quoted(denotation.linkIds()) : what;
    }

    static String quoted(List<String> linkIds) {
        return linkIds.stream().map(l -> "'" + l + "'").collect(Collectors.joining(", "));
    }

    private record Operand(Denotation denotation, Base literal) {

        static Operand of(Denotation denotation) {
            return new Operand(denotation, null);
        }
    }
}

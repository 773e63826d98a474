package org.twitchtriage.triage.internal;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FHIRConstant;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FunctionDetails;
import org.hl7.fhir.r4.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r4.fhirpath.TypeDetails;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.utilities.fhirpath.FHIRPathConstantEvaluationMode;

/**
 * FHIRPath over R4 resources with named variables ({@code %name}). Expressions are parsed once;
 * evaluation uses one engine per thread, since the engine keeps state while it evaluates.
 *
 * <p>Nearly every triage expression starts from {@code repeat(item)}: all the response's items, at every
 * depth. The engine computes that anew for each expression, comparing each item found with each one before
 * it, which made it the larger part of a triage. So an expression that takes {@code repeat(item)} of its focus
 * is evaluated from a second parse of it in which that call reads a list the engine computed once for the
 * focus (with the same call, so the same items in the same order); the list is kept in the variables map
 * of the evaluation, which is why the map must be mutable. The first parse, which callers hold and analyse,
 * is never changed.
 *
 * <p>Most of those go on with {@code where(linkId = '...')}: one item out of all of them, found by comparing
 * each item's linkId, again in every expression. In the second parse that pair reads the items with that
 * linkId from an index built once for the focus's items (the same items, in the same order, as the
 * {@code where} keeps).
 */
public final class FhirPath {

    /** Where an evaluation keeps the items of its focus: no name a rules artifact can declare has a space. */
    private static final String ITEMS = " repeat(item)";

    /** The name of the items of the focus with one linkId: this, then the linkId. */
    private static final String WITH_LINK_ID = " items with linkId ";

    private final ThreadLocal<FHIRPathEngine> engines;
    private final ExpressionNode repeatItem;
    /** The second parse of each expression that takes repeat(item) of its focus, by the first (identity). */
    private final Map<ExpressionNode, ExpressionNode> reading = new ConcurrentHashMap<>();

    public FhirPath(FhirContext fhirContext) {
        HapiWorkerContext worker = new HapiWorkerContext(fhirContext, fhirContext.getValidationSupport());
        this.engines = ThreadLocal.withInitial(() -> {
            FHIRPathEngine engine = new FHIRPathEngine(worker);
            engine.setHostServices(new Variables());
            return engine;
        });
        this.repeatItem = engines.get().parse("repeat(item)");
    }

    /** Parses an expression; throws {@link FHIRException} with the parser's message when it is malformed. */
    ExpressionNode parse(String expression) {
        FHIRPathEngine engine = engines.get();
        ExpressionNode parsed = engine.parse(expression);
        ExpressionNode second = engine.parse(expression);
        if (readItems(second)) {
            reading.put(parsed, second);
        }
        return parsed;
    }

    /**
     * Evaluates over {@code focus}, resolving {@code %name} from {@code variables}; the map must be mutable, and
     * be used for one focus only while it is (see the class comment).
     */
    public List<Base> evaluate(Base focus, ExpressionNode expression, Map<String, List<Base>> variables) {
        FHIRPathEngine engine = engines.get();
        ExpressionNode second = reading.get(expression);
        if (second == null) {
            return engine.evaluate(variables, focus, expression);
        }
        if (!(variables.get(ITEMS) instanceof Items items && items.focus == focus)) {
            variables.put(ITEMS, new Items(focus, engine.evaluate(variables, focus, repeatItem)));
        }
        return engine.evaluate(variables, focus, second);
    }

    /** The second parse an expression is evaluated from, or null if it is evaluated as parsed (for tests). */
    ExpressionNode reading(ExpressionNode parsed) {
        return reading.get(parsed);
    }

    /** What {@code repeat(item)} gave for one focus, and those items by linkId once one is asked for. */
    private static final class Items extends ArrayList<Base> {

        private final transient Base focus;
        private transient Map<String, List<Base>> byLinkId;

        Items(Base focus, List<Base> items) {
            super(items);
            this.focus = focus;
        }

        /** The items whose linkId is exactly {@code linkId}, in order: what {@code where(linkId = '...')} keeps. */
        List<Base> withLinkId(String linkId) {
            if (byLinkId == null) {
                Map<String, List<Base>> index = new HashMap<>();
                for (Base item : this) {
                    String value = linkId(item);
                    if (value != null) {
                        index.computeIfAbsent(value, key -> new ArrayList<>(1)).add(item);
                    }
                }
                byLinkId = index;
            }
            return byLinkId.getOrDefault(linkId, List.of());
        }

        private static String linkId(Base item) {
            if (item instanceof QuestionnaireResponseItemComponent responseItem) {
                return responseItem.getLinkId();
            }
            Property property = item.getChildByName("linkId");
            if (property == null || property.getValues().size() != 1) {
                return null;
            }
            return property.getValues().get(0).primitiveValue();
        }
    }

    /**
     * Makes each {@code repeat(item)} call evaluated against the focus of the whole expression read the
     * focus's items instead: the first node of the expression, and of each operand and group evaluated against
     * that same focus (not the arguments of functions, which have other foci). Says whether it changed any.
     */
    private static boolean readItems(ExpressionNode first) {
        boolean changed = false;
        for (ExpressionNode node = first; node != null; node = node.getOpNext()) {
            if (isRepeatItem(node)) {
                node.setKind(ExpressionNode.Kind.Constant);
                node.setFunction(null);
                node.setName(null);
                node.getParameters().clear();
                String linkId = whereLinkId(node.getInner());
                if (linkId == null) {
                    node.setConstant(new FHIRConstant("%" + ITEMS));
                } else {
                    node.setConstant(new FHIRConstant("%" + WITH_LINK_ID + linkId));
                    node.setInner(node.getInner().getInner());
                }
                changed = true;
            } else if (node.getKind() == ExpressionNode.Kind.Group) {
                changed |= readItems(node.getGroup());
            }
        }
        return changed;
    }

    /** The linkId of a call {@code where(linkId = 'text')}, and nothing more in it; null for anything else. */
    private static String whereLinkId(ExpressionNode node) {
        if (node == null
                || node.getKind() != ExpressionNode.Kind.Function
                || node.getFunction() != ExpressionNode.Function.Where
                || node.getParameters().size() != 1
                || node.getOperation() != null
                || node.getOpNext() != null) {
            return null;
        }
        ExpressionNode left = node.getParameters().get(0);
        if (left.getKind() != ExpressionNode.Kind.Name
                || !"linkId".equals(left.getName())
                || left.getInner() != null
                || left.getOperation() != ExpressionNode.Operation.Equals) {
            return null;
        }
        ExpressionNode right = left.getOpNext();
        if (right == null
                || right.getKind() != ExpressionNode.Kind.Constant
                || !(right.getConstant() instanceof StringType text)
                || right.getInner() != null
                || right.getOperation() != null
                || right.getOpNext() != null
                || text.getValue() == null) {
            return null;
        }
        return text.getValue();
    }

    private static boolean isRepeatItem(ExpressionNode node) {
        if (node.getKind() != ExpressionNode.Kind.Function
                || node.getFunction() != ExpressionNode.Function.Repeat
                || node.getParameters().size() != 1) {
            return false;
        }
        ExpressionNode argument = node.getParameters().get(0);
        return argument.getKind() == ExpressionNode.Kind.Name
                && "item".equals(argument.getName())
                && argument.getInner() == null
                && argument.getOperation() == null;
    }

    /** Resolves %name constants from the map passed as the evaluation's application context. */
    private static final class Variables implements IHostApplicationServices {

        @Override
        @SuppressWarnings("unchecked")
        public List<Base> resolveConstant(
                FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode)
                throws PathEngineException {
            // The engine also asks about every plain name (mode IMPLICIT_*); an empty answer lets it resolve them.
            if (mode != FHIRPathConstantEvaluationMode.EXPLICIT || !(appContext instanceof Map<?, ?> variables)) {
                return new ArrayList<>();
            }
            String key = name.startsWith("%") ? name.substring(1) : name;
            if (key.startsWith(WITH_LINK_ID) && variables.get(ITEMS) instanceof Items items) {
                return new ArrayList<>(items.withLinkId(key.substring(WITH_LINK_ID.length())));
            }
            List<Base> value = ((Map<String, List<Base>>) variables).get(key);
            if (value == null) {
                throw new PathEngineException("Unknown variable %" + key);
            }
            return new ArrayList<>(value);
        }

        @Override
        public TypeDetails resolveConstantType(
                FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode) {
            return null;
        }

        @Override
        public boolean log(String argument, List<Base> focus) {
            return false;
        }

        @Override
        public FunctionDetails resolveFunction(FHIRPathEngine engine, String functionName) {
            return null;
        }

        @Override
        public TypeDetails checkFunction(
                FHIRPathEngine engine,
                Object appContext,
                String functionName,
                TypeDetails focus,
                List<TypeDetails> parameters)
                throws PathEngineException {
            return null;
        }

        @Override
        public List<Base> executeFunction(
                FHIRPathEngine engine,
                Object appContext,
                List<Base> focus,
                String functionName,
                List<List<Base>> parameters) {
            return null;
        }

        @Override
        public Base resolveReference(FHIRPathEngine engine, Object appContext, String url, Base refContext) {
            return null;
        }

        @Override
        public boolean conformsToProfile(FHIRPathEngine engine, Object appContext, Base item, String url) {
            return false;
        }

        @Override
        public ValueSet resolveValueSet(FHIRPathEngine engine, Object appContext, String url) {
            return null;
        }

        @Override
        public boolean paramIsType(String name, int index) {
            return false;
        }
    }
}

package org.twitchtriage.triage.internal;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
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
 */
public final class FhirPath {

    /** Where an evaluation keeps the items of its focus: no name a rules artifact can declare has a space. */
    private static final String ITEMS = " repeat(item)";

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

    /** What {@code repeat(item)} gave for one focus. */
    private static final class Items extends ArrayList<Base> {

        private final transient Base focus;

        Items(Base focus, List<Base> items) {
            super(items);
            this.focus = focus;
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
                node.setConstant(new FHIRConstant("%" + ITEMS));
                changed = true;
            } else if (node.getKind() == ExpressionNode.Kind.Group) {
                changed |= readItems(node.getGroup());
            }
        }
        return changed;
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

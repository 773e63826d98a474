package org.twitchtriage.triage.internal;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
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
 */
public final class FhirPath {

    private final ThreadLocal<FHIRPathEngine> engines;

    public FhirPath(FhirContext fhirContext) {
        HapiWorkerContext worker = new HapiWorkerContext(fhirContext, fhirContext.getValidationSupport());
        this.engines = ThreadLocal.withInitial(() -> {
            FHIRPathEngine engine = new FHIRPathEngine(worker);
            engine.setHostServices(new Variables());
            return engine;
        });
    }

    /** Parses an expression; throws {@link FHIRException} with the parser's message when it is malformed. */
    ExpressionNode parse(String expression) {
        return engines.get().parse(expression);
    }

    /** Evaluates over {@code focus}, resolving {@code %name} from {@code variables}. */
    public List<Base> evaluate(Base focus, ExpressionNode expression, Map<String, List<Base>> variables) {
        return engines.get().evaluate(variables, focus, expression);
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

package org.twitchtriage.intake;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.twitchtriage.fhir.OperationOutcomes;
import org.twitchtriage.intake.internal.Rejections;
import org.twitchtriage.intake.internal.SubmissionBundles;
import org.twitchtriage.questionnaire.ConformanceContentLoader;
import org.twitchtriage.questionnaire.ConformanceRegistry;
import org.twitchtriage.questionnaire.QuestionnaireCatalog;
import org.twitchtriage.questionnaire.QuestionnaireProperties;
import org.twitchtriage.triage.TriageDocuments;
import org.twitchtriage.triage.TriageEngine;
import org.twitchtriage.triage.TriageProperties;
import org.twitchtriage.triage.TriageRules;

/**
 * {@code java -jar twitch-triage.jar triage FILE.json}: validates and triages one QuestionnaireResponse
 * from a file, with no server and no database, and prints the Bundle $triage would return. An invalid
 * response prints its OperationOutcome and exits with 1; wrong usage exits with 2. Settings come from
 * the environment as for the server (e.g. {@code TRIAGE_REQUESTER_ORGANIZATION}).
 */
public final class TriageCommand {

    public static final String NAME = "triage";

    private TriageCommand() {}

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        quietLogging();
        if (args.size() != 1) {
            err.println("usage: java -jar twitch-triage.jar triage FILE.json");
            return 2;
        }
        FhirContext fhirContext = FhirContext.forR4();
        fhirContext.setParserErrorHandler(new StrictErrorHandler());
        String json;
        try {
            json = Files.readString(Path.of(args.get(0)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("cannot read " + args.get(0) + ": " + e.getClass().getSimpleName());
            return 2;
        }
        IBaseResource result;
        int status;
        try {
            QuestionnaireResponse response =
                    fhirContext.newJsonParser().parseResource(QuestionnaireResponse.class, json);
            result = SubmissionBundles.of(triage(fhirContext).preview(response), "");
            status = 0;
        } catch (DataFormatException e) {
            result = OperationOutcomes.error(OperationOutcome.IssueType.STRUCTURE, e.getMessage());
            status = 1;
        } catch (SubmissionRejectedException e) {
            result = Rejections.outcome(e.problems());
            status = 1;
        }
        out.println(fhirContext.newJsonParser().setPrettyPrint(true).encodeResourceToString(result));
        return status;
    }

    private static ResponseTriage triage(FhirContext fhirContext) {
        Binder settings = Binder.get(new StandardEnvironment());
        QuestionnaireProperties content = settings.bindOrCreate("questionnaire", QuestionnaireProperties.class);
        TriageProperties triage = settings.bindOrCreate("triage", TriageProperties.class);
        ConformanceRegistry registry =
                new ConformanceRegistry(new ConformanceContentLoader(fhirContext).load(content.contentLocations()));
        TriageEngine engine = new TriageEngine(fhirContext);
        SubmissionValidator validator = new SubmissionValidator(new QuestionnaireCatalog(registry), false, () -> null);
        return new ResponseTriage(
                validator,
                new TriageRules(registry, engine),
                engine,
                new TriageDocuments(triage, TriageCommand.class.getPackage().getImplementationVersion()),
                Clock.systemUTC());
    }

    /** Logs at WARN and above, to standard error, so standard output holds only what a command prints. */
    public static void quietLogging() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger{20} - %msg%n");
        encoder.start();
        ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(appender);
    }
}

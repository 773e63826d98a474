package org.twitchtriage.simulation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.bind.Binder;
import org.twitchtriage.intake.IntakeProperties;
import org.twitchtriage.intake.ResponseTriage;
import org.twitchtriage.intake.SubmissionValidator;
import org.twitchtriage.intake.TriageCommand;
import org.twitchtriage.questionnaire.InvalidContentException;
import org.twitchtriage.questionnaire.ProfileValidator;
import org.twitchtriage.questionnaire.QuestionnaireProperties;
import org.twitchtriage.simulation.internal.CommandSettings;
import org.twitchtriage.simulation.internal.FolderResponses;
import org.twitchtriage.simulation.internal.ReportWriter;
import org.twitchtriage.simulation.internal.ResponseBatch;
import org.twitchtriage.simulation.internal.ResponseParser;
import org.twitchtriage.simulation.internal.ResponsesUnreadableException;
import org.twitchtriage.simulation.internal.RuleChangeSimulation;
import org.twitchtriage.simulation.internal.SimulatedContent;
import org.twitchtriage.simulation.internal.SimulationOptions;
import org.twitchtriage.simulation.internal.SimulationReport;
import org.twitchtriage.simulation.internal.StoredResponses;
import org.twitchtriage.triage.TriageDocuments;
import org.twitchtriage.triage.TriageEngine;
import org.twitchtriage.triage.TriageProperties;

/**
 * {@code java -jar twitch-triage.jar simulate --rules=FOLDER (--responses=FOLDER | --stored)}: triages
 * responses with the published content (the settings' content locations) and with the candidate content
 * (the same, with FOLDER's {@code *.json} laid over it as an added content location would be), and reports
 * each response triaged differently. No server; with {@code --stored}, the database the settings name is
 * only read. Exit codes: {@value #DONE} done, {@value #INVALID_ARGUMENTS} invalid arguments,
 * {@value #CONTENT_REFUSED} content refused, {@value #RESPONSES_UNREADABLE} responses could not be read.
 */
public final class SimulateCommand {

    public static final String NAME = "simulate";

    static final int DONE = 0;
    static final int INVALID_ARGUMENTS = 1;
    static final int CONTENT_REFUSED = 2;
    static final int RESPONSES_UNREADABLE = 3;

    private SimulateCommand() {}

    /** The command as run from {@code main}: logging is quietened to warnings on standard error first. */
    public static int run(List<String> arguments, PrintStream out, PrintStream err) {
        // Warnings and errors only, on standard error, so standard output holds only the report.
        TriageCommand.quietLogging();
        return execute(arguments, out, err);
    }

    static int execute(List<String> arguments, PrintStream out, PrintStream err) {
        SimulationOptions options;
        try {
            options = SimulationOptions.parse(arguments);
            checkContentFolder(options.rules());
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(SimulationOptions.USAGE);
            return INVALID_ARGUMENTS;
        }
        CommandSettings settings = CommandSettings.read(options.settings());
        List<String> locations = settings.binder()
                .bindOrCreate("questionnaire", QuestionnaireProperties.class)
                .contentLocations();
        FhirContext fhirContext = FhirContext.forR4();
        fhirContext.setParserErrorHandler(new StrictErrorHandler());
        TriageEngine engine = new TriageEngine(fhirContext);
        SimulatedContent current;
        SimulatedContent candidate;
        try {
            current = SimulatedContent.load(fhirContext, engine, locations);
        } catch (InvalidContentException e) {
            err.println("The current content is refused: " + e.getMessage());
            return CONTENT_REFUSED;
        }
        try {
            candidate = SimulatedContent.load(fhirContext, engine, withCandidate(locations, options.rules()));
        } catch (InvalidContentException e) {
            err.println("The candidate content in " + options.rules() + " is refused: " + e.getMessage());
            return CONTENT_REFUSED;
        }
        ResponseBatch batch;
        try {
            batch = responses(options, settings, new ResponseParser(fhirContext));
        } catch (ResponsesUnreadableException e) {
            err.println(e.getMessage());
            return RESPONSES_UNREADABLE;
        }
        SimulationReport report = new RuleChangeSimulation(
                        intake(current, fhirContext, engine, settings.binder()),
                        current.rules(),
                        candidate.rules(),
                        engine)
                .run(batch);
        if (report.currentRules().equals(report.candidateRules())) {
            err.println("Note: the candidate rules are the current ones. New rules take over only as an active"
                    + " PlanDefinition with the same url and a higher version.");
        }
        if (options.json()) {
            ReportWriter.json(report, out);
        } else {
            ReportWriter.text(report, out);
        }
        return DONE;
    }

    /** The locations a server started with FOLDER added to its content locations would read. */
    static List<String> withCandidate(List<String> locations, Path folder) {
        List<String> all = new ArrayList<>(locations);
        all.add("file:" + folder.toAbsolutePath().normalize() + "/*.json");
        return all;
    }

    private static void checkContentFolder(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--rules: " + folder + " is not a folder");
        }
        try (Stream<Path> files = Files.list(folder)) {
            if (files.noneMatch(f -> f.getFileName().toString().endsWith(".json"))) {
                throw new IllegalArgumentException("--rules: " + folder + " holds no *.json files");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "--rules: cannot list " + folder + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static ResponseBatch responses(SimulationOptions options, CommandSettings settings, ResponseParser parser) {
        if (options.stored()) {
            return new StoredResponses(parser)
                    .read(
                            settings.get("spring.datasource.url", ""),
                            settings.get("spring.datasource.username", ""),
                            settings.get("spring.datasource.password", ""));
        }
        return new FolderResponses(parser).read(options.responses());
    }

    /** Validation as intake runs it on the current content, with the same settings. */
    private static ResponseTriage intake(
            SimulatedContent current, FhirContext fhirContext, TriageEngine engine, Binder settings) {
        boolean fullValidation =
                settings.bindOrCreate("intake", IntakeProperties.class).fullValidation();
        SubmissionValidator validator = new SubmissionValidator(
                current.catalog(), fullValidation, () -> new ProfileValidator(fhirContext, current.registry()));
        return new ResponseTriage(
                validator,
                current.rules(),
                engine,
                new TriageDocuments(
                        settings.bindOrCreate("triage", TriageProperties.class),
                        SimulateCommand.class.getPackage().getImplementationVersion()),
                Clock.systemUTC());
    }
}

package org.twitchtriage.questionnaire.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twitchtriage.questionnaire.InvalidContentException;
import org.twitchtriage.questionnaire.Versions;

/**
 * Lays the content locations over each other, in the order the settings give them (the packaged content
 * first). A url|version is one content for ever: a copy of it is taken once, a different content under it
 * is refused, because every Observation names the rules that ran by url|version. An active resource from
 * one location supersedes the lower versions of its url from the other locations, which are then published
 * as {@code retired}; within one location, versions keep the status their files give them. Afterwards at
 * most one version of a rules artifact (PlanDefinition) may be active.
 */
public final class ContentLayers {

    private static final Logger log = LoggerFactory.getLogger(ContentLayers.class);

    private ContentLayers() {}

    public static List<MetadataResource> resolve(List<ContentFile> files) {
        List<ContentFile> distinct = withoutCopies(files);
        retireSuperseded(distinct);
        checkOneActiveRulesVersion(distinct);
        return distinct.stream().map(ContentFile::resource).toList();
    }

    private static List<ContentFile> withoutCopies(List<ContentFile> files) {
        Map<String, ContentFile> firstByCanonical = new LinkedHashMap<>();
        List<ContentFile> kept = new ArrayList<>();
        for (ContentFile file : files) {
            if (!file.versioned()) {
                kept.add(file); // the registry names what is missing
                continue;
            }
            ContentFile first = firstByCanonical.putIfAbsent(file.type() + " " + file.canonical(), file);
            if (first == null) {
                kept.add(file);
            } else if (!sameContent(first.resource(), file.resource())) {
                throw new InvalidContentException(file.type() + " " + file.canonical() + " has different content in "
                        + first.file() + " and in " + file.file() + ": a change needs a new version (and an id of its"
                        + " own), so that every result names the content that really produced it");
            }
        }
        return kept;
    }

    /** Equal but for {@code meta} and {@code text}, which say nothing of what the resource means. */
    private static boolean sameContent(MetadataResource first, MetadataResource second) {
        return comparable(first).equalsDeep(comparable(second));
    }

    private static MetadataResource comparable(MetadataResource resource) {
        MetadataResource copy = resource.copy();
        copy.setMeta(null);
        copy.setText(null);
        return copy;
    }

    private static void retireSuperseded(List<ContentFile> files) {
        Map<String, List<ContentFile>> byUrl = new LinkedHashMap<>();
        files.stream()
                .filter(ContentFile::versioned)
                .forEach(
                        f -> byUrl.computeIfAbsent(f.type() + " " + f.resource().getUrl(), k -> new ArrayList<>())
                                .add(f));
        for (List<ContentFile> versions : byUrl.values()) {
            // Decided on the statuses the files give, so the outcome does not depend on the order of retiring.
            List<ContentFile> active = versions.stream()
                    .filter(f -> f.resource().getStatus() == PublicationStatus.ACTIVE)
                    .toList();
            for (ContentFile newer : active) {
                for (ContentFile older : versions) {
                    if (supersedes(newer, older)) {
                        retire(newer, older);
                    }
                }
            }
        }
    }

    private static boolean supersedes(ContentFile newer, ContentFile older) {
        return newer.location() != older.location()
                && Versions.compare(
                                newer.resource().getVersion(), older.resource().getVersion())
                        > 0;
    }

    /** Two active versions of one rules artifact would leave it to chance which rules triage a response. */
    private static void checkOneActiveRulesVersion(List<ContentFile> files) {
        Map<String, List<ContentFile>> activeByUrl = new LinkedHashMap<>();
        files.stream()
                .filter(f -> f.versioned()
                        && f.resource() instanceof PlanDefinition
                        && f.resource().getStatus() == PublicationStatus.ACTIVE)
                .forEach(f -> activeByUrl
                        .computeIfAbsent(f.resource().getUrl(), k -> new ArrayList<>())
                        .add(f));
        activeByUrl.forEach((url, active) -> {
            if (active.size() > 1) {
                throw new InvalidContentException("PlanDefinition " + url + " has " + active.size()
                        + " active versions ("
                        + String.join(
                                ", ", active.stream().map(ContentFile::file).toList())
                        + "); only one version of a rules artifact may be active: retire the others, or publish the"
                        + " new version from a later content location so that it supersedes them");
            }
        });
    }

    private static void retire(ContentFile newer, ContentFile older) {
        String id = newer.resource().getIdElement().getIdPart();
        if (id != null && id.equals(older.resource().getIdElement().getIdPart())) {
            throw new InvalidContentException(newer.type() + " " + newer.canonical() + " in " + newer.file()
                    + " supersedes version " + older.resource().getVersion() + " in " + older.file()
                    + " but keeps its id '" + id + "': give the new version an id of its own (e.g. '" + id + "-"
                    + newer.resource().getVersion() + "'), so that links to the old version keep working");
        }
        older.resource().setStatus(PublicationStatus.RETIRED);
        log.info(
                "{} {} version {} supersedes version {}: version {} is published as retired",
                newer.type(),
                newer.resource().getUrl(),
                newer.resource().getVersion(),
                older.resource().getVersion(),
                older.resource().getVersion());
    }
}

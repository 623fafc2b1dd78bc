package kz.qatysu.sync.timetable;

import kz.qatysu.connectors.portal.Enrolment;
import kz.qatysu.connectors.portal.Person;
import kz.qatysu.connectors.portal.PortalReader;
import kz.qatysu.connectors.portal.RecordError;
import kz.qatysu.connectors.portal.Section;
import kz.qatysu.connectors.portal.SourceBatch;
import kz.qatysu.connectors.portal.TimetableEntry;
import kz.qatysu.sync.engine.JobContext;
import kz.qatysu.sync.engine.JobInput;
import kz.qatysu.sync.engine.SourceRead;
import kz.qatysu.sync.engine.SyncJob;
import kz.qatysu.sync.engine.SyncStep;
import kz.qatysu.sync.sections.SectionRules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code timetable} job: portal timetable → Moodle course calendar events and → the tool's sessions (so the
 * timetable becomes the sessions attendance is taken in), plus the video-capacity report.
 */
public final class TimetableJob implements SyncJob {
    public static final String NAME = "timetable";
    /** Every night at 03:00, after sections. */
    public static final String DEFAULT_CRON = "0 0 3 * * ?";

    private final PortalReader portal;
    private final TimetableRules rules;
    private final Optional<MoodleEventsTarget> moodle;
    private final Optional<ToolSessionsTarget> tool;
    private final int capacityWithCameras;
    private final int capacityWithoutCameras;

    public TimetableJob(PortalReader portal, TimetableRules rules, Optional<MoodleEventsTarget> moodle, Optional<ToolSessionsTarget> tool,
                        int capacityWithCameras, int capacityWithoutCameras) {
        this.portal = Objects.requireNonNull(portal, "portal");
        this.rules = rules;
        this.moodle = moodle;
        this.tool = tool;
        this.capacityWithCameras = capacityWithCameras;
        this.capacityWithoutCameras = capacityWithoutCameras;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobInput prepare(JobContext context) {
        SourceBatch<Section> sections = portal.sections();
        SourceBatch<TimetableEntry> timetable = portal.timetable();
        Map<String, Section> byCode = new HashMap<>();
        sections.records().forEach(s -> byCode.put(s.code(), s));
        List<RecordError> errors = new ArrayList<>(timetable.errors());
        List<TimetableEntry> entries = new ArrayList<>();
        for (TimetableEntry e : timetable.records()) {
            if (byCode.containsKey(e.sectionCode())) {
                entries.add(e);
            } else {
                errors.add(new RecordError("timetable", e.id(), "section", e.sectionCode(), "no such section in the sections export"));
            }
        }
        Map<String, List<TimetableEntry>> bySection = new LinkedHashMap<>();
        sections.records().forEach(s -> bySection.put(s.code(), new ArrayList<>()));
        entries.forEach(e -> bySection.get(e.sectionCode()).add(e));

        List<SourceRead> reads = new ArrayList<>(List.of(new SourceRead("timetable", timetable.rowsRead(), errors),
                SourceRead.of("sections", sections)));
        context.note("video capacity: overloaded time slots (limits " + capacityWithCameras + " with cameras, "
                + capacityWithoutCameras + " without)", capacityReport(entries, sections.records(), reads));

        List<SyncStep> steps = new ArrayList<>();
        moodle.ifPresent(m -> steps.add(new SyncStep(m, entries.stream().map(e -> rules.moodleEvent(e, byCode.get(e.sectionCode()))).toList())));
        tool.ifPresent(t -> steps.add(new SyncStep(t, bySection.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .map(e -> rules.toolSessions(e.getKey(), e.getValue())).toList())));
        return new JobInput(steps, reads);
    }

    /** Reads enrolments and persons only for the head counts, so their records are garbage before the plan is made. */
    private List<String> capacityReport(List<TimetableEntry> entries, List<Section> sections, List<SourceRead> reads) {
        SourceBatch<Person> persons = portal.persons();
        reads.add(SourceRead.of("persons", persons));
        Map<String, String> groupOf = new HashMap<>();
        persons.records().forEach(p -> {
            if (p.group() != null) {
                groupOf.put(p.id(), p.group());
            }
        });
        Map<String, Integer> students = new HashMap<>();
        Map<String, Integer> groupStudents = new HashMap<>();
        Map<String, Integer> teachers = new HashMap<>();
        SourceBatch<Enrolment> listed = portal.enrolments();
        reads.add(SourceRead.of("enrolments", listed));
        for (Enrolment e : SectionRules.enrolments(sections, listed.records())) {
            if (e.role() == Enrolment.Role.STUDENT) {
                students.merge(e.sectionCode(), 1, Integer::sum);
                String g = groupOf.get(e.personId());
                if (g != null) {
                    groupStudents.merge(e.sectionCode() + "/" + g, 1, Integer::sum);
                }
            } else {
                teachers.merge(e.sectionCode(), 1, Integer::sum);
            }
        }
        return VideoCapacity.overloads(entries, VideoCapacity.participants(students, groupStudents, teachers),
                capacityWithCameras, capacityWithoutCameras).stream().map(VideoCapacity.Overload::toString).toList();
    }
}

package kz.qatysu.connectors.portal;

import java.time.ZoneId;
import java.util.Objects;

/** The one model on top of any {@link PortalSource}: typed batches with per-record errors. */
public final class PortalReader {
    private final PortalSource source;
    private final PortalRecords records;

    public PortalReader(PortalSource source, ZoneId zone) {
        this.source = Objects.requireNonNull(source, "source");
        this.records = new PortalRecords(zone);
    }

    public PortalSource source() {
        return source;
    }

    public SourceBatch<Person> persons() {
        return SourceBatch.parse(source.rows(Entity.PERSONS), records::person, Person::id);
    }

    public SourceBatch<Section> sections() {
        return SourceBatch.parse(source.rows(Entity.SECTIONS), records::section, Section::code);
    }

    public SourceBatch<Enrolment> enrolments() {
        return SourceBatch.parse(source.rows(Entity.ENROLMENTS), records::enrolment, Enrolment::key);
    }

    public SourceBatch<TimetableEntry> timetable() {
        return SourceBatch.parse(source.rows(Entity.TIMETABLE), records::timetable, TimetableEntry::id);
    }

    public SourceBatch<GradeEntry> grades() {
        return SourceBatch.parse(source.rows(Entity.GRADES), records::grade, GradeEntry::key);
    }
}

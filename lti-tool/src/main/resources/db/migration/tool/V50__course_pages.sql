-- Course pages (teacher marking, student view): a small directory of display names, and the origin of each
-- class session.

-- Display names the tool has learned, by person id (the portal person id, or CourseScope's local id). Launches
-- write the launching user's name; NRPS rosters may later fill in the others. Only names, never other PII.
CREATE TABLE person (
    person_id    TEXT        PRIMARY KEY,
    display_name TEXT        NOT NULL CHECK (display_name <> ''),
    source       TEXT        NOT NULL CHECK (source IN ('launch', 'nrps')),
    updated_at   TIMESTAMPTZ NOT NULL
);

-- Where a session came from. 'portal': the sync daemon's timetable upload, which lists the section's full
-- timetable and cancels what it no longer lists. 'teacher': created by the course's teacher on the course
-- page; the portal's full-list upload never cancels these (the portal does not know them), so a teacher's
-- extra session survives the next nightly sync. If the portal later sends the same session id, it takes the
-- session over (origin back to 'portal').
ALTER TABLE class_session
    ADD COLUMN origin     TEXT NOT NULL DEFAULT 'portal' CHECK (origin IN ('portal', 'teacher')),
    ADD COLUMN created_by TEXT;

-- Courses that launched without a portal section code (no Moodle course idnumber, so no
-- lis.course_section_sourcedid) work under a local section 'lti-<platform>-<context>'. An administrator maps such
-- a course to its portal section later: launches of the context then open the portal section, and the local
-- section's teacher-created sessions with their marks (and its excuses) move there. One row per mapped course.
CREATE TABLE course_mapping (
    local_section_id TEXT        PRIMARY KEY,
    platform_id      BIGINT      NOT NULL,
    context_id       TEXT        NOT NULL,
    section_id       TEXT        NOT NULL REFERENCES section (section_id),
    mapped_by        TEXT        NOT NULL,
    mapped_at        TIMESTAMPTZ NOT NULL,
    sessions_moved   INTEGER     NOT NULL,
    marks_moved      INTEGER     NOT NULL,
    persons_rekeyed  INTEGER     NOT NULL,
    excuses_moved    INTEGER     NOT NULL,
    UNIQUE (platform_id, context_id)
);

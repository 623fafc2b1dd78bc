-- Attendance: sections, enrolments, the timetable, marks, standing and the change feed (qatysu-api.md).
-- Nothing here is ever deleted by the API: withdrawn enrolments and cancelled sessions are flagged and keep
-- their history and marks.

CREATE TABLE section (
    section_id  TEXT        PRIMARY KEY,
    title       TEXT        NOT NULL,
    term_start  DATE        NOT NULL,
    term_end    DATE        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (term_end >= term_start)
);

-- One row per person ever enrolled; a person missing from a later upload is withdrawn, not deleted.
CREATE TABLE enrolment (
    section_id   TEXT        NOT NULL REFERENCES section (section_id),
    person_id    TEXT        NOT NULL,
    role         TEXT        NOT NULL CHECK (role IN ('student', 'teacher')),
    since        DATE,
    withdrawn_at TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (section_id, person_id)
);

-- What happened to each enrolment, by whom (the API caller) and when.
CREATE TABLE enrolment_history (
    id         BIGSERIAL   PRIMARY KEY,
    section_id TEXT        NOT NULL,
    person_id  TEXT        NOT NULL,
    event      TEXT        NOT NULL CHECK (event IN ('ENROLLED', 'CHANGED', 'WITHDRAWN', 'RE_ENROLLED')),
    role       TEXT        NOT NULL,
    since      DATE,
    changed_by TEXT        NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX enrolment_history_person ON enrolment_history (section_id, person_id, id);

-- A class session. start_offset keeps the timetable's own UTC offset (seconds), so the calendar day the
-- students see is known whatever zone the server runs in. Sessions missing from a later upload are cancelled.
CREATE TABLE class_session (
    session_id   TEXT        PRIMARY KEY,
    section_id   TEXT        NOT NULL REFERENCES section (section_id),
    starts_at    TIMESTAMPTZ NOT NULL,
    ends_at      TIMESTAMPTZ NOT NULL,
    start_offset INTEGER     NOT NULL,
    end_offset   INTEGER     NOT NULL,
    kind         TEXT,
    hours        INTEGER     NOT NULL DEFAULT 1 CHECK (hours >= 1),
    room         TEXT,
    online_url   TEXT,
    cancelled_at TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX class_session_section ON class_session (section_id, starts_at);

CREATE TABLE mark (
    session_id   TEXT        NOT NULL REFERENCES class_session (session_id),
    person_id    TEXT        NOT NULL,
    status       TEXT        NOT NULL CHECK (status IN ('PRESENT', 'LATE', 'ABSENT', 'EXCUSED')),
    late_minutes INTEGER     CHECK (late_minutes >= 0),
    reason       TEXT,
    updated_by   TEXT        NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (session_id, person_id),
    CHECK ((status = 'LATE') = (late_minutes IS NOT NULL)),
    CHECK (status <> 'EXCUSED' OR (reason IS NOT NULL AND reason <> ''))
);
CREATE INDEX mark_person ON mark (person_id);

-- Every change of a mark: who (the API caller's name), when, old → new (old_status NULL = first mark).
CREATE TABLE mark_history (
    id               BIGSERIAL   PRIMARY KEY,
    session_id       TEXT        NOT NULL,
    person_id        TEXT        NOT NULL,
    old_status       TEXT,
    old_late_minutes INTEGER,
    old_reason       TEXT,
    new_status       TEXT        NOT NULL,
    new_late_minutes INTEGER,
    new_reason       TEXT,
    changed_by       TEXT        NOT NULL,
    changed_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX mark_history_mark ON mark_history (session_id, person_id, id);

-- Dean's-office overrides; withdrawn ones are kept (withdrawn_at/by) as their history. At most one active.
CREATE TABLE standing_override (
    id           BIGSERIAL   PRIMARY KEY,
    section_id   TEXT        NOT NULL REFERENCES section (section_id),
    person_id    TEXT        NOT NULL,
    decision     TEXT        NOT NULL CHECK (decision IN ('ADMITTED', 'LOCKED')),
    reason       TEXT        NOT NULL CHECK (reason <> ''),
    set_by       TEXT        NOT NULL,
    set_at       TIMESTAMPTZ NOT NULL,
    withdrawn_by TEXT,
    withdrawn_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX standing_override_active ON standing_override (section_id, person_id) WHERE withdrawn_at IS NULL;

-- The change feed: every mark change and every standing change, in commit order (writers hold an advisory
-- transaction lock while appending, so a reader never sees seq n+1 committed before seq n).
CREATE TABLE attendance_change (
    seq            BIGSERIAL   PRIMARY KEY,
    type           TEXT        NOT NULL CHECK (type IN ('mark', 'standing')),
    section_id     TEXT        NOT NULL,
    session_id     TEXT,
    person_id      TEXT        NOT NULL,
    status         TEXT,
    late_minutes   INTEGER,
    reason         TEXT,
    state          TEXT,
    computed_state TEXT,
    absence_share  NUMERIC(6, 4),
    by_caller      TEXT        NOT NULL,
    at             TIMESTAMPTZ NOT NULL
);

-- The current standing of each student, recomputed at once by every change that affects them. The override
-- columns are the override the row was computed with, so the next computation can tell what changed.
CREATE TABLE standing (
    section_id         TEXT          NOT NULL REFERENCES section (section_id),
    person_id          TEXT          NOT NULL,
    planned_hours      INTEGER       NOT NULL,
    absent_hours       INTEGER       NOT NULL,
    late_count         INTEGER       NOT NULL,
    late_absence_hours INTEGER       NOT NULL,
    excused_hours      INTEGER       NOT NULL,
    absence_share      NUMERIC(6, 4) NOT NULL,
    computed_state     TEXT          NOT NULL CHECK (computed_state IN ('OK', 'WARNING', 'LOCKED')),
    state              TEXT          NOT NULL CHECK (state IN ('OK', 'WARNING', 'LOCKED')),
    override_decision  TEXT,
    override_reason    TEXT,
    override_by        TEXT,
    override_at        TIMESTAMPTZ,
    reason             TEXT          NOT NULL,
    absence_budget     INTEGER       NOT NULL,
    computed_at        TIMESTAMPTZ   NOT NULL,
    change_seq         BIGINT        NOT NULL,
    PRIMARY KEY (section_id, person_id)
);

-- Every transition of the effective or the computed state, with its cause and what triggered it.
CREATE TABLE standing_history (
    id            BIGSERIAL   PRIMARY KEY,
    section_id    TEXT        NOT NULL,
    person_id     TEXT        NOT NULL,
    from_state    TEXT        NOT NULL,
    to_state      TEXT        NOT NULL,
    computed_from TEXT        NOT NULL,
    computed_to   TEXT        NOT NULL,
    cause         TEXT        NOT NULL,
    detail        TEXT        NOT NULL,
    trigger       TEXT        NOT NULL,
    by_caller     TEXT        NOT NULL,
    at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX standing_history_person ON standing_history (section_id, person_id, id);

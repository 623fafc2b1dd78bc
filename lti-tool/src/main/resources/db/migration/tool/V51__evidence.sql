-- Online attendance evidence (regulation 000 §4.8): which videoconference meeting a class session was held in,
-- the join/leave intervals BigBlueButton and Zoom reported (raw, kept for audit), and the e-mail addresses launches
-- told us, to recognise Zoom participants. Proposals are computed from these on read; only the marks a teacher
-- confirms are written (through MarkService, with their history).

-- The online meeting of a class session. A recurring room (Moodle's BBB activity, a recurring Zoom meeting) has one
-- meeting id for many sessions: a report is attached to the linked session whose time window it overlaps.
CREATE TABLE session_meeting (
    session_id TEXT        PRIMARY KEY REFERENCES class_session (session_id),
    platform   TEXT        NOT NULL CHECK (platform IN ('bbb', 'zoom')),
    meeting_id TEXT        NOT NULL CHECK (meeting_id <> ''),
    set_by     TEXT        NOT NULL,
    set_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX session_meeting_meeting ON session_meeting (platform, meeting_id);

-- One delivery of evidence: a BBB analytics callback, a Zoom report import, an uploaded CSV. session_id is NULL while
-- no linked session matches (a BBB callback for a meeting nobody linked yet: BBB sends it once and never retries, so
-- it is kept and attached when a teacher links that meeting). A newer delivery of the same session, source and
-- instance supersedes the older one (superseded rows stay for audit).
CREATE TABLE evidence_import (
    id            BIGSERIAL   PRIMARY KEY,
    session_id    TEXT        REFERENCES class_session (session_id),
    platform      TEXT        NOT NULL CHECK (platform IN ('bbb', 'zoom', 'csv')),
    source        TEXT        NOT NULL CHECK (source IN ('BBB_ANALYTICS', 'ZOOM_REPORT', 'CSV_ZOOM', 'CSV_GENERIC')),
    meeting_id    TEXT,
    instance      TEXT        NOT NULL,
    meeting_start TIMESTAMPTZ,
    meeting_end   TIMESTAMPTZ,
    received_at   TIMESTAMPTZ NOT NULL,
    received_by   TEXT        NOT NULL,
    note          TEXT,
    superseded_at TIMESTAMPTZ
);
CREATE INDEX evidence_import_session ON evidence_import (session_id) WHERE superseded_at IS NULL;
CREATE INDEX evidence_import_unmatched ON evidence_import (platform, meeting_id) WHERE session_id IS NULL;

-- The raw intervals of a delivery, as the platform named the participant: person_key is BBB's ext_user_id (our
-- person id, or the Moodle user id when Moodle created the room), Zoom's customer_key or e-mail, the CSV's person.
CREATE TABLE evidence_interval (
    id           BIGSERIAL   PRIMARY KEY,
    import_id    BIGINT      NOT NULL REFERENCES evidence_import (id) ON DELETE CASCADE,
    person_key   TEXT,
    display_name TEXT,
    moderator    BOOLEAN     NOT NULL DEFAULT FALSE,
    join_at      TIMESTAMPTZ NOT NULL,
    leave_at     TIMESTAMPTZ NOT NULL,
    CHECK (leave_at >= join_at)
);
CREATE INDEX evidence_interval_import ON evidence_interval (import_id);

-- E-mail addresses (lower-cased) that LTI launches sent for a person: how a Zoom participant's user_email is
-- recognised. Personal data: used only for this matching, shown to nobody.
CREATE TABLE person_email (
    email      TEXT        NOT NULL CHECK (email <> ''),
    person_id  TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (email, person_id)
);
CREATE INDEX person_email_person ON person_email (person_id);

-- Proctored exams (issue 10): an exam of a section with its checks, the proctors assigned to it, each examinee's
-- attempt with its state and identity check, the attempt's event log (browser, face analysis, process), the
-- monitoring snapshots awaiting or done with their analysis, and the proctor's verdict with its history.
CREATE TABLE proctored_exam (
    id                        TEXT        PRIMARY KEY,
    section_id                TEXT        NOT NULL,
    title                     TEXT        NOT NULL,
    kind                      TEXT        NOT NULL CHECK (kind IN ('MIDTERM', 'FINAL')),
    opens_at                  TIMESTAMPTZ NOT NULL,
    closes_at                 TIMESTAMPTZ NOT NULL,
    proctored                 BOOLEAN     NOT NULL,
    require_id_photo          BOOLEAN     NOT NULL,
    require_face_match        BOOLEAN     NOT NULL,
    require_room_scan         BOOLEAN     NOT NULL,
    require_screen_share      BOOLEAN     NOT NULL,
    snapshot_interval_seconds INTEGER     NOT NULL CHECK (snapshot_interval_seconds BETWEEN 2 AND 600),
    campus_alternative        BOOLEAN     NOT NULL,
    identity_tries            INTEGER     NOT NULL CHECK (identity_tries BETWEEN 1 AND 10),
    version                   INTEGER     NOT NULL DEFAULT 1,
    created_by                TEXT        NOT NULL,
    created_at                TIMESTAMPTZ NOT NULL,
    updated_by                TEXT        NOT NULL,
    updated_at                TIMESTAMPTZ NOT NULL,
    CHECK (closes_at > opens_at)
);
CREATE INDEX proctored_exam_section ON proctored_exam (section_id, opens_at);

CREATE TABLE proctored_exam_proctor (
    exam_id    TEXT        NOT NULL REFERENCES proctored_exam (id) ON DELETE CASCADE,
    person_id  TEXT        NOT NULL,
    granted_by TEXT        NOT NULL,
    granted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (exam_id, person_id)
);
CREATE INDEX proctored_exam_proctor_person ON proctored_exam_proctor (person_id);

CREATE TABLE proctoring_attempt (
    id                  TEXT        PRIMARY KEY,
    exam_id             TEXT        NOT NULL REFERENCES proctored_exam (id),
    person_id           TEXT        NOT NULL,
    state               TEXT        NOT NULL CHECK (state IN ('CONSENT_PENDING', 'CHECKING', 'IN_PROGRESS', 'ENDED',
                                                              'ABANDONED', 'REFUSED')),
    identity            TEXT        NOT NULL DEFAULT 'PENDING'
                                    CHECK (identity IN ('PENDING', 'VERIFIED', 'NOT_VERIFIED', 'NOT_REQUIRED')),
    identity_tries      INTEGER     NOT NULL DEFAULT 0,
    -- the examinee's face as the identity check saw it (128 float32, big-endian): monitoring snapshots are matched to it
    identity_descriptor BYTEA,
    id_photo_key        TEXT,
    live_photo_key      TEXT,
    room_scan_key       TEXT,
    recording_id        TEXT,
    created_at          TIMESTAMPTZ NOT NULL,
    consent_at          TIMESTAMPTZ,
    refused_at          TIMESTAMPTZ,
    started_at          TIMESTAMPTZ,
    ended_at            TIMESTAMPTZ,
    last_heartbeat_at   TIMESTAMPTZ,
    -- set when the sweeper found the monitoring window silent (HEARTBEAT_GAP logged); cleared by the next heartbeat
    silent_since        TIMESTAMPTZ,
    UNIQUE (exam_id, person_id)
);
CREATE INDEX proctoring_attempt_person ON proctoring_attempt (person_id);
CREATE INDEX proctoring_attempt_live ON proctoring_attempt (state, last_heartbeat_at) WHERE state = 'IN_PROGRESS';

CREATE TABLE proctoring_event (
    id           BIGSERIAL   PRIMARY KEY,
    attempt_id   TEXT        NOT NULL REFERENCES proctoring_attempt (id) ON DELETE CASCADE,
    at           TIMESTAMPTZ NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL,
    type         TEXT        NOT NULL,
    severity     TEXT        NOT NULL CHECK (severity IN ('INFO', 'WARNING', 'VIOLATION')),
    detail       TEXT        NOT NULL DEFAULT '',
    snapshot_key TEXT,
    -- the browser's id of an event it reports (a resent event is the same event); server events have none
    client_id    TEXT,
    UNIQUE (attempt_id, client_id)
);
CREATE INDEX proctoring_event_attempt ON proctoring_event (attempt_id, at);

CREATE TABLE proctoring_snapshot (
    object_key    TEXT        PRIMARY KEY,
    attempt_id    TEXT        NOT NULL REFERENCES proctoring_attempt (id) ON DELETE CASCADE,
    source        TEXT        NOT NULL CHECK (source IN ('CAMERA', 'SCREEN')),
    taken_at      TIMESTAMPTZ NOT NULL,
    received_at   TIMESTAMPTZ NOT NULL,
    client_id     TEXT        NOT NULL,
    faces         INTEGER,
    analysed_at   TIMESTAMPTZ,
    analysis_note TEXT,
    lease_until   TIMESTAMPTZ,
    UNIQUE (attempt_id, client_id)
);
CREATE INDEX proctoring_snapshot_pending ON proctoring_snapshot (received_at)
    WHERE analysed_at IS NULL AND source = 'CAMERA';
CREATE INDEX proctoring_snapshot_attempt ON proctoring_snapshot (attempt_id, taken_at);

CREATE TABLE proctoring_verdict (
    attempt_id TEXT        PRIMARY KEY REFERENCES proctoring_attempt (id) ON DELETE CASCADE,
    verdict    TEXT        NOT NULL CHECK (verdict IN ('CLEAN', 'SUSPICIOUS', 'VIOLATION')),
    comment    TEXT        NOT NULL,
    decided_by TEXT        NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE proctoring_verdict_history (
    id         BIGSERIAL   PRIMARY KEY,
    attempt_id TEXT        NOT NULL REFERENCES proctoring_attempt (id) ON DELETE CASCADE,
    verdict    TEXT        NOT NULL,
    comment    TEXT        NOT NULL,
    decided_by TEXT        NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX proctoring_verdict_history_attempt ON proctoring_verdict_history (attempt_id, decided_at);

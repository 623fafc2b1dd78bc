-- Self check-in and roll call (kz.qatysu.tool.checkin). Nothing is deleted: closed check-ins, every attempt
-- (accepted or refused, with its reason) and every roll call with its responses stay as the audit trail.

-- A check-in a teacher opened for one class session. secret keys the rotating code (HMAC of the time step, like
-- TOTP); it never leaves the server except as codes. At most one open check-in per session.
CREATE TABLE checkin (
    id            BIGSERIAL   PRIMARY KEY,
    session_id    TEXT        NOT NULL REFERENCES class_session (session_id),
    section_id    TEXT        NOT NULL REFERENCES section (section_id),
    secret        BYTEA       NOT NULL,
    step_seconds  INTEGER     NOT NULL CHECK (step_seconds BETWEEN 10 AND 600),
    window_start  TIMESTAMPTZ NOT NULL,
    window_end    TIMESTAMPTZ NOT NULL,
    ip_ranges     TEXT[]      NOT NULL DEFAULT '{}',
    one_device    BOOLEAN     NOT NULL,
    grace_minutes INTEGER     NOT NULL CHECK (grace_minutes BETWEEN 0 AND 60),
    opened_by     TEXT        NOT NULL,
    opened_at     TIMESTAMPTZ NOT NULL,
    closed_by     TEXT,
    closed_at     TIMESTAMPTZ,
    CHECK (window_end > window_start)
);
CREATE UNIQUE INDEX checkin_open_per_session ON checkin (session_id) WHERE closed_at IS NULL;
CREATE INDEX checkin_section ON checkin (section_id, opened_at);

-- Every attempt of a student to check in. checkin_id is NULL when nothing was open to check in to.
-- device_hash is the SHA-256 of the device cookie, compared for the one-device guard.
CREATE TABLE checkin_attempt (
    id           BIGSERIAL   PRIMARY KEY,
    checkin_id   BIGINT      REFERENCES checkin (id),
    section_id   TEXT        NOT NULL,
    person_id    TEXT        NOT NULL,
    accepted     BOOLEAN     NOT NULL,
    reason       TEXT        NOT NULL,
    status       TEXT        CHECK (status IN ('PRESENT', 'LATE')),
    late_minutes INTEGER,
    ip           TEXT,
    device_hash  TEXT,
    user_agent   TEXT,
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX checkin_attempt_checkin ON checkin_attempt (checkin_id, id);
CREATE UNIQUE INDEX checkin_attempt_accepted_once ON checkin_attempt (checkin_id, person_id) WHERE accepted;

-- A presence check during an online class: students confirm before the deadline; the ones who did not are
-- flagged for the teacher (never marked absent automatically).
CREATE TABLE roll_call (
    id         BIGSERIAL   PRIMARY KEY,
    session_id TEXT        NOT NULL REFERENCES class_session (session_id),
    section_id TEXT        NOT NULL REFERENCES section (section_id),
    started_by TEXT        NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    deadline   TIMESTAMPTZ NOT NULL,
    CHECK (deadline > started_at)
);
CREATE INDEX roll_call_section ON roll_call (section_id, deadline);

CREATE TABLE roll_call_response (
    roll_call_id BIGINT      NOT NULL REFERENCES roll_call (id),
    person_id    TEXT        NOT NULL,
    confirmed_at TIMESTAMPTZ NOT NULL,
    ip           TEXT,
    PRIMARY KEY (roll_call_id, person_id)
);

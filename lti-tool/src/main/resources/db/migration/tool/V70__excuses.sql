-- Excuses ("рұқсатнама"): a student asks for absences of one section to be excused, with a reason and
-- optionally a document; the section's teacher or the dean's office approves or rejects within a deadline.
-- Approval writes EXCUSED marks through the mark service (mark_history keeps the old marks). Nothing is deleted.
CREATE TABLE excuse (
    id               BIGSERIAL   PRIMARY KEY,
    section_id       TEXT        NOT NULL REFERENCES section (section_id),
    person_id        TEXT        NOT NULL,
    date_from        DATE,
    date_to          DATE,
    reason           TEXT        NOT NULL CHECK (reason <> ''),
    -- the stored document: a random file name under dataDir/uploads/excuses, and the type its bytes proved
    document_file    TEXT,
    document_type    TEXT        CHECK (document_type IN ('PDF', 'JPEG', 'PNG')),
    document_size    BIGINT,
    status           TEXT        NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
    submitted_by     TEXT        NOT NULL,
    submitted_at     TIMESTAMPTZ NOT NULL,
    decide_by        TIMESTAMPTZ NOT NULL,
    decided_by       TEXT,
    decided_at       TIMESTAMPTZ,
    decision_comment TEXT,
    CHECK ((date_from IS NULL) = (date_to IS NULL)),
    CHECK (date_to IS NULL OR date_to >= date_from),
    CHECK ((document_file IS NULL) = (document_type IS NULL)),
    CHECK ((status = 'PENDING') = (decided_at IS NULL))
);
CREATE INDEX excuse_section ON excuse (section_id, status, submitted_at);
CREATE INDEX excuse_person ON excuse (person_id, submitted_at);

-- The sessions a student chose (when the excuse names sessions rather than a date range).
CREATE TABLE excuse_session (
    excuse_id  BIGINT NOT NULL REFERENCES excuse (id),
    session_id TEXT   NOT NULL REFERENCES class_session (session_id),
    PRIMARY KEY (excuse_id, session_id)
);

-- Everything that happened to an excuse: submitted, document opened, approved, rejected — who and when.
CREATE TABLE excuse_event (
    id        BIGSERIAL   PRIMARY KEY,
    excuse_id BIGINT      NOT NULL REFERENCES excuse (id),
    event     TEXT        NOT NULL CHECK (event IN ('SUBMITTED', 'DOCUMENT_OPENED', 'APPROVED', 'REJECTED')),
    actor     TEXT        NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    detail    TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX excuse_event_excuse ON excuse_event (excuse_id, id);

-- Display names of people as their own launches last told us (reports show names, the attendance API only ids).
CREATE TABLE person_name (
    person_id  TEXT        PRIMARY KEY,
    name       TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Warnings by Moodle message and e-mail (notify). The notifier reads standing_history (never writes it): every
-- transition into WARNING or LOCKED, and a lifted lock, becomes one notification per recipient per channel.

-- The outbox. OBSOLETE: the state changed again before delivery (the newer transition has its own row).
-- Unique per (transition, recipient, channel), so a transition is never queued twice, whichever tool
-- instance sees it first. A worker claims due rows with FOR UPDATE SKIP LOCKED and a lease (status SENDING):
-- two instances never send the same row; a row whose worker died is taken again once its lease has expired.
CREATE TABLE notification (
    id              BIGSERIAL   PRIMARY KEY,
    history_id      BIGINT      NOT NULL,
    section_id      TEXT        NOT NULL,
    student_id      TEXT        NOT NULL,
    recipient_id    TEXT        NOT NULL,
    recipient_role  TEXT        NOT NULL CHECK (recipient_role IN ('student', 'teacher')),
    channel         TEXT        NOT NULL CHECK (channel IN ('moodle', 'email')),
    kind            TEXT        NOT NULL CHECK (kind IN ('WARNING', 'LOCKED', 'LIFTED')),
    status          TEXT        NOT NULL CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'SKIPPED', 'OBSOLETE', 'FAILED')),
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_until     TIMESTAMPTZ,
    last_error      TEXT,
    sent_at         TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (history_id, recipient_id, channel)
);
CREATE INDEX notification_due ON notification (next_attempt_at) WHERE status IN ('PENDING', 'SENDING');
CREATE INDEX notification_problems ON notification (id) WHERE status IN ('FAILED', 'SKIPPED');

-- How far standing_history has been read. The cursor only passes rows older than a settling time, so a
-- transaction that commits a lower id late is still seen; the outbox's unique key makes re-reading harmless.
CREATE TABLE notify_cursor (
    id              INTEGER     PRIMARY KEY CHECK (id = 1),
    last_history_id BIGINT      NOT NULL
);
INSERT INTO notify_cursor (id, last_history_id) VALUES (1, 0);

-- Where to reach a person, copied from their launches (LTI email claim and language) while the launch session
-- lives: launch sessions expire, warnings may come weeks later. Nothing else about the person is kept.
CREATE TABLE notify_contact (
    person_id  TEXT        PRIMARY KEY,
    email      TEXT,
    language   TEXT,
    seen_at    TIMESTAMPTZ NOT NULL
);

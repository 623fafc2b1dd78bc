-- Open edX LTI Proctoring Services (issue 11): an Open edX proctored exam (the resource_link.id of its
-- LtiStartProctoring) linked to a Qatysu exam; the links seen but not linked yet (for the linking page); each
-- learner's Open edX attempt (resource link, attempt_number) bound to a Qatysu attempt, with what the start launch sent;
-- and the Assessment Control Service actions waiting for delivery (a durable outbox).

-- attempt_number 2 of an Open edX exam is a new attempt: an attempt is now one per exam, person and number
ALTER TABLE proctoring_attempt ADD COLUMN attempt_number INTEGER NOT NULL DEFAULT 1 CHECK (attempt_number >= 1);
ALTER TABLE proctoring_attempt DROP CONSTRAINT proctoring_attempt_exam_id_person_id_key;
ALTER TABLE proctoring_attempt ADD CONSTRAINT proctoring_attempt_exam_person_number UNIQUE (exam_id, person_id, attempt_number);

CREATE TABLE openedx_exam_link (
    platform_id      BIGINT      NOT NULL REFERENCES platform (id),
    resource_link_id TEXT        NOT NULL,
    exam_id          TEXT        NOT NULL REFERENCES proctored_exam (id) ON DELETE CASCADE,
    linked_by        TEXT        NOT NULL,
    linked_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform_id, resource_link_id)
);
CREATE INDEX openedx_exam_link_exam ON openedx_exam_link (exam_id);

-- LtiStartProctoring launches refused because their resource link is linked to no exam: offered on the linking page
CREATE TABLE openedx_unlinked_exam (
    platform_id      BIGINT      NOT NULL REFERENCES platform (id),
    resource_link_id TEXT        NOT NULL,
    context_id       TEXT,
    context_title    TEXT,
    context_label    TEXT,
    first_seen_at    TIMESTAMPTZ NOT NULL,
    last_seen_at     TIMESTAMPTZ NOT NULL,
    launches         INTEGER     NOT NULL DEFAULT 1,
    PRIMARY KEY (platform_id, resource_link_id)
);
CREATE INDEX openedx_unlinked_exam_seen ON openedx_unlinked_exam (last_seen_at DESC);

CREATE TABLE openedx_attempt (
    id                     TEXT        PRIMARY KEY,
    platform_id            BIGINT      NOT NULL REFERENCES platform (id),
    deployment_id          TEXT        NOT NULL,
    resource_link_id       TEXT        NOT NULL,
    subject                TEXT        NOT NULL,
    attempt_number         INTEGER     NOT NULL CHECK (attempt_number >= 1),
    exam_id                TEXT        NOT NULL REFERENCES proctored_exam (id) ON DELETE CASCADE,
    attempt_id             TEXT        NOT NULL REFERENCES proctoring_attempt (id) ON DELETE CASCADE,
    launch_key             TEXT        NOT NULL,
    -- the anti-CSRF value the platform sent in LtiStartProctoring: echoed in LtiStartAssessment (the latest launch's)
    session_data           TEXT        NOT NULL,
    start_assessment_url   TEXT        NOT NULL,
    -- the acs claim, when the platform offered the Assessment Control Service
    acs_url                TEXT,
    acs_actions            TEXT[]      NOT NULL DEFAULT '{}',
    -- the name claims the launch sent (only these may be vouched for in verified_user)
    name                   TEXT,
    given_name             TEXT,
    family_name            TEXT,
    created_at             TIMESTAMPTZ NOT NULL,
    launched_at            TIMESTAMPTZ NOT NULL,
    assessment_started_at  TIMESTAMPTZ,
    end_assessment_at      TIMESTAMPTZ,
    UNIQUE (platform_id, resource_link_id, subject, attempt_number)
);
CREATE INDEX openedx_attempt_attempt ON openedx_attempt (attempt_id);
CREATE INDEX openedx_attempt_launch ON openedx_attempt (launch_key, attempt_number DESC);

-- ACS actions (terminate, flag) for the platform: one row per action, retried with backoff until delivered
CREATE TABLE openedx_acs_action (
    id               BIGSERIAL   PRIMARY KEY,
    openedx_attempt  TEXT        NOT NULL REFERENCES openedx_attempt (id) ON DELETE CASCADE,
    action           TEXT        NOT NULL CHECK (action IN ('terminate', 'flag')),
    -- what caused it (the verdict, the event id): the same cause is queued once
    cause            TEXT        NOT NULL,
    reason_code      TEXT        NOT NULL,
    incident_time    TIMESTAMPTZ NOT NULL,
    incident_severity NUMERIC(3, 2) NOT NULL CHECK (incident_severity BETWEEN 0 AND 1),
    created_at       TIMESTAMPTZ NOT NULL,
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    delivered_at     TIMESTAMPTZ,
    last_status      INTEGER,
    last_error       TEXT,
    UNIQUE (openedx_attempt, action, cause)
);
CREATE INDEX openedx_acs_action_due ON openedx_acs_action (next_attempt_at) WHERE delivered_at IS NULL;

-- How a lock reaches the LMS without plugins: an AGS line item "Attendance admission" (1 admitted, 0 locked)
-- in each course, kept in step with the students' standing. V80–V89 belong to locks.

-- Every resource link of the Attendance resource that a launch showed us, with its AGS and NRPS endpoints:
-- where admission scores are posted for the section it maps to.
CREATE TABLE course_link (
    platform_id      BIGINT      NOT NULL REFERENCES platform (id) ON DELETE CASCADE,
    context_id       TEXT        NOT NULL,
    resource_link_id TEXT        NOT NULL,
    deployment_id    TEXT        NOT NULL,
    section_id       TEXT        NOT NULL,
    ags_claim        JSONB       NOT NULL,
    nrps_claim       JSONB,
    line_item_url    TEXT,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (platform_id, context_id, resource_link_id)
);
CREATE INDEX course_link_section ON course_link (section_id);

-- Which platform user (LTI sub) is which portal person, learned from launches and from NRPS rosters.
CREATE TABLE lti_user (
    platform_id BIGINT      NOT NULL REFERENCES platform (id) ON DELETE CASCADE,
    subject     TEXT        NOT NULL,
    person_id   TEXT        NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (platform_id, subject)
);
CREATE INDEX lti_user_person ON lti_user (platform_id, person_id);

-- What was last posted to each course link for each student, and the retry state when posting failed.
CREATE TABLE lock_delivery (
    platform_id      BIGINT      NOT NULL,
    context_id       TEXT        NOT NULL,
    resource_link_id TEXT        NOT NULL,
    person_id        TEXT        NOT NULL,
    posted_score     NUMERIC(3, 1),
    posted_state     TEXT,
    posted_at        TIMESTAMPTZ,
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,
    last_error       TEXT,
    PRIMARY KEY (platform_id, context_id, resource_link_id, person_id),
    FOREIGN KEY (platform_id, context_id, resource_link_id)
        REFERENCES course_link (platform_id, context_id, resource_link_id) ON DELETE CASCADE
);

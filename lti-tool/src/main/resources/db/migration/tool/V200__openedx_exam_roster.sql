-- edx-exams learners known by their portal person (issue 11): edx-exams' LtiStartProctoring carries only its own
-- per-user UUID (User.anonymous_user_id) as `sub`. Its Instructor Tool launch gives the exam's staff a `roster_url`
-- that answers [anonymous_user_id, username] pairs to their browser (their edx-exams session); the exam's Open edX page
-- fetches it there and posts the pairs to the tool, which keeps them here. docs/PROCTORING.md "The person".

-- The roster URL an Instructor Tool launch of a linked resource link carried (the newest launch's)
CREATE TABLE openedx_roster_source (
    platform_id      BIGINT      NOT NULL REFERENCES platform (id),
    resource_link_id TEXT        NOT NULL,
    exam_id          TEXT        NOT NULL REFERENCES proctored_exam (id) ON DELETE CASCADE,
    roster_url       TEXT        NOT NULL CHECK (roster_url LIKE 'https://%'),
    seen_by          TEXT        NOT NULL,
    seen_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform_id, resource_link_id)
);
CREATE INDEX openedx_roster_source_exam ON openedx_roster_source (exam_id, seen_at DESC);

-- A platform's learner (the `sub` of its launches: edx-exams' anonymous_user_id) and the Open edX username a roster
-- named for them; the username is matched with person_login as a launch's username is. The newest roster wins.
CREATE TABLE openedx_learner (
    platform_id  BIGINT      NOT NULL REFERENCES platform (id),
    subject      TEXT        NOT NULL,
    username     TEXT        NOT NULL CHECK (username <> ''),
    -- the exam whose roster named them last, who posted it, when
    exam_id      TEXT        REFERENCES proctored_exam (id) ON DELETE SET NULL,
    learned_by   TEXT        NOT NULL,
    learned_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform_id, subject)
);
CREATE INDEX openedx_learner_exam ON openedx_learner (exam_id);

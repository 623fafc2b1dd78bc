-- Proctoring results back into the LMS gradebook (issue 11 "Results back", kz.qatysu.tool.proctoring.results.ProctoringScores):
-- per course link, exam and person, what was last posted to the AGS line item "Proctoring — <exam>" (kind VERDICT, the
-- latest attempt's verdict as a score) or "Proctoring check passed — <exam>" (kind PASSED, 1 once the attempt started;
-- GRADE_RESTRICTION exams only), so a score is never posted twice; a failed post is retried with backoff.
CREATE TABLE proctoring_score_delivery (
    platform_id      BIGINT      NOT NULL,
    context_id       TEXT        NOT NULL,
    resource_link_id TEXT        NOT NULL,
    exam_id          TEXT        NOT NULL REFERENCES proctored_exam (id) ON DELETE CASCADE,
    person_id        TEXT        NOT NULL,
    kind             TEXT        NOT NULL CHECK (kind IN ('VERDICT', 'PASSED')),
    posted_score     DOUBLE PRECISION,
    posted_state     TEXT,
    posted_comment   TEXT,
    posted_at        TIMESTAMPTZ,
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,
    last_error       TEXT,
    PRIMARY KEY (platform_id, context_id, resource_link_id, exam_id, person_id, kind),
    FOREIGN KEY (platform_id, context_id, resource_link_id)
        REFERENCES course_link (platform_id, context_id, resource_link_id) ON DELETE CASCADE
);

-- the line item of each exam and kind in each course link, once found or created (never created twice)
CREATE TABLE proctoring_score_line_item (
    platform_id      BIGINT      NOT NULL,
    context_id       TEXT        NOT NULL,
    resource_link_id TEXT        NOT NULL,
    exam_id          TEXT        NOT NULL REFERENCES proctored_exam (id) ON DELETE CASCADE,
    kind             TEXT        NOT NULL CHECK (kind IN ('VERDICT', 'PASSED')),
    -- the AGS container the item lives in: a launch with another container (course restored elsewhere) finds it anew
    lineitems_url    TEXT        NOT NULL,
    line_item_url    TEXT        NOT NULL,
    PRIMARY KEY (platform_id, context_id, resource_link_id, exam_id, kind),
    FOREIGN KEY (platform_id, context_id, resource_link_id)
        REFERENCES course_link (platform_id, context_id, resource_link_id) ON DELETE CASCADE
);

-- The second AGS line item beside "Attendance admission": "Final exam admission" (1 admitted, 0 not), following the
-- final exam gate's stored decision (table admission, V100). Created by tag on each course link, never taken from the
-- launch's lineitem claim (that is the attendance item's).
ALTER TABLE course_link ADD COLUMN exam_line_item_url TEXT;

-- What was last posted to each course link's exam item for each student, and the retry state when posting failed.
CREATE TABLE exam_admission_delivery (
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

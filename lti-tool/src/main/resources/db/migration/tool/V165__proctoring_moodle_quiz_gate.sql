-- The Moodle quiz gate (issue 11): which Moodle quiz an exam gates and how, and one per-student quiz override per
-- attempt. The override rows are also the gate's outbox: a save or close that failed is retried with backoff
-- (next_attempt_at, attempts, last_error), visible to the teacher on the exam's Moodle page.
CREATE TABLE proctoring_moodle_quiz (
    exam_id          TEXT        PRIMARY KEY REFERENCES proctored_exam (id) ON DELETE CASCADE,
    platform_id      BIGINT      NOT NULL REFERENCES platform (id) ON DELETE CASCADE,
    course_id        BIGINT      NOT NULL CHECK (course_id > 0),
    -- the quiz instance id (mod_quiz_get_quizzes_by_courses "id"), not the course-module id
    quiz_id          BIGINT      NOT NULL CHECK (quiz_id > 0),
    quiz_name        TEXT        NOT NULL DEFAULT '',
    gate_mode        TEXT        NOT NULL CHECK (gate_mode IN ('QUIZ_OVERRIDE', 'GRADE_RESTRICTION', 'SHARED_PASSWORD')),
    -- SHARED_PASSWORD only: the quiz's password, sealed with the tool's key-encryption key (AES-GCM)
    shared_password  TEXT,
    updated_by       TEXT        NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    CHECK ((gate_mode = 'SHARED_PASSWORD') = (shared_password IS NOT NULL))
);

CREATE TABLE proctoring_quiz_override (
    attempt_id      TEXT        PRIMARY KEY REFERENCES proctoring_attempt (id) ON DELETE CASCADE,
    exam_id         TEXT        NOT NULL REFERENCES proctored_exam (id) ON DELETE CASCADE,
    person_id       TEXT        NOT NULL,
    platform_id     BIGINT      NOT NULL,
    quiz_id         BIGINT      NOT NULL,
    moodle_user_id  BIGINT,
    override_id     BIGINT,
    -- the student's quiz password, sealed (AES-GCM, the attempt id as associated data); shown only to that student
    password        TEXT        NOT NULL,
    time_open       BIGINT      NOT NULL,
    time_close      BIGINT      NOT NULL,
    -- OPENING: to be saved in Moodle; OPEN: saved; CLOSING: the window is to be closed (timeclose = now); CLOSED
    state           TEXT        NOT NULL CHECK (state IN ('OPENING', 'OPEN', 'CLOSING', 'CLOSED')),
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX proctoring_quiz_override_due ON proctoring_quiz_override (next_attempt_at) WHERE state IN ('OPENING', 'CLOSING');
CREATE INDEX proctoring_quiz_override_open ON proctoring_quiz_override (exam_id) WHERE state = 'OPEN';

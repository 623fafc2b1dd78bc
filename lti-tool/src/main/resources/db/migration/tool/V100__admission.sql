-- Exam admission (issue 9): the assessment scores behind the 50 % rating rule, a section's override of the
-- institution's rating policy (admission.* in the configuration), the final exam gate's stored decision with its
-- history, and the dean's-office overrides of the admission as a whole. V100–V109 belong to admission.

-- One score per student and component (canonical name, e.g. RK1), as the source graded it (points out of max).
CREATE TABLE assessment_score (
    section_id  TEXT           NOT NULL REFERENCES section (section_id),
    person_id   TEXT           NOT NULL,
    component   TEXT           NOT NULL,
    points      NUMERIC(14, 4) NOT NULL CHECK (points >= 0),
    max_points  NUMERIC(14, 4) NOT NULL CHECK (max_points > 0),
    updated_by  TEXT           NOT NULL,
    updated_at  TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (section_id, person_id, component),
    CHECK (points <= max_points)
);

-- Per-section overrides of the rating policy: a NULL column inherits the institution's value. components is a JSON
-- list [{"component": "RK1", "max": 60}, ...] of configured components (the section's set and maxima).
CREATE TABLE section_rating_policy (
    section_id  TEXT          PRIMARY KEY REFERENCES section (section_id),
    threshold   NUMERIC(5, 4),
    components  JSONB,
    updated_by  TEXT          NOT NULL,
    updated_at  TIMESTAMPTZ   NOT NULL
);

-- The dean's office's decision on the final exam admission; withdrawn ones are kept as history. At most one active.
CREATE TABLE admission_override (
    id           BIGSERIAL   PRIMARY KEY,
    section_id   TEXT        NOT NULL REFERENCES section (section_id),
    person_id    TEXT        NOT NULL,
    decision     TEXT        NOT NULL CHECK (decision IN ('ADMITTED', 'NOT_ADMITTED')),
    reason       TEXT        NOT NULL CHECK (reason <> ''),
    set_by       TEXT        NOT NULL,
    set_at       TIMESTAMPTZ NOT NULL,
    withdrawn_by TEXT,
    withdrawn_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX admission_override_active ON admission_override (section_id, person_id) WHERE withdrawn_at IS NULL;

-- The final exam gate's decision per student, recomputed in the transaction of every change that can move it.
CREATE TABLE admission (
    section_id        TEXT           NOT NULL REFERENCES section (section_id),
    person_id         TEXT           NOT NULL,
    admitted          BOOLEAN        NOT NULL,
    computed_admitted BOOLEAN        NOT NULL,
    reasons           TEXT[]         NOT NULL,
    attendance_state  TEXT           NOT NULL,
    rating_points     NUMERIC(16, 2) NOT NULL,
    rating_max        NUMERIC(16, 4) NOT NULL,
    rating_share      NUMERIC(6, 4)  NOT NULL,
    missing           TEXT[]         NOT NULL,
    override_decision TEXT,
    computed_at       TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (section_id, person_id)
);

-- Every change of a stored decision, with its cause (SCORE_CHANGED, STANDING_CHANGED, POLICY_CHANGED, OVERRIDE_*).
CREATE TABLE admission_history (
    id              BIGSERIAL   PRIMARY KEY,
    section_id      TEXT        NOT NULL,
    person_id       TEXT        NOT NULL,
    from_admitted   BOOLEAN,
    to_admitted     BOOLEAN     NOT NULL,
    computed_from   BOOLEAN,
    computed_to     BOOLEAN     NOT NULL,
    reasons         TEXT[]      NOT NULL,
    cause           TEXT        NOT NULL,
    detail          TEXT        NOT NULL,
    trigger         TEXT        NOT NULL,
    by_caller       TEXT        NOT NULL,
    at              TIMESTAMPTZ NOT NULL
);
CREATE INDEX admission_history_person ON admission_history (section_id, person_id, id);

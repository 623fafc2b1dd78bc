-- Per-course overrides of the institution's absence policy (attendance.policy.* in the configuration).
-- A NULL column inherits the institution's value; a section without a row follows the institution entirely.
CREATE TABLE section_policy (
    section_id                      TEXT        PRIMARY KEY REFERENCES section (section_id),
    lock_threshold                  NUMERIC(5, 4),
    warning_threshold               NUMERIC(5, 4),
    late_minutes_counting_as_absence INTEGER,
    lates_per_absence               INTEGER,
    denominator                     TEXT CHECK (denominator IN ('ALL_PLANNED', 'HELD_SO_FAR')),
    unit                            TEXT CHECK (unit IN ('SHARE', 'HOURS')),
    lock_hours                      INTEGER,
    warning_hours                   INTEGER,
    updated_by                      TEXT        NOT NULL,
    updated_at                      TIMESTAMPTZ NOT NULL
);

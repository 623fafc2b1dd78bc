-- The student's academic group (e.g. ИС-21-1) as the last enrolments upload sent it; NULL = unknown.
-- The history keeps the group each enrolment event recorded, so a group change is visible as a CHANGED event.
ALTER TABLE enrolment ADD COLUMN academic_group TEXT CHECK (char_length(academic_group) <= 64);
ALTER TABLE enrolment_history ADD COLUMN academic_group TEXT;

-- The report per academic group reads a group's active students across sections.
CREATE INDEX enrolment_academic_group ON enrolment (academic_group) WHERE academic_group IS NOT NULL;

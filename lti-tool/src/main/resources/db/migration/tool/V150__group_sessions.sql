-- Group sessions (issue 12 §5): a timetable entry for one academic group (a seminar of ИС-24-2) counts, is marked
-- and is checked in to only by that group's students (enrolment.academic_group); NULL = the whole section, as before.
ALTER TABLE class_session ADD COLUMN academic_group TEXT CHECK (char_length(academic_group) <= 64);

-- Advisers (issue 12 §5): Kazakh universities give each student an adviser (эдвайзер / куратор), whom the portal
-- knows. The sync daemon sends the link as `adviserId` on a student's enrolment; the latest upload naming the
-- student wins (one adviser per student, whichever section's roster carried it). An adviser is a portal person id,
-- like any other: it signs in as staff (role ADVISER, implied by being someone's adviser) and gets the warnings.
CREATE TABLE student_adviser (
    student_id TEXT        PRIMARY KEY,
    adviser_id TEXT        NOT NULL CHECK (adviser_id <> '' AND adviser_id <> student_id),
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX student_adviser_adviser ON student_adviser (adviser_id);

-- Warnings and locks reach the adviser too (notify.advisers).
ALTER TABLE notification DROP CONSTRAINT notification_recipient_role_check;
ALTER TABLE notification ADD CONSTRAINT notification_recipient_role_check
    CHECK (recipient_role IN ('student', 'teacher', 'adviser'));

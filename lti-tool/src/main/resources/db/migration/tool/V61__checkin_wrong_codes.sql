-- The cap on wrong check-in codes (checkin.maxWrongCodes) counts a student's WRONG_CODE attempts per class session
-- from checkin_attempt on every attempt: this index keeps that count to the student's own rows.
CREATE INDEX checkin_attempt_wrong_codes ON checkin_attempt (checkin_id, person_id) WHERE reason = 'WRONG_CODE';

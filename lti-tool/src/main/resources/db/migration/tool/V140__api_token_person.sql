-- An issued API token may stand for a person (issue 10): a `proctor` token issued for a person sees only the exams
-- that person is assigned to proctor (proctored_exam_proctor); a token without a person is an integration.
ALTER TABLE api_token ADD COLUMN person_id TEXT;

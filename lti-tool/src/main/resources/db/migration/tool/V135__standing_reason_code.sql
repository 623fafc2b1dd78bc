-- The standing's explanation as data (issue 12 §1): a code and the numbers it names, rendered on each page in the
-- reader's language. The old English sentence stays in standing.reason for anything that reads the table.
ALTER TABLE standing ADD COLUMN reason_code TEXT, ADD COLUMN reason_args JSONB;

-- Rows stored before: their own numbers under the code SUMMARY (the policy's thresholds were not stored).
UPDATE standing SET reason_code = 'SUMMARY',
                    reason_args = jsonb_build_object(
                            'unexcusedHours', absent_hours + late_absence_hours, 'plannedHours', planned_hours,
                            'absentHours', absent_hours, 'lateAbsenceHours', late_absence_hours,
                            'lateCount', late_count, 'excusedHours', excused_hours,
                            'sharePercent', round(absence_share * 100, 2), 'budget', absence_budget);

ALTER TABLE standing ALTER COLUMN reason_code SET NOT NULL, ALTER COLUMN reason_args SET NOT NULL;

-- Each transition's numbers before and after and the reason of the standing it led to, for the dean's history page:
-- {"before": {"unexcusedHours", "plannedHours", "sharePercent"} | null, "after": {…}, "overridden": bool,
--  "reasonCode": "...", "reasonArgs": {…}}. Old rows: the numbers read back from their detail text.
ALTER TABLE standing_history ADD COLUMN detail_args JSONB;

UPDATE standing_history h SET detail_args = jsonb_build_object(
        'before', CASE WHEN m[1] IS NULL THEN NULL ELSE jsonb_build_object(
                'unexcusedHours', m[1]::int, 'plannedHours', m[2]::int, 'sharePercent', round(m[3]::numeric * 100, 2)) END,
        'after', jsonb_build_object(
                'unexcusedHours', m[4]::int, 'plannedHours', m[5]::int, 'sharePercent', round(m[6]::numeric * 100, 2)),
        'overridden', m[7] IS NOT NULL)
FROM (SELECT id, regexp_match(detail,
        '^(?:nothing recorded|(\d+)/(\d+) h \(([0-9.]+), [A-Z]+(?: by override)?\)) → (\d+)/(\d+) h \(([0-9.]+), [A-Z]+( by override)?\)')
        AS m
      FROM standing_history) parsed
WHERE parsed.id = h.id AND parsed.m IS NOT NULL;

-- Names, not ids (issue 12 §2) and Open edX courses on portal sections (§7).
--
-- One name store: `person` (V50) takes the portal's structured names, which the sync daemon sends with each roster
-- upload, beside the names launches and NRPS rosters teach. The portal's name wins; a launch or NRPS name only fills
-- a gap. given/family/middle are kept apart so lists sort by family name, then given name, then patronymic.
ALTER TABLE person
    ADD COLUMN given_name  TEXT,
    ADD COLUMN family_name TEXT,
    ADD COLUMN middle_name TEXT;
ALTER TABLE person DROP CONSTRAINT person_source_check;
ALTER TABLE person ADD CONSTRAINT person_source_check CHECK (source IN ('launch', 'nrps', 'portal'));

-- V70's person_name (names copied out of launches for reports) joins the one store; the newest name wins.
INSERT INTO person (person_id, display_name, source, updated_at)
SELECT person_id, btrim(name), 'launch', updated_at FROM person_name WHERE btrim(name) <> ''
ON CONFLICT (person_id) DO UPDATE SET display_name = EXCLUDED.display_name, updated_at = EXCLUDED.updated_at
WHERE person.updated_at < EXCLUDED.updated_at;
DROP TABLE person_name;

-- The portal login (single sign-on username, lower case) of a portal person, as the roster upload sent it: an Open
-- edX launch carries the username only, and this turns it into the portal person id. One person per login.
CREATE TABLE person_login (
    login      TEXT        PRIMARY KEY CHECK (login = lower(login) AND login <> ''),
    person_id  TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX person_login_person ON person_login (person_id);

-- The Open edX course (course-v1:Org+Course+Run) a portal section runs in, as the section upload sent it: a launch
-- from that course opens the section, with its timetable and roster. A course key belongs to one section.
CREATE TABLE section_openedx_course (
    course_key TEXT        PRIMARY KEY,
    section_id TEXT        NOT NULL REFERENCES section (section_id),
    linked_by  TEXT        NOT NULL,
    linked_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX section_openedx_course_section ON section_openedx_course (section_id);

-- Names of launches still on record that no page had copied yet (the store used to be filled lazily from them).
INSERT INTO person (person_id, display_name, source, updated_at)
SELECT DISTINCT ON (pid) pid, name, 'launch', created_at FROM (
    SELECT COALESCE(NULLIF(btrim(person_sourcedid), ''), NULLIF(btrim(username), ''),
                    'lti-' || platform_id || '-' || subject) AS pid,
           btrim(name) AS name, created_at
    FROM tool_session WHERE name IS NOT NULL AND btrim(name) <> '') s
ORDER BY pid, created_at DESC
ON CONFLICT (person_id) DO UPDATE SET display_name = EXCLUDED.display_name, updated_at = EXCLUDED.updated_at
WHERE person.updated_at < EXCLUDED.updated_at;

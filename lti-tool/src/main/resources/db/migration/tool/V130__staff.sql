-- Staff as people (issue 12 §8): the dean's office of some faculties, proctors and administrators, each a person id
-- (the portal's, as launches carry it) with the roles an administrator granted. Every change is in admin_audit.
CREATE TABLE staff_member (
    person_id    TEXT        PRIMARY KEY,
    -- the name the administrator gave; a sign-in's own name (launch, id_token) is used when this is NULL
    display_name TEXT,
    granted_by   TEXT        NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE staff_role (
    person_id TEXT NOT NULL REFERENCES staff_member (person_id) ON DELETE CASCADE,
    role      TEXT NOT NULL CHECK (role IN ('DEANS_OFFICE', 'PROCTOR', 'ADMINISTRATOR')),
    PRIMARY KEY (person_id, role)
);

-- The faculties a DEANS_OFFICE member sees ('*' = every faculty, e.g. the registrar's office).
CREATE TABLE staff_faculty (
    person_id TEXT NOT NULL REFERENCES staff_member (person_id) ON DELETE CASCADE,
    faculty   TEXT NOT NULL,
    PRIMARY KEY (person_id, faculty)
);

-- The faculty (or school / department code) a section belongs to, as the sync daemon sends it; NULL = unknown
-- (only the bootstrap admin token and '*' deans see such sections).
ALTER TABLE section ADD COLUMN faculty TEXT;
CREATE INDEX section_faculty ON section (faculty);

-- A staff web session is an admin_session of a person: no token, the person's id and name. It lasts while the
-- person keeps at least one role; the roles themselves are read on every request.
ALTER TABLE admin_session ADD COLUMN person_id TEXT;
ALTER TABLE admin_session ADD COLUMN display_name TEXT;

-- One-time tickets: a launch by a staff member opens the staff area in a new window (first-party cookie).
CREATE TABLE staff_ticket (
    ticket_hash  TEXT        PRIMARY KEY,
    person_id    TEXT        NOT NULL,
    display_name TEXT,
    expires_at   TIMESTAMPTZ NOT NULL
);

-- OpenID Connect sign-ins in progress: state (hashed), the browser it was started in, nonce and PKCE verifier.
CREATE TABLE oidc_login (
    state_hash   TEXT        PRIMARY KEY,
    browser_hash TEXT        NOT NULL,
    nonce        TEXT        NOT NULL,
    verifier     TEXT        NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);

-- Proctoring media store (issue 10): what is stored where, recordings assembled from resumable chunks, and the audit
-- of every read, export, deletion and retention purge. The objects themselves are encrypted in the media store.
CREATE TABLE proctoring_recording (
    id          TEXT        PRIMARY KEY,
    person_id   TEXT        NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    last_index  INTEGER
);
CREATE INDEX proctoring_recording_person ON proctoring_recording (person_id);

CREATE TABLE proctoring_media (
    object_key   TEXT        PRIMARY KEY,
    person_id    TEXT        NOT NULL,
    kind         TEXT        NOT NULL CHECK (kind IN ('snapshot', 'id_photo', 'room_scan', 'recording_chunk')),
    content_type TEXT        NOT NULL,
    size         BIGINT      NOT NULL CHECK (size > 0),
    sha256       TEXT        NOT NULL,
    recording_id TEXT        REFERENCES proctoring_recording (id) ON DELETE CASCADE,
    chunk_index  INTEGER     CHECK (chunk_index >= 0),
    created_at   TIMESTAMPTZ NOT NULL,
    CHECK ((kind = 'recording_chunk') = (recording_id IS NOT NULL AND chunk_index IS NOT NULL)),
    UNIQUE (recording_id, chunk_index)
);
CREATE INDEX proctoring_media_person ON proctoring_media (person_id);
CREATE INDEX proctoring_media_created ON proctoring_media (created_at);

CREATE TABLE proctoring_media_audit (
    id         BIGSERIAL   PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    actor      TEXT        NOT NULL,
    action     TEXT        NOT NULL CHECK (action IN ('view', 'download', 'export', 'delete', 'purge')),
    person_id  TEXT,
    object_key TEXT,
    detail     TEXT
);
CREATE INDEX proctoring_media_audit_person ON proctoring_media_audit (person_id, at);

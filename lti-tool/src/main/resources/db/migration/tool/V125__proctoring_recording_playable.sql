-- Seekable playback of recordings (issue 10): MediaRecorder's timeslice chunks have no Cues and no duration, so the
-- server remuxes a recording once with ffmpeg and keeps the result, encrypted, as a 'recording_playable' object.
-- derived_from is the SHA-256 of the chunk list (index and hash of each chunk) it was made from: when the chunks
-- change (more arrive, some are purged) the copy is stale and is made again. One copy per recording.
ALTER TABLE proctoring_media DROP CONSTRAINT proctoring_media_kind_check;
ALTER TABLE proctoring_media ADD CONSTRAINT proctoring_media_kind_check
    CHECK (kind IN ('snapshot', 'id_photo', 'room_scan', 'recording_chunk', 'recording_playable'));
ALTER TABLE proctoring_media ADD COLUMN derived_from TEXT;
ALTER TABLE proctoring_media ADD CONSTRAINT proctoring_media_playable_check
    CHECK ((kind = 'recording_playable')
           = (recording_id IS NOT NULL AND chunk_index IS NULL AND derived_from IS NOT NULL));
CREATE UNIQUE INDEX proctoring_media_playable ON proctoring_media (recording_id) WHERE kind = 'recording_playable';

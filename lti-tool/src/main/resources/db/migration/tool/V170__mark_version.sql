-- Optimistic concurrency on the marking grid (issue 12 §3): each mark carries the version it is at; a save from the
-- grid or the API says which version it was read at, and a mark changed meanwhile is not overwritten but shown.
-- 1 for a mark's first save, +1 for every change (MarkRepository.saveAll); no row = version 0.
ALTER TABLE mark ADD COLUMN version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1);

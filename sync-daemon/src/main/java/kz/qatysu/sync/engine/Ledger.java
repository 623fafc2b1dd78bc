package kz.qatysu.sync.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import kz.qatysu.connectors.http.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The memory of what was last written to each target per record: content hash, the fields themselves (to explain
 * the next change), the target's id for it, and whether it was suspended. Only successful writes are recorded, so a
 * record that failed is simply planned again next time.
 */
public final class Ledger {
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {
    };

    private final Jdbi jdbi;

    public Ledger(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    public Map<String, LedgerState> states(String target) {
        Map<String, LedgerState> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT record_key, content_hash, remote_id, suspended, fields->>'count' FROM sync_ledger WHERE target = :target""")
                .bind("target", target)
                .setFetchSize(5000)
                .map((rs, ctx) -> new LedgerState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getString(5) == null ? null : Integer.valueOf(rs.getString(5))))
                .forEach(s -> out.put(s.key(), s)));
        return out;
    }

    /** The fields last written for {@code keys} (to explain updates). */
    public Map<String, Map<String, String>> fields(String target, Collection<String> keys) {
        Map<String, Map<String, String>> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT record_key, fields::text FROM sync_ledger WHERE target = :target AND record_key = ANY(:keys)""")
                .bind("target", target)
                .bindArray("keys", String.class, keys)
                .map((rs, ctx) -> Map.entry(rs.getString(1), parse(rs.getString(2))))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    /** Target ids of every active or suspended record of {@code target}, by record key. */
    public Map<String, String> remoteIds(String target) {
        Map<String, String> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT record_key, remote_id FROM sync_ledger WHERE target = :target AND remote_id IS NOT NULL""")
                .bind("target", target)
                .setFetchSize(5000)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    /** Records the successful writes of one batch; runs inside the caller's transaction. */
    static void record(Handle h, String target, long runId, List<Written> written) {
        if (written.isEmpty()) {
            return;
        }
        var batch = h.prepareBatch("""
                INSERT INTO sync_ledger (target, record_key, content_hash, fields, remote_id, suspended, updated_at, run_id)
                VALUES (:target, :key, :hash, CAST(:fields AS jsonb), :remoteId, :suspended, :at, :runId)
                ON CONFLICT (target, record_key) DO UPDATE SET
                    content_hash = EXCLUDED.content_hash,
                    fields = CASE WHEN EXCLUDED.fields = 'null'::jsonb THEN sync_ledger.fields ELSE EXCLUDED.fields END,
                    remote_id = COALESCE(EXCLUDED.remote_id, sync_ledger.remote_id),
                    suspended = EXCLUDED.suspended, updated_at = EXCLUDED.updated_at, run_id = EXCLUDED.run_id""");
        OffsetDateTime now = OffsetDateTime.now();
        for (Written w : written) {
            batch.bind("target", target).bind("key", w.key()).bind("hash", w.hash()).bind("fields", Json.write(w.fields()))
                    .bind("remoteId", w.remoteId()).bind("suspended", w.suspended()).bind("at", now).bind("runId", runId).add();
        }
        batch.execute();
    }

    /** One record's successful write. */
    record Written(String key, String hash, Map<String, String> fields, String remoteId, boolean suspended) {
    }

    private static Map<String, String> parse(String json) {
        try {
            return Json.MAPPER.readValue(json, FIELDS);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable ledger fields: " + e.getMessage(), e);
        }
    }
}

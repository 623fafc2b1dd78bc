package kz.qatysu.tool.deans;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Jdbi;

import java.util.Map;

/** Rows of {@code admin_audit}: who did what to which subject, with a JSON detail (never a secret). */
public final class AdminAudit {
    private final Jdbi jdbi;
    private final ObjectMapper json;

    public AdminAudit(Jdbi jdbi, ObjectMapper json) {
        this.jdbi = jdbi;
        this.json = json;
    }

    public void record(String actor, String action, String subject, Map<String, ?> detail) {
        String body;
        try {
            body = json.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO admin_audit (actor, action, subject, detail) VALUES (:actor, :action, :subject, CAST(:detail AS JSONB))")
                .bind("actor", actor).bind("action", action).bind("subject", subject).bind("detail", body).execute());
    }
}

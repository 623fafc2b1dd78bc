package kz.qatysu.tool.lti.session;

import kz.qatysu.tool.util.Utc;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.tool.lti.ToolRole;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** Tool sessions in PostgreSQL, stored under the SHA-256 of the cookie secret (a database dump reveals no session). */
public final class SessionRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private static final RowMapper<ToolSession> MAPPER = (rs, ctx) -> new ToolSession(
            rs.getString("launch_key"), rs.getLong("platform_id"), rs.getString("deployment_id"),
            rs.getString("message_type"), rs.getString("subject"), rs.getString("name"), rs.getString("email"),
            ToolRole.valueOf(rs.getString("role")), Arrays.asList((String[]) rs.getArray("roles").getArray()),
            rs.getString("context_id"), rs.getString("context_label"), rs.getString("context_title"),
            rs.getString("resource_link_id"), rs.getString("resource_link_title"), rs.getString("locale"),
            rs.getString("person_sourcedid"), rs.getString("course_section_sourcedid"), rs.getString("username"),
            rs.getString("openedx_course_key"), read(rs.getString("services")),
            rs.getObject("created_at", OffsetDateTime.class).toInstant(),
            rs.getObject("expires_at", OffsetDateTime.class).toInstant());

    private final Jdbi jdbi;

    public SessionRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void insert(Handle h, String idHash, ToolSession s) {
        bindSession(h.createUpdate("""
                        INSERT INTO tool_session (id_hash, launch_key, platform_id, deployment_id, message_type, subject, name,
                            email, role, roles, context_id, context_label, context_title, resource_link_id, resource_link_title,
                            locale, person_sourcedid, course_section_sourcedid, username, openedx_course_key, services,
                            created_at, expires_at)
                        VALUES (:idHash, :launchKey, :platformId, :deploymentId, :messageType, :subject, :name,
                            :email, :role, :roles, :contextId, :contextLabel, :contextTitle, :resourceLinkId, :resourceLinkTitle,
                            :locale, :person, :section, :username, :courseKey, CAST(:services AS jsonb), :createdAt, :expiresAt)"""), idHash, s)
                .execute();
    }

    /**
     * Records the launch's nonce and stores its session in one statement (one round trip): the session row is written
     * only when the nonce was not seen before on the platform. False, with nothing stored, for a replayed nonce.
     */
    public boolean insertIfNonceFresh(Handle h, String idHash, ToolSession s, String nonce, Instant nonceKeepUntil) {
        return bindSession(h.createUpdate("""
                        WITH fresh AS (
                            INSERT INTO lti_nonce (platform_id, nonce, expires_at) VALUES (:platformId, :nonce, :nonceUntil)
                            ON CONFLICT DO NOTHING RETURNING 1)
                        INSERT INTO tool_session (id_hash, launch_key, platform_id, deployment_id, message_type, subject, name,
                            email, role, roles, context_id, context_label, context_title, resource_link_id, resource_link_title,
                            locale, person_sourcedid, course_section_sourcedid, username, openedx_course_key, services,
                            created_at, expires_at)
                        SELECT :idHash, :launchKey, :platformId, :deploymentId, :messageType, :subject, :name,
                            :email, :role, :roles, :contextId, :contextLabel, :contextTitle, :resourceLinkId, :resourceLinkTitle,
                            :locale, :person, :section, :username, :courseKey, CAST(:services AS jsonb), :createdAt, :expiresAt
                        FROM fresh"""), idHash, s)
                .bind("nonce", nonce).bind("nonceUntil", Utc.of(nonceKeepUntil))
                .execute() == 1;
    }

    /** The values of a tool_session row, by the names both inserts use. */
    private static Update bindSession(Update u, String idHash, ToolSession s) {
        return u
                .bind("idHash", idHash).bind("launchKey", s.launchKey()).bind("platformId", s.platformId())
                .bind("deploymentId", s.deploymentId()).bind("messageType", s.messageType()).bind("subject", s.subject())
                .bind("name", s.name()).bind("email", s.email()).bind("role", s.role().name())
                .bind("roles", s.roles().toArray(String[]::new)).bind("contextId", s.contextId())
                .bind("contextLabel", s.contextLabel()).bind("contextTitle", s.contextTitle())
                .bind("resourceLinkId", s.resourceLinkId()).bind("resourceLinkTitle", s.resourceLinkTitle())
                .bind("locale", s.locale()).bind("person", s.personSourcedId()).bind("section", s.courseSectionSourcedId())
                .bind("username", s.username()).bind("courseKey", s.openedxCourseKey()).bind("services", write(s.services()))
                .bind("createdAt", Utc.of(s.createdAt())).bind("expiresAt", Utc.of(s.expiresAt()));
    }

    public Optional<ToolSession> find(String idHash, String launchKey, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM tool_session WHERE id_hash = :idHash AND launch_key = :launchKey AND expires_at > :now""")
                .bind("idHash", idHash).bind("launchKey", launchKey).bind("now", Utc.of(now))
                .map(MAPPER).findOne());
    }

    public int deleteExpired(Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM tool_session WHERE expires_at < :now").bind("now", Utc.of(now)).execute());
    }


    private static String write(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> read(String s) {
        try {
            return s == null ? Map.of() : JSON.readValue(s, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package kz.qatysu.tool.lti.platforms;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.net.URI;
import java.sql.Array;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Platform registrations in PostgreSQL. */
public final class PlatformRepository {
    private static final String COLUMNS = """
            id, issuer, client_id, name, auth_login_url, auth_token_url, key_set_url, deployment_ids, enabled,
            product_family, source, created_at, updated_at""";

    private static final RowMapper<Platform> MAPPER = (rs, ctx) -> new Platform(
            rs.getLong("id"), rs.getString("issuer"), rs.getString("client_id"), rs.getString("name"),
            URI.create(rs.getString("auth_login_url")), URI.create(rs.getString("auth_token_url")),
            URI.create(rs.getString("key_set_url")), strings(rs.getArray("deployment_ids")), rs.getBoolean("enabled"),
            rs.getString("product_family"), rs.getString("source"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant(),
            rs.getObject("updated_at", OffsetDateTime.class).toInstant());

    private final Jdbi jdbi;

    public PlatformRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public List<Platform> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM platform ORDER BY id")
                .map(MAPPER).list());
    }

    public Optional<Platform> find(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    static Optional<Platform> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM platform WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    public Optional<Platform> findByIssuerAndClient(String issuer, String clientId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM platform WHERE issuer = :iss AND client_id = :cid")
                .bind("iss", issuer).bind("cid", clientId).map(MAPPER).findOne());
    }

    /** Inserts a registration; the caller's transaction also writes the audit row. */
    public Platform insert(Handle h, PlatformInput in, String productFamily, String source) {
        return h.createQuery("""
                        INSERT INTO platform (issuer, client_id, name, auth_login_url, auth_token_url, key_set_url,
                                              deployment_ids, enabled, product_family, source)
                        VALUES (:issuer, :clientId, :name, :login, :token, :keys, :deployments, :enabled, :family, :source)
                        RETURNING """ + " " + COLUMNS)
                .bind("issuer", in.issuer()).bind("clientId", in.clientId()).bind("name", in.name())
                .bind("login", in.authLoginUrl()).bind("token", in.authTokenUrl()).bind("keys", in.keySetUrl())
                .bind("deployments", in.deploymentIds().toArray(String[]::new))
                .bind("enabled", in.enabled() == null || in.enabled())
                .bind("family", productFamily).bind("source", source)
                .map(MAPPER).one();
    }

    public Optional<Platform> update(Handle h, long id, PlatformInput in) {
        return h.createQuery("""
                        UPDATE platform SET issuer = :issuer, client_id = :clientId, name = :name,
                               auth_login_url = :login, auth_token_url = :token, key_set_url = :keys,
                               deployment_ids = :deployments, enabled = :enabled, updated_at = now()
                        WHERE id = :id RETURNING """ + " " + COLUMNS)
                .bind("id", id).bind("issuer", in.issuer()).bind("clientId", in.clientId()).bind("name", in.name())
                .bind("login", in.authLoginUrl()).bind("token", in.authTokenUrl()).bind("keys", in.keySetUrl())
                .bind("deployments", in.deploymentIds().toArray(String[]::new))
                .bind("enabled", in.enabled() == null || in.enabled())
                .map(MAPPER).findOne();
    }

    public Optional<Platform> setEnabled(Handle h, long id, boolean enabled) {
        return h.createQuery("UPDATE platform SET enabled = :enabled, updated_at = now() WHERE id = :id RETURNING " + COLUMNS)
                .bind("id", id).bind("enabled", enabled).map(MAPPER).findOne();
    }

    public void addDeployment(Handle h, long id, String deploymentId) {
        h.createUpdate("""
                        UPDATE platform SET deployment_ids = array_append(deployment_ids, :d), updated_at = now()
                        WHERE id = :id AND NOT (:d = ANY(deployment_ids))""")
                .bind("id", id).bind("d", deploymentId).execute();
    }

    public void audit(Handle h, String actor, String action, String subject, String detailJson) {
        h.createUpdate("INSERT INTO admin_audit (actor, action, subject, detail) VALUES (:actor, :action, :subject, CAST(:detail AS jsonb))")
                .bind("actor", actor).bind("action", action).bind("subject", subject).bind("detail", detailJson).execute();
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}

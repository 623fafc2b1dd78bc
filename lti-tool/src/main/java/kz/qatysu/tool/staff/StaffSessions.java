package kz.qatysu.tool.staff;

import io.javalin.http.Context;
import kz.qatysu.tool.admin.AdminSessions;
import kz.qatysu.tool.util.Tokens;
import kz.qatysu.tool.util.Utc;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The staff member signed in on this request, for any feature that serves staff pages:
 * <pre>{@code
 * StaffPrincipal p = staffSessions.current(ctx).filter(s -> s.has(StaffRole.PROCTOR))
 *         .orElseThrow(() -> new ForbiddenResponse("proctors only"));
 * audit.record(p.actor(), ...);   // "staff:P-123 Aigerim N."
 * }</pre>
 * A staff session is an admin-area session ({@link AdminSessions}, cookie {@code qatysu_admin}, path {@code /admin},
 * HttpOnly, Secure on https, SameSite=Strict, CSRF tokens as on every admin form), so staff pages live under
 * {@code /admin/…}. Roles and faculties are read on every request: a revoked grant ends the session at once. A session
 * signed in with the admin token is no staff member: {@link #current} is empty for it.
 */
public final class StaffSessions {
    /** How long the one-time ticket of a launch may wait for its click ("Open the staff area"). */
    public static final Duration TICKET_LIFETIME = Duration.ofMinutes(5);
    private static final String ATTRIBUTE = "qatysu.staffPrincipal";

    private final AdminSessions sessions;
    private final StaffDirectory directory;
    private final Jdbi jdbi;
    private final Clock clock;

    public StaffSessions(AdminSessions sessions, StaffDirectory directory, Jdbi jdbi, Clock clock) {
        this.sessions = sessions;
        this.directory = directory;
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** The signed-in staff member of this request (roles as of now), if any. */
    public Optional<StaffPrincipal> current(Context ctx) {
        Optional<StaffPrincipal> cached = ctx.attribute(ATTRIBUTE);
        if (cached != null) {
            return cached;
        }
        Optional<StaffPrincipal> p = sessions.find(ctx).flatMap(this::principal);
        ctx.attribute(ATTRIBUTE, p);
        return p;
    }

    /** The principal behind an admin-area session: empty for a token session or a person without roles. */
    public Optional<StaffPrincipal> principal(AdminSessions.AdminSession session) {
        return session.isStaff() ? directory.principal(session.personId(), session.displayName()) : Optional.empty();
    }

    /** Opens the staff session of a signed-in person (who must hold a role: checked by the caller). */
    public void open(Context ctx, StaffPrincipal p) {
        sessions.openStaff(ctx, p.personId(), p.displayName());
    }

    public StaffDirectory directory() {
        return directory;
    }

    /** A one-time ticket for {@code POST /admin/staff/enter}: only its hash is kept, it lives {@link #TICKET_LIFETIME}. */
    public String issueTicket(StaffPrincipal p) {
        String ticket = Tokens.random(32);
        jdbi.useHandle(h -> {
            h.createUpdate("DELETE FROM staff_ticket WHERE expires_at <= :now").bind("now", Utc.of(clock.instant())).execute();
            h.createUpdate("INSERT INTO staff_ticket (ticket_hash, person_id, display_name, expires_at) VALUES (:t, :p, :n, :e)")
                    .bind("t", Tokens.sha256Hex(ticket)).bind("p", p.personId()).bind("n", p.displayName())
                    .bind("e", Utc.of(clock.instant().plus(TICKET_LIFETIME))).execute();
        });
        return ticket;
    }

    /** Spends a ticket: the principal it was issued for (roles as of now), or empty when unknown, used or expired. */
    public Optional<StaffPrincipal> redeem(String ticket) {
        if (ticket == null || ticket.isBlank()) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery("""
                        DELETE FROM staff_ticket WHERE ticket_hash = :t AND expires_at > :now RETURNING person_id, display_name""")
                .bind("t", Tokens.sha256Hex(ticket)).bind("now", Utc.of(clock.instant()))
                .map((rs, c) -> new String[]{rs.getString(1), rs.getString(2)}).findOne())
                .flatMap(row -> directory.principal(row[0], row[1]));
    }
}

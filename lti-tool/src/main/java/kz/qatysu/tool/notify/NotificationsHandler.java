package kz.qatysu.tool.notify;

import io.javalin.http.Context;
import kz.qatysu.tool.deans.AdminGate;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.util.List;

/**
 * The dean's office's list of warnings that could not be delivered (given up, skipped, or failing and waiting
 * for a retry), newest first, with the stored error. Shows person ids, never addresses.
 */
public final class NotificationsHandler {
    static final int LIMIT = 200;

    private final Notifier notifier;
    private final AdminGate gate;
    private final Pages pages;

    public NotificationsHandler(Notifier notifier, AdminGate gate, Pages pages) {
        this.notifier = notifier;
        this.gate = gate;
        this.pages = pages;
    }

    public record ProblemsPage(Messages t, boolean enabled, List<Outbox.Problem> problems) {
    }

    public void problems(Context ctx) {
        gate.everyFaculty(ctx);
        pages.html(ctx, "notify/problems.jte", new ProblemsPage(gate.messages(ctx), notifier.enabled(), notifier.problems(LIMIT)));
    }
}

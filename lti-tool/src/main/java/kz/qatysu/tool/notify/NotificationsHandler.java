package kz.qatysu.tool.notify;

import io.javalin.http.Context;
import kz.qatysu.tool.deans.AdminGate;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.util.List;
import java.util.Map;

/**
 * The dean's office's list of warnings that could not be delivered (given up, skipped, or failing and waiting
 * for a retry), newest first, with the stored error. Shows person ids, never addresses. Statuses, kinds and channels
 * are words in the reader's language, times {@code dd.MM.yyyy HH:mm} in the institution's zone (issue 12 §1); the
 * reasons the tool itself gives are translated, what a mail server or Moodle answered is shown as they said it.
 */
public final class NotificationsHandler {
    static final int LIMIT = 200;

    /** The reasons {@link Notifier}, {@link MailSender} and {@link MoodleMessenger} store, word for word → message key. */
    private static final Map<String, String> OWN_REASONS = Map.of(
            "the standing history row is gone", "notify.admin.reason.historyGone",
            "the student has no standing any more", "notify.admin.reason.noStanding",
            "e-mail is no longer configured", "notify.admin.reason.emailOff",
            "no e-mail address known (no launch with an email claim yet)", "notify.admin.reason.noAddress",
            "Moodle messages are no longer configured", "notify.admin.reason.moodleOff",
            "no Moodle user is known for this person (no launch, no user with this idnumber)", "notify.admin.reason.noMoodleUser",
            "invalid e-mail address", "notify.admin.reason.invalidAddress",
            "Moodle: unexpected answer to core_message_send_instant_messages", "notify.admin.reason.moodleUnexpected");
    /** Reasons of ours that end with what the other side said: prefix → message key with that as {0}. */
    private static final List<Map.Entry<String, String>> OWN_PREFIXES = List.of(
            Map.entry("the SMTP server rejected the address: ", "notify.admin.reason.addressRejected"),
            Map.entry("Moodle: message not sent: ", "notify.admin.reason.moodleNotSent"),
            Map.entry("user lookup: ", "notify.admin.reason.userLookup"),
            Map.entry("unknown channel ", "notify.admin.reason.unknownChannel"));

    private final Notifier notifier;
    private final AdminGate gate;
    private final Pages pages;

    public NotificationsHandler(Notifier notifier, AdminGate gate, Pages pages) {
        this.notifier = notifier;
        this.gate = gate;
        this.pages = pages;
    }

    /**
     * One row as shown: {@code status} the stored code (PENDING, SENDING, FAILED, SKIPPED) for the page's classes,
     * everything else in the reader's words.
     */
    public record Row(String when, String sectionId, String studentId, String recipientId, String channel, String kind,
                      String status, String statusText, int attempts, String error) {
    }

    public record ProblemsPage(Messages t, boolean enabled, List<Row> problems) {
    }

    public void problems(Context ctx) {
        gate.everyFaculty(ctx);
        Messages t = gate.messages(ctx);
        List<Row> rows = notifier.problems(LIMIT).stream().map(p -> row(t, p)).toList();
        pages.html(ctx, "notify/problems.jte", new ProblemsPage(t, notifier.enabled(), rows));
    }

    /** {@code p} in {@code t}'s words; a code without a text (a later version's) is shown as stored. */
    static Row row(Messages t, Outbox.Problem p) {
        return new Row(t.dateTime(p.createdAt()), p.sectionId(), p.studentId(), p.recipientId(),
                words(t, "notify.admin.channel." + p.channel(), p.channel()), words(t, "notify.admin.kind." + p.kind(), p.kind()),
                p.status(), words(t, "notify.admin.status." + p.status(), p.status()), p.attempts(), reason(t, p.lastError()));
    }

    /**
     * The stored error in the reader's language where the words are ours ("no e-mail address known …"); what a mail
     * server or Moodle answered stays as they said it. "" for none.
     */
    static String reason(Messages t, String stored) {
        if (stored == null || stored.isBlank()) {
            return "";
        }
        String key = OWN_REASONS.get(stored);
        if (key != null) {
            return t.t(key);
        }
        for (Map.Entry<String, String> prefix : OWN_PREFIXES) {
            if (stored.startsWith(prefix.getKey())) {
                return t.t(prefix.getValue(), stored.substring(prefix.getKey().length()));
            }
        }
        return stored;
    }

    private static String words(Messages t, String key, String raw) {
        String text = t.t(key);
        return text.equals(key) ? raw : text;
    }
}

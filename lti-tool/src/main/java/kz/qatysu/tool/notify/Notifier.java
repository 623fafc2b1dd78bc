package kz.qatysu.tool.notify;

import kz.qatysu.tool.web.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Warns students (and, when configured, their teachers and advisers) when their standing crosses into WARNING or LOCKED, or a
 * lock is lifted: by Moodle private message and by e-mail, each channel only when configured. One pass
 * ({@link #deliverDue}) copies new launch contacts, queues new transitions from the standing history, then sends
 * what is due. Every notification is sent at most once, whatever the number of tool instances; a failure is
 * retried with backoff and given up after {@code notify.maxAttempts}, its error kept for the admin list.
 */
public final class Notifier {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    static final Duration LEASE = Duration.ofMinutes(10);
    static final int BATCH = 20;

    private final NotifySettings settings;
    private final Outbox outbox;
    private final Optional<MailSender> mail;
    private final MoodleMessenger moodle;
    private final Messages defaultMessages;
    private final Clock clock;

    public Notifier(NotifySettings settings, Outbox outbox, Optional<MailSender> mail, MoodleMessenger moodle,
                    Messages defaultMessages, Clock clock) {
        this.settings = settings;
        this.outbox = outbox;
        this.mail = mail;
        this.moodle = moodle;
        this.defaultMessages = defaultMessages;
        this.clock = clock;
    }

    /** What one pass did. */
    public record Pass(int queued, int sent, int skipped, int failed) {
        Pass plus(Pass o) {
            return new Pass(queued + o.queued, sent + o.sent, skipped + o.skipped, failed + o.failed);
        }
    }

    public boolean enabled() {
        return settings.anyChannel();
    }

    /** Queues new transitions and sends due notifications, at most {@code limit} sends per pass. */
    public Pass deliverDue(int limit) {
        if (!settings.anyChannel()) {
            return new Pass(0, 0, 0, 0);
        }
        Instant now = clock.instant();
        outbox.harvestContacts();
        int queued = outbox.enqueue(now, now.minus(settings.maxAge()), settings.channels(), settings.teachers(),
                settings.advisers(), settings.lockLifted());
        Pass pass = new Pass(queued, 0, 0, 0);
        int done = 0;
        while (done < limit) {
            List<Outbox.Claimed> batch = outbox.claim(clock.instant(), LEASE, Math.min(BATCH, limit - done));
            if (batch.isEmpty()) {
                break;
            }
            for (Outbox.Claimed n : batch) {
                Outcome outcome = deliver(n);
                outbox.finish(n, outcome, clock.instant(), settings.maxAttempts());
                pass = pass.plus(switch (outcome.result()) {
                    case SENT -> new Pass(0, 1, 0, 0);
                    case SKIPPED, OBSOLETE -> new Pass(0, 0, 1, 0);
                    case RETRY -> new Pass(0, 0, 0, 1);
                });
                if (outcome.result() == Outcome.Result.SKIPPED || outcome.result() == Outcome.Result.RETRY) {
                    log.warn("warning {} ({} to {} by {}) not sent, attempt {}: {}", n.id(), n.kind(), n.recipientRole(),
                            n.channel(), n.attempts(), outcome.detail());
                }
            }
            done += batch.size();
        }
        if (pass.queued + pass.sent + pass.skipped + pass.failed > 0) {
            log.info("warnings: {} queued, {} sent, {} skipped, {} failed", pass.queued, pass.sent, pass.skipped, pass.failed);
        }
        return pass;
    }

    Outcome deliver(Outbox.Claimed n) {
        Optional<Outbox.Subject> subject = outbox.subject(n);
        if (subject.isEmpty()) {
            return Outcome.skipped("the standing history row is gone");
        }
        Outbox.Subject s = subject.get();
        if (s.currentState() == null) {
            return Outcome.skipped("the student has no standing any more");
        }
        if (!s.currentState().equals(s.toState())) {
            return Outcome.obsolete("superseded: the state is now " + s.currentState());
        }
        Outbox.Contact contact = outbox.contact(n.recipientId());
        Messages t = contact.language().map(l -> Messages.forLocale(l, defaultMessages)).orElse(defaultMessages);
        WarningText.Text text = WarningText.render(new WarningText.Facts(n.kind(), s.discipline(), s.studentName(),
                s.absenceShare(), s.unexcusedHours(), s.plannedHours(), s.absenceBudget(), s.cause(),
                s.cause().startsWith("OVERRIDE_") ? s.overrideReason() : null), WarningText.Recipient.of(n.recipientRole()), t);
        return switch (n.channel()) {
            case Channel.EMAIL -> email(n, contact, text);
            case Channel.MOODLE -> moodle(n, text);
            default -> Outcome.skipped("unknown channel " + n.channel());
        };
    }

    private Outcome email(Outbox.Claimed n, Outbox.Contact contact, WarningText.Text text) {
        if (mail.isEmpty()) {
            return Outcome.skipped("e-mail is no longer configured");
        }
        if (contact.email().isEmpty()) {
            return Outcome.skipped("no e-mail address known (no launch with an email claim yet)");
        }
        return mail.get().send(contact.email().get(), "qatysu-notification-" + n.id(), text);
    }

    private Outcome moodle(Outbox.Claimed n, WarningText.Text text) {
        if (settings.moodle().isEmpty()) {
            return Outcome.skipped("Moodle messages are no longer configured");
        }
        String message = text.subject() + "\n\n" + text.body();
        String clientMsgId = "qatysu-" + n.id();
        // a launch from a configured Moodle tells us the user id there (the LTI sub is the Moodle user id)
        for (kz.qatysu.tool.moodle.MoodleSite site : settings.moodle()) {
            Optional<String> user = outbox.subjectOn(site.issuer(), n.recipientId());
            if (user.isPresent()) {
                return moodle.send(site, user.get(), clientMsgId, message);
            }
        }
        // no launch yet: the sync daemon sets the Moodle user's idnumber to our person id
        for (kz.qatysu.tool.moodle.MoodleSite site : settings.moodle()) {
            try {
                Optional<String> user = moodle.userByIdNumber(site, n.recipientId());
                if (user.isPresent()) {
                    return moodle.send(site, user.get(), clientMsgId, message);
                }
            } catch (kz.qatysu.tool.moodle.MoodleException e) {
                return Outcome.retry("user lookup: " + e.getMessage());
            }
        }
        return Outcome.skipped("no Moodle user is known for this person (no launch, no user with this idnumber)");
    }

    public List<Outbox.Problem> problems(int limit) {
        return outbox.problems(limit);
    }
}

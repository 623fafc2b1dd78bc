package kz.qatysu.tool.notify;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/**
 * Sends a warning as a plain-text e-mail through the configured SMTP server (Jakarta Mail, Eclipse Angus).
 * An address the server or the parser rejects is not retried; a connection or server failure is.
 */
public final class MailSender {
    private final NotifySettings.Smtp smtp;
    private final Session session;

    public MailSender(NotifySettings.Smtp smtp) {
        this.smtp = smtp;
        Properties p = new Properties();
        String proto = smtp.security() == NotifySettings.Security.SSL ? "smtps" : "smtp";
        p.put("mail.transport.protocol", proto);
        p.put("mail." + proto + ".host", smtp.host());
        p.put("mail." + proto + ".port", String.valueOf(smtp.port()));
        p.put("mail." + proto + ".connectiontimeout", String.valueOf(smtp.connectTimeout().toMillis()));
        p.put("mail." + proto + ".timeout", String.valueOf(smtp.timeout().toMillis()));
        p.put("mail." + proto + ".writetimeout", String.valueOf(smtp.timeout().toMillis()));
        p.put("mail." + proto + ".auth", String.valueOf(smtp.username().isPresent()));
        if (smtp.security() == NotifySettings.Security.STARTTLS) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (smtp.security() != NotifySettings.Security.NONE) {
            p.put("mail." + proto + ".ssl.checkserveridentity", "true");
        }
        Authenticator auth = smtp.username().isEmpty() ? null : new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(smtp.username().get(), smtp.password().map(s -> s.reveal()).orElse(""));
            }
        };
        this.session = Session.getInstance(p, auth);
    }

    public Outcome send(String to, String messageId, WarningText.Text text) {
        InternetAddress recipient;
        try {
            recipient = new InternetAddress(to, true);
        } catch (AddressException e) {
            return Outcome.skipped("invalid e-mail address");
        }
        try {
            MimeMessage m = new MimeMessage(session) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", "<" + messageId + "@" + smtp.host() + ">");
                }
            };
            m.setFrom(new InternetAddress(smtp.from(), true));
            m.setRecipient(Message.RecipientType.TO, recipient);
            m.setSubject(text.subject(), StandardCharsets.UTF_8.name());
            m.setText(text.body(), StandardCharsets.UTF_8.name());
            m.setSentDate(new Date());
            Transport.send(m);
            return Outcome.sent("to " + to);
        } catch (SendFailedException e) {
            if (e.getValidSentAddresses() == null || e.getValidSentAddresses().length == 0) {
                if (e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0) {
                    return Outcome.skipped("the SMTP server rejected the address: " + oneLine(e.getMessage()));
                }
            }
            return Outcome.retry("SMTP: " + oneLine(e.getMessage()));
        } catch (MessagingException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return Outcome.retry("SMTP: " + oneLine(e.getMessage())
                    + (root != e ? " (" + root.getClass().getSimpleName() + ": " + oneLine(root.getMessage()) + ")" : ""));
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }
}

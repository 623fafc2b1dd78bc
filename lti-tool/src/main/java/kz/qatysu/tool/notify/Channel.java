package kz.qatysu.tool.notify;

/** The outbox's channel names (column {@code notification.channel}). */
public final class Channel {
    public static final String EMAIL = "email";
    public static final String MOODLE = "moodle";

    private Channel() {
    }
}

package kz.qatysu.connectors.portal;

/** A name as written in one script (Kazakh Cyrillic, Russian, or Latin); {@code middle} is the patronymic, if any. */
public record PersonName(String first, String last, String middle) {
    public String full() {
        return middle == null ? first + " " + last : first + " " + middle + " " + last;
    }
}

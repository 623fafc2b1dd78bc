package kz.qatysu.connectors.portal;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns raw portal records into the model, checking every field. A rejected record carries one
 * {@link RecordError} per bad field (record, field, value, reason), so an administrator can fix the export
 * in one pass. Text is normalised to Unicode NFC, so a Kazakh letter typed decomposed (и + ̆ …) compares equal to
 * its composed form.
 */
public final class PortalRecords {
    private static final Pattern ID = Pattern.compile("[\\p{L}\\p{N}._:/+\\-]{1,100}");
    // Moodle's PARAM_USERNAME without "extendedusernamechars": lower-case ASCII letters, digits, _ - . @
    private static final Pattern LOGIN = Pattern.compile("[a-z0-9_.@\\-]{1,100}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Map<String, Person.Status> STATUSES = Map.ofEntries(
            Map.entry("active", Person.Status.ACTIVE), Map.entry("studying", Person.Status.ACTIVE),
            Map.entry("expelled", Person.Status.EXPELLED), Map.entry("graduated", Person.Status.GRADUATED),
            Map.entry("academic-leave", Person.Status.ACADEMIC_LEAVE), Map.entry("academic_leave", Person.Status.ACADEMIC_LEAVE),
            Map.entry("leave", Person.Status.ACADEMIC_LEAVE));
    private static final Map<String, Person.Role> PERSON_ROLES = Map.of(
            "student", Person.Role.STUDENT, "teacher", Person.Role.TEACHER, "staff", Person.Role.STAFF,
            "tutor", Person.Role.TEACHER);
    private static final Map<String, Enrolment.Role> ENROLMENT_ROLES = Map.of(
            "student", Enrolment.Role.STUDENT, "teacher", Enrolment.Role.TEACHER, "editingteacher", Enrolment.Role.TEACHER,
            "assistant", Enrolment.Role.ASSISTANT, "teachingassistant", Enrolment.Role.ASSISTANT, "ta", Enrolment.Role.ASSISTANT);

    private final ZoneId zone;

    /** @param zone the time zone of timetable times that carry no offset (e.g. Asia/Almaty) */
    public PortalRecords(ZoneId zone) {
        this.zone = zone;
    }

    public SourceBatch.Parsed<Person> person(RawRecord r) {
        var f = new Fields(r, r.get("id"));
        String id = f.id("id");
        String login = f.required("login");
        if (login != null) {
            String lower = login.toLowerCase(Locale.ROOT);
            if (!LOGIN.matcher(lower).matches()) {
                f.error("login", login, "not a valid login: only Latin letters, digits and _ - . @ are accepted (Moodle usernames)");
            }
            login = lower;
        }
        String email = f.required("email");
        if (email != null && !EMAIL.matcher(email).matches()) {
            f.error("email", email, "not an e-mail address");
        }
        Person.Role role = f.choice("role", PERSON_ROLES, Person.Role.STUDENT);
        Person.Status status = f.choice("status", STATUSES, Person.Status.ACTIVE);
        PersonName kk = f.name("kk");
        PersonName ru = f.name("ru");
        PersonName latin = f.name("latin");
        if (kk == null && ru == null && latin == null && f.ok()) {
            f.error("last_name_kk", null, "a name is required: first and last name in Kazakh, Russian or Latin script");
        }
        String adviser = f.optional("adviser");
        if (adviser != null && !ID.matcher(adviser).matches()) {
            f.error("adviser", adviser, "not a valid person id (letters, digits and . _ : / + - only, at most 100 characters)");
        } else if (adviser != null && adviser.equals(id)) {
            f.error("adviser", adviser, "a person cannot be their own adviser");
        }
        if (!f.ok()) {
            return SourceBatch.Parsed.rejected(f.errors);
        }
        return SourceBatch.Parsed.ok(new Person(id, login, kk, ru, latin, email.toLowerCase(Locale.ROOT), role, status,
                f.optional("group"), f.optional("faculty"), f.optional("photo_url"), adviser));
    }

    public SourceBatch.Parsed<Section> section(RawRecord r) {
        var f = new Fields(r, r.get("code"));
        String code = f.id("code");
        String discipline = f.required("discipline");
        String title = f.optional("title");
        String term = f.required("term");
        LocalDate start = f.date("term_start", true);
        LocalDate end = f.date("term_end", true);
        if (start != null && end != null && end.isBefore(start)) {
            f.error("term_end", r.get("term_end"), "ends before the term starts (" + start + ")");
        }
        List<String> teachers = f.list("teachers");
        int hours = f.integer("hours", 0, 0, 10_000);
        BigDecimal credits = f.decimal("credits", BigDecimal.ZERO);
        if (!f.ok()) {
            return SourceBatch.Parsed.rejected(f.errors);
        }
        return SourceBatch.Parsed.ok(new Section(code, discipline, title == null ? discipline : title, term, start, end,
                f.optional("faculty"), teachers, hours, credits.doubleValue(), f.optional("openedx_course")));
    }

    public SourceBatch.Parsed<Enrolment> enrolment(RawRecord r) {
        String section = r.get("section");
        String person = r.get("person");
        var f = new Fields(r, section == null || person == null ? null : section + "/" + person);
        f.id("section");
        f.id("person");
        Enrolment.Role role = f.choice("role", ENROLMENT_ROLES, Enrolment.Role.STUDENT);
        LocalDate since = f.date("since", false);
        if (!f.ok()) {
            return SourceBatch.Parsed.rejected(f.errors);
        }
        return SourceBatch.Parsed.ok(new Enrolment(norm(section), norm(person), role, since));
    }

    public SourceBatch.Parsed<TimetableEntry> timetable(RawRecord r) {
        var f = new Fields(r, r.get("id"));
        String id = f.id("id");
        String section = f.id("section");
        OffsetDateTime start = f.dateTime("start", zone);
        OffsetDateTime end = f.dateTime("end", zone);
        if (start != null && end != null && !end.isAfter(start)) {
            f.error("end", r.get("end"), "must be after the start (" + start + ")");
        }
        int hours = f.integer("hours", 1, 0, 24);
        String onlineUrl = f.optional("online_url");
        if (onlineUrl != null && !onlineUrl.matches("https?://\\S+")) {
            f.error("online_url", onlineUrl, "not an http(s) URL");
        }
        boolean online = f.bool("online", onlineUrl != null);
        boolean cameras = f.bool("cameras", false);
        if (!f.ok()) {
            return SourceBatch.Parsed.rejected(f.errors);
        }
        String kind = f.optional("kind");
        return SourceBatch.Parsed.ok(new TimetableEntry(id, section, start, end, kind == null ? "lecture" : kind.toLowerCase(Locale.ROOT),
                hours, f.optional("room"), onlineUrl, online, cameras, f.optional("group")));
    }

    public SourceBatch.Parsed<GradeEntry> grade(RawRecord r) {
        String section = r.get("section");
        String person = r.get("person");
        String item = r.get("item");
        var f = new Fields(r, section + "/" + person + "/" + item);
        f.id("section");
        f.id("person");
        GradeEntry.Item it = null;
        if (item == null) {
            f.error("item", null, "required (one of rk1, midterm, rk2, exam, final)");
        } else {
            it = GradeEntry.Item.parse(item);
            if (it == null) {
                f.error("item", item, "one of rk1, midterm, rk2, exam, final expected");
            }
        }
        BigDecimal max = f.decimal("max", BigDecimal.valueOf(100));
        BigDecimal score = null;
        if (r.get("score") == null) {
            f.error("score", null, "required");
        } else {
            score = f.decimal("score", null);
            if (score != null && max != null && (score.signum() < 0 || score.compareTo(max) > 0)) {
                f.error("score", r.get("score"), "outside the scale 0–" + max.stripTrailingZeros().toPlainString());
            }
        }
        if (max != null && max.signum() <= 0) {
            f.error("max", r.get("max"), "must be positive");
        }
        if (!f.ok()) {
            return SourceBatch.Parsed.rejected(f.errors);
        }
        return SourceBatch.Parsed.ok(new GradeEntry(norm(section), norm(person), it, score, max));
    }

    /** Parses a whole entity's raw rows. */
    public SourceBatch<?> parse(Entity entity, List<RawRecord> rows) {
        return switch (entity) {
            case PERSONS -> SourceBatch.parse(rows, this::person, Person::id);
            case SECTIONS -> SourceBatch.parse(rows, this::section, Section::code);
            case ENROLMENTS -> SourceBatch.parse(rows, this::enrolment, Enrolment::key);
            case TIMETABLE -> SourceBatch.parse(rows, this::timetable, TimetableEntry::id);
            case GRADES -> SourceBatch.parse(rows, this::grade, GradeEntry::key);
        };
    }

    static String norm(String s) {
        return s == null ? null : Normalizer.normalize(s.strip(), Normalizer.Form.NFC);
    }

    /** Reads the fields of one record and collects what is wrong with them. */
    private static final class Fields {
        private final RawRecord r;
        private final String key;
        private final List<RecordError> errors = new ArrayList<>();

        Fields(RawRecord r, String key) {
            this.r = r;
            this.key = norm(key);
        }

        boolean ok() {
            return errors.isEmpty();
        }

        void error(String field, String value, String reason) {
            errors.add(new RecordError(r.ref(), key, field, value, reason));
        }

        String optional(String field) {
            return norm(r.get(field));
        }

        String required(String field) {
            String v = optional(field);
            if (v == null) {
                error(field, null, "required");
            }
            return v;
        }

        String id(String field) {
            String v = required(field);
            if (v != null && !ID.matcher(v).matches()) {
                error(field, v, "not a valid identifier (letters, digits and . _ : / + - only, at most 100 characters)");
            }
            return v;
        }

        <E> E choice(String field, Map<String, E> values, E defaultValue) {
            String v = optional(field);
            if (v == null) {
                return defaultValue;
            }
            E e = values.get(v.toLowerCase(Locale.ROOT).replace(' ', '-'));
            if (e == null) {
                error(field, v, "one of " + values.keySet().stream().sorted().toList() + " expected");
            }
            return e;
        }

        PersonName name(String script) {
            String first = optional("first_name_" + script);
            String last = optional("last_name_" + script);
            String middle = optional("middle_name_" + script);
            if (first == null && last == null) {
                if (middle != null) {
                    error("first_name_" + script, null, "a patronymic without first and last name");
                }
                return null;
            }
            if (first == null) {
                error("first_name_" + script, null, "required when last_name_" + script + " is given");
                return null;
            }
            if (last == null) {
                error("last_name_" + script, null, "required when first_name_" + script + " is given");
                return null;
            }
            return new PersonName(first, last, middle);
        }

        LocalDate date(String field, boolean required) {
            String v = required ? required(field) : optional(field);
            if (v == null) {
                return null;
            }
            for (DateTimeFormatter fmt : List.of(DateTimeFormatter.ISO_LOCAL_DATE, DateTimeFormatter.ofPattern("dd.MM.yyyy"))) {
                try {
                    return LocalDate.parse(v, fmt);
                } catch (DateTimeParseException ignored) {
                    // try the next accepted form
                }
            }
            error(field, v, "not a date (2026-09-01 or 01.09.2026)");
            return null;
        }

        OffsetDateTime dateTime(String field, ZoneId zone) {
            String v = required(field);
            if (v == null) {
                return null;
            }
            try {
                return OffsetDateTime.parse(v);
            } catch (DateTimeParseException ignored) {
                // no offset: local time in the institution's zone
            }
            for (String pattern : List.of("yyyy-MM-dd'T'HH:mm[:ss]", "yyyy-MM-dd HH:mm[:ss]", "dd.MM.yyyy HH:mm[:ss]")) {
                try {
                    return LocalDateTime.parse(v, DateTimeFormatter.ofPattern(pattern)).atZone(zone).toOffsetDateTime();
                } catch (DateTimeParseException ignored) {
                    // try the next accepted form
                }
            }
            error(field, v, "not a date-time (2026-09-02T08:00:00+05:00, or 2026-09-02 08:00 in " + zone + ")");
            return null;
        }

        int integer(String field, int defaultValue, int min, int max) {
            String v = optional(field);
            if (v == null) {
                return defaultValue;
            }
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    error(field, v, "must be between " + min + " and " + max);
                }
                return n;
            } catch (NumberFormatException e) {
                error(field, v, "not a whole number");
                return defaultValue;
            }
        }

        BigDecimal decimal(String field, BigDecimal defaultValue) {
            String v = optional(field);
            if (v == null) {
                return defaultValue;
            }
            try {
                return new BigDecimal(v.replace(',', '.'));
            } catch (NumberFormatException e) {
                error(field, v, "not a number");
                return null;
            }
        }

        boolean bool(String field, boolean defaultValue) {
            String v = optional(field);
            if (v == null) {
                return defaultValue;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "1", "true", "yes", "y", "да", "иә" -> true;
                case "0", "false", "no", "n", "нет", "жоқ" -> false;
                default -> {
                    error(field, v, "not a yes/no value (true/false, 1/0)");
                    yield defaultValue;
                }
            };
        }

        List<String> list(String field) {
            String v = optional(field);
            if (v == null) {
                return List.of();
            }
            return Arrays.stream(v.split("[|,]")).map(String::strip).filter(s -> !s.isEmpty()).map(PortalRecords::norm).toList();
        }
    }
}

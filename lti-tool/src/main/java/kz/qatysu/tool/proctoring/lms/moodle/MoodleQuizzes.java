package kz.qatysu.tool.proctoring.lms.moodle;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.moodle.MoodleException;
import kz.qatysu.tool.moodle.MoodleSite;
import kz.qatysu.tool.moodle.MoodleWebService;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moodle 4.5's quiz web services as the quiz gate uses them (mod/quiz/classes/external/{get,save,delete}_overrides.php,
 * mod_quiz_external::get_quizzes_by_courses), shaped as captured (integration/captures/moodle-4.5, §5.7):
 * <ul>
 *   <li>the override functions take the <b>quiz id</b>, not the course-module id;</li>
 *   <li>an update replaces the whole override (fields not sent become null): {@link #save} always sends every field;</li>
 *   <li>several overrides in one call are not atomic: {@link #save} saves exactly one per call;</li>
 *   <li>errors are HTTP 200 bodies ({@link MoodleException}), the reason only in {@code debuginfo} on a debugging site;</li>
 *   <li>{@code password} of a quiz is returned only to a token user with {@code moodle/course:manageactivities}.</li>
 * </ul>
 */
public final class MoodleQuizzes {
    private final MoodleWebService ws;

    public MoodleQuizzes(MoodleWebService ws) {
        this.ws = ws;
    }

    /** Whether a quiz has its own password: only then does a per-student override password gate it. */
    public enum PasswordState {
        /** The quiz has a password: a student without an override cannot start it. */
        SET,
        /** The quiz has none: a student without an override walks in. */
        NONE,
        /** Moodle did not say (the token's user lacks {@code moodle/course:manageactivities}). */
        UNKNOWN
    }

    /** One quiz of a course: its instance id (what the override functions take), course-module id and name. */
    public record Quiz(long id, long courseModule, long course, String name, PasswordState password) {
    }

    /** One override as {@code mod_quiz_get_overrides} answers (unset fields null; the password in clear text). */
    public record Override(long id, long quiz, Long userId, Long groupId, Long timeOpen, Long timeClose, Long timeLimit,
                           Long attempts, String password) {
        @java.lang.Override
        public String toString() {
            return "Override[id=" + id + ", quiz=" + quiz + ", userId=" + userId + ", timeOpen=" + timeOpen + ", timeClose="
                    + timeClose + ", password=" + (password == null ? "null" : "<masked>") + "]";
        }
    }

    /**
     * A per-user override as the gate saves it: every field each time ({@code id} empty = create; {@code attempts}
     * empty = the quiz's own).
     *
     * @param timeOpen  unix seconds
     * @param timeClose unix seconds, after {@code timeOpen} (Moodle refuses "The close date must be after the open date.")
     */
    public record UserOverride(Optional<Long> id, long userId, String password, long timeOpen, long timeClose,
                               Optional<Long> attempts) {
        public UserOverride(Optional<Long> id, long userId, String password, long timeOpen, long timeClose) {
            this(id, userId, password, timeOpen, timeClose, Optional.empty());
        }

        @java.lang.Override
        public String toString() {
            return "UserOverride[id=" + id.map(String::valueOf).orElse("new") + ", userId=" + userId + ", timeOpen=" + timeOpen
                    + ", timeClose=" + timeClose + ", password=<masked>]";
        }
    }

    /** {@code mod_quiz_get_quizzes_by_courses} for one course. */
    public List<Quiz> quizzes(MoodleSite site, long courseId) throws MoodleException {
        JsonNode answer = ws.call(site, "mod_quiz_get_quizzes_by_courses", Map.of("courseids[0]", Long.toString(courseId)));
        List<Quiz> out = new ArrayList<>();
        for (JsonNode q : answer.path("quizzes")) {
            PasswordState password = !q.has("password") || q.get("password").isNull() ? PasswordState.UNKNOWN
                    : q.get("password").asText().isEmpty() ? PasswordState.NONE : PasswordState.SET;
            out.add(new Quiz(q.path("id").asLong(), q.path("coursemodule").asLong(), q.path("course").asLong(),
                    q.path("name").asText(""), password));
        }
        return out;
    }

    /** {@code mod_quiz_get_overrides}: every override of the quiz (needs {@code mod/quiz:viewoverrides} or manage). */
    public List<Override> overrides(MoodleSite site, long quizId) throws MoodleException {
        JsonNode answer = ws.call(site, "mod_quiz_get_overrides", Map.of("quizid", Long.toString(quizId)));
        if (!answer.has("overrides")) {
            throw new MoodleException("Moodle: unexpected answer to mod_quiz_get_overrides (no overrides)");
        }
        List<Override> out = new ArrayList<>();
        for (JsonNode o : answer.get("overrides")) {
            out.add(new Override(o.path("id").asLong(), o.path("quiz").asLong(), num(o, "userid"), num(o, "groupid"),
                    num(o, "timeopen"), num(o, "timeclose"), num(o, "timelimit"), num(o, "attempts"),
                    o.hasNonNull("password") ? o.get("password").asText() : null));
        }
        return out;
    }

    /** The override of one user, if the quiz has one. */
    public Optional<Override> overrideOf(MoodleSite site, long quizId, long userId) throws MoodleException {
        return overrides(site, quizId).stream().filter(o -> o.userId() != null && o.userId() == userId).findFirst();
    }

    /**
     * {@code mod_quiz_save_overrides} with one override and every field the gate sets (userid, password, timeopen,
     * timeclose; plus id on an update): the id Moodle answers.
     */
    public long save(MoodleSite site, long quizId, UserOverride o) throws MoodleException {
        if (o.timeClose() <= o.timeOpen()) {
            throw new IllegalArgumentException("timeclose must be after timeopen: " + o);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("data[quizid]", Long.toString(quizId));
        o.id().ifPresent(id -> form.put("data[overrides][0][id]", Long.toString(id)));
        form.put("data[overrides][0][userid]", Long.toString(o.userId()));
        form.put("data[overrides][0][password]", o.password());
        form.put("data[overrides][0][timeopen]", Long.toString(o.timeOpen()));
        form.put("data[overrides][0][timeclose]", Long.toString(o.timeClose()));
        o.attempts().ifPresent(n -> form.put("data[overrides][0][attempts]", Long.toString(n)));
        JsonNode ids = ws.call(site, "mod_quiz_save_overrides", form).path("ids");
        if (!ids.isArray() || ids.size() != 1) {
            throw new MoodleException("Moodle: unexpected answer to mod_quiz_save_overrides (one id expected)");
        }
        return ids.get(0).asLong();
    }

    /** {@code mod_quiz_delete_overrides}: all or nothing (an unknown id refuses the whole call). The gate never deletes. */
    public List<Long> delete(MoodleSite site, long quizId, List<Long> ids) throws MoodleException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("data[quizid]", Long.toString(quizId));
        for (int i = 0; i < ids.size(); i++) {
            form.put("data[ids][" + i + "]", Long.toString(ids.get(i)));
        }
        List<Long> out = new ArrayList<>();
        ws.call(site, "mod_quiz_delete_overrides", form).path("ids").forEach(n -> out.add(n.asLong()));
        return out;
    }

    /** Whether the token may manage the quiz's overrides: {@code true}, {@code false}, or unknown (empty, with why). */
    public record Capability(Optional<Boolean> canManage, String detail) {
    }

    /**
     * Asks whether the token's user has {@code mod/quiz:manageoverrides} on the quiz without changing anything:
     * {@code mod_quiz_delete_overrides} with override id 0, which never exists. Moodle checks the capability before the
     * ids (delete_overrides::execute → require_manage_capability → delete_overrides_by_id), so a token without it gets
     * {@code nopermissions} and one with it "Override ID(s) 0 couldn't be deleted …" ({@code invalidparameter}).
     */
    public Capability manageCapability(MoodleSite site, long quizId) {
        try {
            delete(site, quizId, List.of(0L));
            return new Capability(Optional.empty(), "Moodle answered a delete of override 0 without an error");
        } catch (MoodleException e) {
            if (e.missingCapability()) {
                return new Capability(Optional.of(false), e.getMessage());
            }
            if (e.invalidParameter()) {
                return new Capability(Optional.of(true), "");
            }
            return new Capability(Optional.empty(), e.getMessage());
        }
    }

    private static Long num(JsonNode o, String field) {
        return o.hasNonNull(field) ? o.get(field).asLong() : null;
    }
}

package kz.qatysu.tool.proctoring.review;

import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputText;
import kz.qatysu.tool.deans.AdminAudit;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptEvent;
import kz.qatysu.tool.proctoring.attempts.AttemptRepository;
import kz.qatysu.tool.proctoring.attempts.Verdict;
import kz.qatysu.tool.proctoring.media.MediaKind;
import kz.qatysu.tool.proctoring.media.ProctoringMedia;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One person's proctoring data on request (the dean's office): an export (a zip of their media with its manifest, plus
 * {@code attempts.json}: each attempt with its events and verdicts) and the deletion of their media. Attempts keep their
 * events and verdicts after the deletion (the exam's record), but every photo, snapshot, room scan and recording is gone.
 * Both are audited twice: in the media audit (per object, by {@link ProctoringMedia}) and in {@code admin_audit}.
 */
public final class PersonData {
    private final ProctoringMedia media;
    private final AttemptRepository attempts;
    private final AdminAudit audit;
    private final ObjectMapper json;
    private final Jdbi jdbi;

    public PersonData(ProctoringMedia media, AttemptRepository attempts, AdminAudit audit, ObjectMapper json, Jdbi jdbi) {
        this.media = media;
        this.attempts = attempts;
        this.audit = audit;
        this.json = json;
        this.jdbi = jdbi;
    }

    /** What the tool holds of a person: their attempts and their media by kind (count and bytes). */
    public record Summary(String personId, List<Attempt> attempts, Map<MediaKind, long[]> media) {
        public int objects() {
            return media.values().stream().mapToInt(v -> (int) v[0]).sum();
        }

        public long bytes() {
            return media.values().stream().mapToLong(v -> v[1]).sum();
        }
    }

    public Summary summary(String personId) {
        String p = checkPerson(personId);
        Map<MediaKind, long[]> byKind = new EnumMap<>(MediaKind.class);
        media.ofPerson(p).forEach(m -> {
            long[] v = byKind.computeIfAbsent(m.kind(), k -> new long[2]);
            v[0]++;
            v[1] += m.size();
        });
        return new Summary(p, attemptsOf(p), byKind);
    }

    /** Writes the person's zip to {@code out}; how many media objects it holds. */
    public int export(String personId, String actor, OutputStream out) throws IOException {
        String p = checkPerson(personId);
        List<Map<String, Object>> list = new java.util.ArrayList<>();
        for (Attempt a : attemptsOf(p)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attemptId", a.id());
            m.put("examId", a.examId());
            m.put("state", a.state().name());
            m.put("identity", a.identity().name());
            m.put("createdAt", a.createdAt().toString());
            m.put("consentAt", a.consentAt().map(Object::toString).orElse(null));
            m.put("refusedAt", a.refusedAt().map(Object::toString).orElse(null));
            m.put("startedAt", a.startedAt().map(Object::toString).orElse(null));
            m.put("endedAt", a.endedAt().map(Object::toString).orElse(null));
            m.put("idPhotoKey", a.idPhotoKey().orElse(null));
            m.put("livePhotoKey", a.livePhotoKey().orElse(null));
            m.put("roomScanKey", a.roomScanKey().orElse(null));
            m.put("recordingId", a.recordingId().orElse(null));
            m.put("events", attempts.events(a.id()).stream().map(PersonData::eventJson).toList());
            m.put("verdicts", attempts.verdictHistory(a.id()).stream().map(AttemptList::verdictJson).toList());
            list.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("personId", p);
        doc.put("attempts", list);
        doc.put("openEdxLearnerIds", openEdxLearnerIds(p));
        byte[] attemptsJson = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
        audit.record(actor, "proctoring.person.export", "person/" + p, Map.of("attempts", list.size()));
        return media.exportPerson(p, actor, out, Map.of("attempts.json", attemptsJson));
    }

    /** Deletes the person's media (files, rows, recordings); the attempts and their events stay. How many objects. */
    public int deleteMedia(String personId, String actor) {
        String p = checkPerson(personId);
        int n = media.deletePerson(p, actor);
        audit.record(actor, "proctoring.person.delete", "person/" + p, Map.of("objects", n));
        return n;
    }

    /** The API's event shape. */
    public static Map<String, Object> eventJson(AttemptEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", e.at().toString());
        m.put("type", e.type().name());
        m.put("severity", e.severity().name());
        m.put("detail", e.detail());
        m.put("snapshotId", e.snapshotKey().orElse(null));
        return m;
    }

    private List<Attempt> attemptsOf(String personId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM proctoring_attempt WHERE person_id = :p ORDER BY created_at, id")
                .bind("p", personId).map(AttemptRepository::map).list());
    }

    static String checkPerson(String personId) {
        String problem = personId == null || personId.isBlank() ? "required" : personId.length() > 100
                ? "at most 100 characters" : InputText.idProblem(personId);
        if (problem != null) {
            throw ApiException.badRequest("invalid person id", List.of(new ApiException.Detail("personId", problem)));
        }
        return personId;
    }

    static Verdict.Outcome outcome(String wire) {
        if (wire == null || wire.isBlank()) {
            return null;
        }
        try {
            return Verdict.Outcome.valueOf(wire.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("verdict refused", List.of(new ApiException.Detail("verdict",
                    "CLEAN, SUSPICIOUS or VIOLATION expected, was '" + wire + "'")));
        }
    }

    /**
     * The Open edX learner ids (edx-exams' anonymous user ids) an exam roster tied to this person's portal login: what
     * the tool holds that says who the person is on that platform.
     */
    private List<Map<String, Object>> openEdxLearnerIds(String personId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT platform_id, subject, username, learned_at FROM openedx_learner
                        WHERE lower(username) IN (SELECT login FROM person_login WHERE person_id = :p)
                        ORDER BY platform_id, subject""")
                .bind("p", personId)
                .map((rs, c) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("platformId", rs.getLong("platform_id"));
                    m.put("learnerId", rs.getString("subject"));
                    m.put("username", rs.getString("username"));
                    m.put("learnedAt", rs.getObject("learned_at", java.time.OffsetDateTime.class).toInstant().toString());
                    return m;
                }).list());
    }
}

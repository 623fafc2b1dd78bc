package kz.qatysu.demo.platform;

import java.util.List;
import java.util.Optional;

/**
 * The demo course, shaped like a Moodle course that the sync daemon provisioned from the student portal:
 * the course idnumber is the portal's section code and each user's idnumber is the portal's person id, so both
 * arrive in the launch's {@code lis} claim.
 */
public final class SampleCourse {
    /** Moodle's course id ({@code context.id}). */
    public static final String CONTEXT_ID = "2";
    /** The course short name ({@code context.label}). */
    public static final String LABEL = "CS101";
    public static final String TITLE = "Алгоритмдер және деректер құрылымы";
    /** The course idnumber = the portal's section code ({@code lis.course_section_sourcedid}). */
    public static final String SECTION_SOURCEDID = "CS101-2026F";
    /** The Open edX course key used by the Open edX-style launch variant. */
    public static final String OPENEDX_COURSE_KEY = "course-v1:KazNU+CS101+2026F";

    /** How the member is enrolled; decides the launch role (Moodle: mod/lti:manage) and the NRPS role. */
    public enum Kind {
        /** editing teacher: Instructor in launches and in NRPS, not graded */
        TEACHER,
        /** non-editing teacher: Instructor in launches but Learner in NRPS (moodle/course:manageactivities), not graded */
        ASSISTANT,
        /** student: Learner everywhere, graded */
        STUDENT
    }

    /**
     * One enrolled user. {@code userId} is Moodle's numeric user id (the {@code sub} and the AGS {@code userId}),
     * {@code personId} the idnumber, {@code locale} the user's Moodle language code.
     */
    public record Member(String userId, String personId, String username, String givenName, String familyName,
                         String email, String locale, Kind kind) {
        public String name() {
            return givenName + " " + familyName;
        }

        public boolean instructorInLaunch() {
            return kind != Kind.STUDENT;
        }

        public boolean gradable() {
            return kind == Kind.STUDENT;
        }
    }

    public static final List<Member> MEMBERS = List.of(
            new Member("3", "T-7", "aigul.serikkyzy", "Айгүл", "Серікқызы", "aigul.serikkyzy@kaznu.example.kz", "kk", Kind.TEACHER),
            new Member("4", "T-8", "yerzhan.nurlanuly", "Ержан", "Нұрланұлы", "yerzhan.nurlanuly@kaznu.example.kz", "ru", Kind.ASSISTANT),
            new Member("5", "P-1001", "asel.kanatkyzy", "Әсел", "Қанатқызы", "asel.kanatkyzy@kaznu.example.kz", "kk", Kind.STUDENT),
            new Member("6", "P-1002", "nursultan.zhumabayev", "Нұрсұлтан", "Жұмабаев", "nursultan.zhumabayev@kaznu.example.kz", "ru", Kind.STUDENT),
            new Member("7", "P-1003", "galym.omirzakov", "Ғалым", "Өмірзақов", "galym.omirzakov@kaznu.example.kz", "kk", Kind.STUDENT),
            new Member("8", "P-1004", "aruzhan.toktarova", "Аружан", "Тоқтарова", "aruzhan.toktarova@kaznu.example.kz", "en", Kind.STUDENT),
            new Member("9", "P-1005", "daulet.shakhmaranuly", "Дәулет", "Шаһмаранұлы", "daulet.shakhmaranuly@kaznu.example.kz", "kk", Kind.STUDENT),
            new Member("10", "P-1006", "inkar.usenova", "Іңкәр", "Үсенова", "inkar.usenova@kaznu.example.kz", "ru", Kind.STUDENT));

    private static final List<String> GIVEN = List.of("Айбек", "Аружан", "Әлихан", "Гүлназ", "Дана", "Ерасыл", "Жансая",
            "Қуаныш", "Мөлдір", "Нұрлан", "Өмірзақ", "Сәуле", "Тимур", "Ұлжан", "Үміт", "Іңкәр", "Һадия", "Ғалия");
    private static final List<String> FAMILY = List.of("Әбілов", "Қасымова", "Нұрланұлы", "Серікқызы", "Төлеуов", "Жақсыбекова",
            "Мұратов", "Оспанова", "Ғабдуллин", "Шәріпова", "Үсенов", "Өтебаева", "Іскаков");
    private static final List<String> LOCALES = List.of("kk", "ru", "en");

    private SampleCourse() {
    }

    /**
     * The course roster: the named members above, plus {@code generatedStudents} more students (Moodle user ids
     * from 1001, idnumbers from P-2001) for load tests that need many distinct users.
     */
    public static Roster roster(int generatedStudents) {
        if (generatedStudents < 0 || generatedStudents > 100_000) {
            throw new IllegalArgumentException("generatedStudents must be 0..100000, was " + generatedStudents);
        }
        List<Member> all = new java.util.ArrayList<>(MEMBERS);
        for (int i = 0; i < generatedStudents; i++) {
            String given = GIVEN.get(i % GIVEN.size());
            String family = FAMILY.get((i / GIVEN.size()) % FAMILY.size());
            String personId = "P-" + (2001 + i);
            all.add(new Member(String.valueOf(1001 + i), personId, "student" + (2001 + i), given, family,
                    "student" + (2001 + i) + "@kaznu.example.kz", LOCALES.get(i % LOCALES.size()), Kind.STUDENT));
        }
        return new Roster(all);
    }

    /** The members of the course, looked up by Moodle user id or idnumber. */
    public static final class Roster {
        private final List<Member> members;
        private final java.util.Map<String, Member> byUserId = new java.util.HashMap<>();
        private final java.util.Map<String, Member> byPersonId = new java.util.HashMap<>();

        private Roster(List<Member> members) {
            this.members = List.copyOf(members);
            for (Member m : members) {
                byUserId.put(m.userId(), m);
                byPersonId.put(m.personId(), m);
            }
        }

        public List<Member> members() {
            return members;
        }

        public Member teacher() {
            return members.getFirst();
        }

        public List<Member> students() {
            return members.stream().filter(m -> m.kind() == Kind.STUDENT).toList();
        }

        public Optional<Member> byUserId(String userId) {
            return Optional.ofNullable(userId == null ? null : byUserId.get(userId));
        }

        public Optional<Member> byPersonId(String personId) {
            return Optional.ofNullable(personId == null ? null : byPersonId.get(personId));
        }
    }
}

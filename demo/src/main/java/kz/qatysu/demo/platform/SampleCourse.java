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

    private SampleCourse() {
    }

    public static Member teacher() {
        return MEMBERS.getFirst();
    }

    public static List<Member> students() {
        return MEMBERS.stream().filter(m -> m.kind() == Kind.STUDENT).toList();
    }

    public static Optional<Member> byUserId(String userId) {
        return MEMBERS.stream().filter(m -> m.userId().equals(userId)).findFirst();
    }

    public static Optional<Member> byPersonId(String personId) {
        return MEMBERS.stream().filter(m -> m.personId().equals(personId)).findFirst();
    }
}

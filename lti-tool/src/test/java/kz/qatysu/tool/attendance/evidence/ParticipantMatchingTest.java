package kz.qatysu.tool.attendance.evidence;

import kz.qatysu.tool.attendance.evidence.ParticipantMatcher.Directory;
import kz.qatysu.tool.attendance.evidence.ParticipantMatcher.How;
import kz.qatysu.tool.attendance.evidence.ParticipantMatcher.Matched;
import kz.qatysu.tool.attendance.evidence.ParticipantMatcher.Reason;
import kz.qatysu.tool.attendance.evidence.ParticipantMatcher.Unmatched;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure parts: who a participant is, and what a participants CSV says. */
class ParticipantMatchingTest {
    private static final Directory DIR = new Directory(Set.of("P-1", "P-2", "P-3", "T-7"),
            Map.of("45", Set.of("P-1"), "46", Set.of("P-2", "P-3")),
            Map.of("aliya@kaznu.kz", Set.of("P-1")),
            Map.of(ParticipantMatcher.normalName("Дәулет Шаһмаранұлы"), Set.of("P-2"),
                    ParticipantMatcher.normalName("Айгерим Сейітқызы"), Set.of("P-3", "P-1")));

    @Test
    void a_person_id_wins_then_the_platform_user_then_the_email_then_the_name_flagged_uncertain() {
        assertThat(ParticipantMatcher.match("P-2", "Anyone", DIR)).isEqualTo(new Matched("P-2", How.PERSON_ID));
        assertThat(ParticipantMatcher.match("45", null, DIR)).isEqualTo(new Matched("P-1", How.PLATFORM_USER));
        assertThat(ParticipantMatcher.match("Aliya@KazNU.kz", null, DIR)).isEqualTo(new Matched("P-1", How.EMAIL));
        Matched byName = (Matched) ParticipantMatcher.match(null, "  ДӘУЛЕТ   шаһмаранұлы ", DIR);
        assertThat(byName).isEqualTo(new Matched("P-2", How.NAME));
        assertThat(byName.how().uncertain()).isTrue();
    }

    @Test
    void two_candidates_make_a_participant_ambiguous_and_nobody_known_makes_it_unknown() {
        assertThat(ParticipantMatcher.match("46", null, DIR)).isEqualTo(new Unmatched(Reason.AMBIGUOUS));
        assertThat(ParticipantMatcher.match(null, "Айгерим Сейітқызы", DIR)).isEqualTo(new Unmatched(Reason.AMBIGUOUS));
        assertThat(ParticipantMatcher.match("w_k1zsfjh5aqkq", "Гость", DIR)).isEqualTo(new Unmatched(Reason.UNKNOWN));
        assertThat(ParticipantMatcher.match("", "", DIR)).isEqualTo(new Unmatched(Reason.UNKNOWN));
    }

    @Test
    void zoom_meeting_links_numbers_with_spaces_and_uuids_are_normalised_and_nonsense_is_refused() {
        assertThat(EvidenceService.normalise("zoom", "https://us02web.zoom.us/j/85746065432?pwd=QWx").meetingId()).isEqualTo("85746065432");
        assertThat(EvidenceService.normalise("zoom", "857 4606 5432").meetingId()).isEqualTo("85746065432");
        assertThat(EvidenceService.normalise("zoom", "Wq0kF1aRQ1mZ0yWqPZ8CbA==").problemKey()).isNull();
        assertThat(EvidenceService.normalise("zoom", "tomorrow").problemKey()).isEqualTo("evidence.error.zoomId");
        assertThat(EvidenceService.normalise("bbb", "a,b").problemKey()).isEqualTo("evidence.error.bbbId");
        assertThat(EvidenceService.normalise("teams", "x").problemKey()).isEqualTo("evidence.error.platform");
        assertThat(EvidenceService.normalise("bbb", "  ").meetingId()).as("empty unlinks").isEmpty();
    }

    @Test
    void a_report_goes_to_the_linked_session_it_overlaps_most_and_to_none_when_it_overlaps_none() {
        var monday = new EvidenceRepository.Linked("s-1", Instant.parse("2026-09-07T03:00:00Z"), Instant.parse("2026-09-07T03:50:00Z"));
        var monday2 = new EvidenceRepository.Linked("s-2", Instant.parse("2026-09-07T03:55:00Z"), Instant.parse("2026-09-07T04:45:00Z"));
        var list = java.util.List.of(monday, monday2);
        assertThat(EvidenceService.bestOverlap(list, Instant.parse("2026-09-07T03:40:00Z"), Instant.parse("2026-09-07T04:40:00Z"))).isEqualTo("s-2");
        assertThat(EvidenceService.bestOverlap(list, Instant.parse("2026-09-07T02:55:00Z"), Instant.parse("2026-09-07T03:52:00Z"))).isEqualTo("s-1");
        assertThat(EvidenceService.bestOverlap(list, Instant.parse("2026-09-14T03:00:00Z"), Instant.parse("2026-09-14T03:50:00Z"))).isNull();
    }

    @Test
    void a_semicolon_separated_generic_csv_with_a_bom_and_quoted_names_is_read_in_the_class_zone() {
        var parsed = ParticipantCsv.parse("\uFEFFperson;name;join;leave\r\n"
                + "P-1;\"Нұрланқызы; Әлия\";2026-09-02 08:03;2026-09-02T08:50:00+05:00\r\n"
                + ";\"Guest \"\"Q\"\"\";2026-09-02 08:10:00;2026-09-02 08:20:00\r\n", ZoneOffset.ofHours(5));
        assertThat(parsed.format()).isEqualTo(ParticipantCsv.Format.GENERIC);
        assertThat(parsed.rows()).containsExactly(
                new ParticipantCsv.Row("P-1", "Нұрланқызы; Әлия", Instant.parse("2026-09-02T03:03:00Z"), Instant.parse("2026-09-02T03:50:00Z")),
                new ParticipantCsv.Row(null, "Guest \"Q\"", Instant.parse("2026-09-02T03:10:00Z"), Instant.parse("2026-09-02T03:20:00Z")));
    }

    @Test
    void a_csv_without_a_known_header_or_with_a_reversed_interval_is_refused_naming_the_line() {
        assertThatThrownBy(() -> ParticipantCsv.parse("a,b,c\n1,2,3\n", ZoneOffset.UTC))
                .isInstanceOf(ParticipantCsv.Invalid.class).hasMessageContaining("no header row");
        assertThatThrownBy(() -> ParticipantCsv.parse("person,join,leave\nP-1,2026-09-02 08:30,2026-09-02 08:10\n", ZoneOffset.UTC))
                .isInstanceOf(ParticipantCsv.Invalid.class).hasMessageContaining("line 2").hasMessageContaining("before joining");
        assertThatThrownBy(() -> ParticipantCsv.parse("person,join,leave\n", ZoneOffset.UTC))
                .isInstanceOf(ParticipantCsv.Invalid.class).hasMessageContaining("no participant rows");
        assertThatThrownBy(() -> ParticipantCsv.parse("person,join,leave\n\"P-1,2026-09-02 08:30,2026-09-02 08:40\n", ZoneOffset.UTC))
                .isInstanceOf(ParticipantCsv.Invalid.class).hasMessageContaining("not closed");
    }

    @Test
    void a_participants_csv_with_an_unbalanced_quote_is_refused_naming_the_line_not_read_as_fewer_rows() {
        StringBuilder csv = new StringBuilder("person,name,join,leave\n");
        for (int line = 2; line <= 20; line++) {
            String name = line == 12 ? "\"Aliya" : line == 15 ? "\"Guest\"" : "Name " + line;
            csv.append("P-%d,%s,2026-09-02 08:03,2026-09-02 08:50\n".formatted(line, name));
        }
        assertThatThrownBy(() -> ParticipantCsv.parse(csv.toString(), ZoneOffset.UTC))
                .isInstanceOf(ParticipantCsv.Invalid.class).hasMessageStartingWith("line 12: ").hasMessageContaining("quote")
                .extracting(e -> ((ParticipantCsv.Invalid) e).line()).isEqualTo(12);
    }

    @Test
    void a_participants_csv_row_with_another_number_of_fields_than_its_header_is_refused_naming_the_line() {
        assertThatThrownBy(() -> ParticipantCsv.parse("person,join,leave\nP-1,2026-09-02 08:30,2026-09-02 08:40\n"
                + "P-2,2026-09-02 08:30,2026-09-02 08:40,P-3\n", ZoneOffset.UTC))
                .isInstanceOf(ParticipantCsv.Invalid.class).hasMessageStartingWith("line 3: 4 fields where the header has 3");
    }

    @Test
    void a_zoom_export_with_meeting_data_a_tab_delimiter_and_crlf_is_read_after_its_meeting_block() {
        var parsed = ParticipantCsv.parse("Meeting ID\tTopic\tStart Time\r\n857 4606 5432\t\"Lecture\r\nweek 1\"\t09/24/2025 08:00:00 AM\r\n\r\n"
                + "Name (Original Name)\tUser Email\tJoin Time\tLeave Time\tDuration (Minutes)\tGuest\tIn Waiting Room\r\n"
                + "Әлия\taliya@kaznu.kz\t09/24/2025 08:15:02 AM\t09/24/2025 09:00:00 AM\t45\tNo\tNo\r\n"
                + "Guest\t\t09/24/2025 08:01:00 AM\t09/24/2025 08:05:00 AM\t4\tYes\tYes\r\n", ZoneOffset.ofHours(5));
        assertThat(parsed.format()).isEqualTo(ParticipantCsv.Format.ZOOM);
        assertThat(parsed.waitingRoomRowsExcluded()).isEqualTo(1);
        assertThat(parsed.rows()).containsExactly(new ParticipantCsv.Row("aliya@kaznu.kz", "Әлия",
                Instant.parse("2025-09-24T03:15:02Z"), Instant.parse("2025-09-24T04:00:00Z")));
    }
}

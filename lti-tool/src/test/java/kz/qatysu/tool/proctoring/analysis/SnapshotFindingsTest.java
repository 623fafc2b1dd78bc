package kz.qatysu.tool.proctoring.analysis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static kz.qatysu.tool.proctoring.analysis.Photos.ASTRONAUT;
import static kz.qatysu.tool.proctoring.analysis.Photos.CAMERAMAN;
import static kz.qatysu.tool.proctoring.analysis.Photos.GRACE_HOPPER;
import static org.assertj.core.api.Assertions.assertThat;

/** The face events of monitoring snapshots, made from the real photographs, against a verified identity. */
class SnapshotFindingsTest {
    static FaceAnalysis analysis;
    static Descriptor collins;

    @BeforeAll
    static void load() {
        analysis = new FaceAnalysis(AnalysisSettings.defaults());
        collins = analysis.analyse(Photos.bytes(ASTRONAUT)).largest().orElseThrow().requireDescriptor();
    }

    @AfterAll
    static void close() {
        analysis.close();
    }

    static List<FaceEvent> events(byte[] snapshot) {
        return SnapshotFindings.of(analysis.analyse(snapshot), Optional.of(collins), analysis.settings()).stream()
                .map(SnapshotFindings.Finding::event).toList();
    }

    @Test
    void the_verified_examinee_alone_and_facing_the_screen_raises_nothing() {
        assertThat(events(Photos.mirrored(ASTRONAUT))).isEmpty();
        assertThat(events(Photos.scaled(ASTRONAUT, 0.7))).isEmpty();
    }

    @Test
    void an_empty_seat_a_second_person_another_person_and_a_turned_head_raise_their_events() {
        assertThat(events(Photos.bytes(Photos.COFFEE))).containsExactly(FaceEvent.NO_FACE);
        assertThat(events(Photos.sideBySide(ASTRONAUT, GRACE_HOPPER))).contains(FaceEvent.MULTIPLE_FACES);
        assertThat(events(Photos.bytes(GRACE_HOPPER))).containsExactly(FaceEvent.FACE_MISMATCH);
        assertThat(events(Photos.bytes(CAMERAMAN))).containsExactlyInAnyOrder(FaceEvent.FACE_MISMATCH, FaceEvent.LOOKING_AWAY);
        SnapshotFindings.Finding mismatch = SnapshotFindings.of(analysis.analyse(Photos.bytes(GRACE_HOPPER)), Optional.of(collins),
                analysis.settings()).get(0);
        assertThat(mismatch.detail()).matches("distance 0\\.\\d{3} to the verified face \\(threshold 0\\.60\\)");
    }

    @Test
    void without_a_verified_identity_only_counts_and_head_turns_are_judged() {
        assertThat(SnapshotFindings.of(analysis.detect(Photos.bytes(GRACE_HOPPER)), Optional.empty(), analysis.settings())).isEmpty();
        assertThat(SnapshotFindings.of(analysis.detect(Photos.bytes(CAMERAMAN)), Optional.empty(), analysis.settings()))
                .extracting(SnapshotFindings.Finding::event).containsExactly(FaceEvent.LOOKING_AWAY);
    }
}

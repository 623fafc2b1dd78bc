package kz.qatysu.tool.proctoring.analysis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static kz.qatysu.tool.proctoring.analysis.Photos.ASTRONAUT;
import static kz.qatysu.tool.proctoring.analysis.Photos.CAMERAMAN;
import static kz.qatysu.tool.proctoring.analysis.Photos.CAT;
import static kz.qatysu.tool.proctoring.analysis.Photos.COFFEE;
import static kz.qatysu.tool.proctoring.analysis.Photos.GRACE_HOPPER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The face analysis on real photographs (photos/NOTICE.md) and composites and transforms made of them. */
class FaceAnalysisTest {
    static FaceAnalysis analysis;

    @BeforeAll
    static void load() {
        AnalysisSettings d = AnalysisSettings.defaults();
        analysis = new FaceAnalysis(new AnalysisSettings(d.detector(), d.embedder(), d.scoreThreshold(), d.nmsThreshold(),
                d.topK(), d.maxSide(), d.matchThreshold(), 2, 16, d.lookingAwayYaw()));
        assertThat(analysis.warmUp()).startsWith("4.");
    }

    @AfterAll
    static void close() {
        analysis.close();
    }

    @Test
    void counts_the_faces_of_real_photographs() {
        assertThat(analysis.detect(Photos.bytes(ASTRONAUT)).count()).isEqualTo(1);
        assertThat(analysis.detect(Photos.bytes(GRACE_HOPPER)).count()).isEqualTo(1);
        assertThat(analysis.detect(Photos.bytes(CAMERAMAN)).count()).isEqualTo(1);
        assertThat(analysis.detect(Photos.bytes(CAT)).count()).isZero();
        assertThat(analysis.detect(Photos.bytes(COFFEE)).count()).isZero();
    }

    @Test
    void finds_each_face_of_a_composite_of_two_people_and_of_one_person_twice() {
        Faces two = analysis.analyse(Photos.sideBySide(ASTRONAUT, GRACE_HOPPER));
        assertThat(two.count()).isEqualTo(2);
        // the astronaut's face is in the left picture (512 px wide), Grace Hopper's in the right one
        assertThat(two.faces()).anyMatch(f -> f.box().x() + f.box().width() <= 512)
                .anyMatch(f -> f.box().x() >= 512);
        assertThat(analysis.compare(two.faces().get(0).requireDescriptor(), two.faces().get(1).requireDescriptor()).same()).isFalse();

        Faces twice = analysis.analyse(Photos.sideBySide(ASTRONAUT, ASTRONAUT));
        assertThat(twice.count()).isEqualTo(2);
        assertThat(analysis.compare(twice.faces().get(0).requireDescriptor(), twice.faces().get(1).requireDescriptor()).same()).isTrue();

        assertThat(analysis.detect(Photos.sideBySide(CAT, ASTRONAUT, COFFEE)).count()).isEqualTo(1);
        assertThat(analysis.detect(Photos.sideBySide(CAT, COFFEE)).count()).isZero();
    }

    @Test
    void counts_right_after_scaling_mirroring_rotating_and_heavy_jpeg_compression() {
        for (byte[] picture : List.of(Photos.scaled(ASTRONAUT, 0.5), Photos.scaled(GRACE_HOPPER, 2.0),
                Photos.mirrored(ASTRONAUT), Photos.rotated(ASTRONAUT, 10), Photos.rotated(GRACE_HOPPER, -12),
                Photos.reencoded(GRACE_HOPPER, 25), Photos.png(ASTRONAUT))) {
            assertThat(analysis.detect(picture).count()).isEqualTo(1);
        }
        assertThat(analysis.detect(Photos.reencoded(COFFEE, 25)).count()).isZero();
    }

    @Test
    void a_4000_pixel_photograph_is_downscaled_for_detection_and_its_box_reported_in_its_own_pixels() {
        Faces original = analysis.analyse(Photos.bytes(GRACE_HOPPER));
        double factor = 4000 / 600.0; // grace_hopper.jpg is 512×600
        Faces large = analysis.analyse(Photos.scaled(GRACE_HOPPER, factor));
        assertThat(large.height()).isEqualTo(4000);
        assertThat(large.count()).isEqualTo(1);
        Face.Box a = original.faces().get(0).box();
        Face.Box b = large.faces().get(0).box();
        assertThat(b.x()).isCloseTo((int) (a.x() * factor), within((int) (0.03 * 4000)));
        assertThat(b.y()).isCloseTo((int) (a.y() * factor), within((int) (0.03 * 4000)));
        assertThat(b.width()).isCloseTo((int) (a.width() * factor), within((int) (0.1 * a.width() * factor)));
        assertThat(large.faces().get(0).landmarks().get(2).x())
                .isCloseTo(original.faces().get(0).landmarks().get(2).x() * factor, within(0.03 * 4000));
        // and it is still the same person
        assertThat(analysis.compareLargest(original, large).orElseThrow().same()).isTrue();
    }

    @Test
    void the_same_photograph_mirrored_cropped_or_brightened_is_the_same_person() {
        Descriptor astronaut = largest(Photos.bytes(ASTRONAUT));
        for (byte[] variant : List.of(Photos.mirrored(ASTRONAUT), Photos.cropped(ASTRONAUT, 100, 0, 300, 300),
                Photos.brightened(ASTRONAUT, 1.2, 25), Photos.brightened(ASTRONAUT, 0.8, -20), Photos.scaled(ASTRONAUT, 0.6))) {
            Match m = analysis.compare(astronaut, largest(variant));
            assertThat(m.distance()).isLessThan(0.45);
            assertThat(m.same()).isTrue();
            assertThat(m.threshold()).isEqualTo(0.6);
        }
        Descriptor grace = largest(Photos.bytes(GRACE_HOPPER));
        assertThat(analysis.compare(grace, largest(Photos.mirrored(GRACE_HOPPER))).same()).isTrue();
    }

    @Test
    void two_different_people_are_not_the_same_person() {
        Match m = analysis.compare(largest(Photos.bytes(ASTRONAUT)), largest(Photos.bytes(GRACE_HOPPER)));
        assertThat(m.distance()).isGreaterThanOrEqualTo(0.6);
        assertThat(m.same()).isFalse();
        assertThat(analysis.compare(largest(Photos.bytes(CAMERAMAN)), largest(Photos.bytes(GRACE_HOPPER))).same()).isFalse();
    }

    @Test
    void descriptors_have_128_values_and_do_not_depend_on_the_worker() throws Exception {
        byte[] picture = Photos.bytes(ASTRONAUT);
        List<CompletableFuture<Faces>> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            runs.add(analysis.submit(picture, true));
        }
        float[] first = runs.get(0).get().faces().get(0).requireDescriptor().values();
        assertThat(first).hasSize(128);
        for (CompletableFuture<Faces> r : runs) {
            assertThat(r.get().faces().get(0).requireDescriptor().values()).containsExactly(first, within(1e-5f));
        }
        assertThat(analysis.detect(picture).faces().get(0).descriptor()).isEmpty();
    }

    @Test
    void a_head_turned_away_is_looking_away_and_frontal_faces_are_not() {
        Face cameraman = analysis.detect(Photos.bytes(CAMERAMAN)).faces().get(0);
        assertThat(analysis.lookingAway(cameraman)).isTrue();
        assertThat(cameraman.yaw()).isGreaterThan(30);
        Face mirrored = analysis.detect(Photos.mirrored(CAMERAMAN)).faces().get(0);
        assertThat(mirrored.yaw()).isLessThan(-30);
        assertThat(analysis.lookingAway(mirrored)).isTrue();
        for (String frontal : List.of(ASTRONAUT, GRACE_HOPPER)) {
            Face f = analysis.detect(Photos.bytes(frontal)).faces().get(0);
            assertThat(Math.abs(f.yaw())).isLessThan(12);
            assertThat(analysis.lookingAway(f)).isFalse();
        }
        // a tilted (rolled) head is not a turned one
        assertThat(analysis.lookingAway(analysis.detect(Photos.rotated(GRACE_HOPPER, -12)).faces().get(0))).isFalse();
    }

    @Test
    void faces_come_with_five_landmarks_and_a_score_over_the_threshold() {
        Face f = analysis.detect(Photos.bytes(GRACE_HOPPER)).faces().get(0);
        assertThat(f.score()).isBetween(0.8, 1.0);
        assertThat(f.landmarks()).hasSize(5);
        // image-left eye left of the image-right eye, the nose below both, the mouth below the nose
        assertThat(f.landmarks().get(0).x()).isLessThan(f.landmarks().get(1).x());
        assertThat(f.landmarks().get(2).y()).isGreaterThan(f.landmarks().get(0).y());
        assertThat(f.landmarks().get(3).y()).isGreaterThan(f.landmarks().get(2).y());
        Face.Box box = f.box();
        assertThat(f.landmarks()).allMatch(p -> p.x() >= box.x() && p.x() <= box.x() + box.width()
                && p.y() >= box.y() && p.y() <= box.y() + box.height());
    }

    @Test
    void bad_pictures_are_refused_with_the_reason() {
        byte[] jpeg = Photos.bytes(ASTRONAUT);
        assertThatThrownBy(() -> analysis.analyse(Arrays.copyOf(jpeg, jpeg.length / 2)))
                .isInstanceOf(UnreadableImage.class).hasMessageContaining("incomplete");
        assertThatThrownBy(() -> analysis.analyse("this is not a picture, only text in a file named .png\n".getBytes()))
                .isInstanceOf(UnreadableImage.class).hasMessageContaining("not a JPEG or PNG");
        assertThatThrownBy(() -> analysis.analyse(new byte[0]))
                .isInstanceOf(UnreadableImage.class).hasMessageContaining("empty");
        byte[] png = Photos.png(GRACE_HOPPER);
        assertThatThrownBy(() -> analysis.analyse(Arrays.copyOf(png, png.length - 200)))
                .isInstanceOf(UnreadableImage.class).hasMessageContaining("incomplete");
        // a JPEG cut off inside its headers
        assertThatThrownBy(() -> analysis.analyse(Arrays.copyOf(jpeg, 40))).isInstanceOf(UnreadableImage.class);
        // the pool goes on working after refusals
        assertThat(analysis.detect(jpeg).count()).isEqualTo(1);
    }

    @Test
    void a_full_queue_refuses_at_once_instead_of_waiting() throws Exception {
        AnalysisSettings d = AnalysisSettings.defaults();
        try (FaceAnalysis small = new FaceAnalysis(new AnalysisSettings(d.detector(), d.embedder(), d.scoreThreshold(),
                d.nmsThreshold(), d.topK(), d.maxSide(), d.matchThreshold(), 1, 1, d.lookingAwayYaw()))) {
            small.warmUp();
            byte[] slow = Photos.sideBySide(ASTRONAUT, GRACE_HOPPER, ASTRONAUT, GRACE_HOPPER);
            List<CompletableFuture<Faces>> accepted = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < 6; i++) {
                try {
                    accepted.add(small.submit(slow, true));
                } catch (FaceAnalysis.Busy e) {
                    refused++;
                    assertThat(e.getMessage()).contains("busy");
                }
            }
            assertThat(refused).isGreaterThan(0);
            for (CompletableFuture<Faces> f : accepted) {
                assertThat(f.get().count()).isEqualTo(4);
            }
            assertThat(small.queued()).isZero();
        }
    }

    @Test
    void a_picture_a_person_waits_for_is_analysed_ahead_of_a_backlog_of_monitoring_snapshots() throws Exception {
        AnalysisSettings d = AnalysisSettings.defaults();
        try (FaceAnalysis busy = new FaceAnalysis(new AnalysisSettings(d.detector(), d.embedder(), d.scoreThreshold(),
                d.nmsThreshold(), d.topK(), d.maxSide(), d.matchThreshold(), 1, 40, d.lookingAwayYaw()))) {
            busy.warmUp();
            byte[] slow = Photos.sideBySide(ASTRONAUT, GRACE_HOPPER, ASTRONAUT, GRACE_HOPPER);
            List<CompletableFuture<Faces>> backlog = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                backlog.add(busy.submit(slow, true));
            }
            // the identity check's picture does not queue behind the 40 snapshots (≈ 4 analyses each)
            assertThat(busy.analyse(Photos.bytes(GRACE_HOPPER)).count()).isEqualTo(1);
            assertThat(backlog.stream().filter(f -> !f.isDone()).count()).isGreaterThan(10);
            for (CompletableFuture<Faces> f : backlog) {
                assertThat(f.get().count()).isEqualTo(4);
            }
        }
    }

    @Test
    void the_background_workers_run_at_the_configured_nice_value_and_the_waited_for_worker_at_normal_priority() throws Exception {
        AnalysisSettings d = AnalysisSettings.defaults();
        try (FaceAnalysis niced = new FaceAnalysis(new AnalysisSettings(d.detector(), d.embedder(), d.scoreThreshold(),
                d.nmsThreshold(), d.topK(), d.maxSide(), d.matchThreshold(), 1, 4, d.lookingAwayYaw(), 13))) {
            niced.warmUp();
            // Linux shows a thread's name cut to 15 characters in /proc/self/task/<tid>/comm, its nice value in stat
            java.util.Map<String, Integer> niceByName = new java.util.TreeMap<>();
            try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
                for (var task : tasks.toList()) {
                    String name = java.nio.file.Files.readString(task.resolve("comm")).strip();
                    if (name.startsWith("qatysu-face")) {
                        niceByName.put(name, WorkerPriority.niceOf(java.nio.file.Files.readString(task.resolve("stat"))));
                    }
                }
            }
            assertThat(niceByName).containsEntry("qatysu-face-ana", 13).containsEntry("qatysu-face-wai", 0);
        }
    }

    static Descriptor largest(byte[] picture) {
        return analysis.analyse(picture).largest().orElseThrow().requireDescriptor();
    }
}

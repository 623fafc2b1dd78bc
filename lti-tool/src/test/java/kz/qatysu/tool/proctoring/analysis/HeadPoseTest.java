package kz.qatysu.tool.proctoring.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HeadPoseTest {
    static final List<Face.Point> FRONTAL = List.of(new Face.Point(40, 50), new Face.Point(80, 50), new Face.Point(60, 70),
            new Face.Point(45, 90), new Face.Point(75, 90));

    @Test
    void a_nose_between_the_eyes_is_a_frontal_face() {
        assertThat(HeadPose.yawDegrees(FRONTAL)).isCloseTo(0, within(1e-9));
    }

    @Test
    void the_nose_offset_along_the_eye_line_gives_the_turn_and_its_side() {
        // nose 10 px right of the eye midpoint, eyes 40 px apart: atan(2 · 10/40) ≈ 26.6°
        List<Face.Point> right = List.of(FRONTAL.get(0), FRONTAL.get(1), new Face.Point(70, 70), FRONTAL.get(3), FRONTAL.get(4));
        assertThat(HeadPose.yawDegrees(right)).isCloseTo(26.57, within(0.01));
        List<Face.Point> left = List.of(FRONTAL.get(0), FRONTAL.get(1), new Face.Point(50, 70), FRONTAL.get(3), FRONTAL.get(4));
        assertThat(HeadPose.yawDegrees(left)).isCloseTo(-26.57, within(0.01));
        Face face = new Face(new Face.Box(30, 30, 60, 70), right, 0.9, HeadPose.yawDegrees(right), java.util.Optional.empty());
        assertThat(HeadPose.lookingAway(face, 30)).isFalse();
        assertThat(HeadPose.lookingAway(face, 25)).isTrue();
    }

    @Test
    void a_tilted_head_is_not_a_turned_one() {
        double a = Math.toRadians(25);
        List<Face.Point> rolled = FRONTAL.stream().map(p -> new Face.Point(
                60 + (p.x() - 60) * Math.cos(a) - (p.y() - 60) * Math.sin(a),
                60 + (p.x() - 60) * Math.sin(a) + (p.y() - 60) * Math.cos(a))).toList();
        assertThat(HeadPose.yawDegrees(rolled)).isCloseTo(0, within(1e-9));
    }
}

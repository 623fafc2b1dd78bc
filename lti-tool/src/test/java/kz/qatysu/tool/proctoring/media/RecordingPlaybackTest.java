package kz.qatysu.tool.proctoring.media;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static kz.qatysu.tool.proctoring.media.MediaFixture.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Playback of recordings on the real database and store, with Debian's ffmpeg and a live WebM as MediaRecorder makes. */
class RecordingPlaybackTest {
    static final String REC = "7d0c7d5e-3a51-4f0e-8a3c-2b3c4d5e6f70";
    static byte[] webm;

    @TempDir
    Path dir;
    MediaFixture f;
    RecordingPlayback playback;

    @BeforeAll
    static void makeWebm() throws Exception {
        LiveWebm.assumeFfmpeg();
        webm = LiveWebm.threeSeconds();
    }

    @BeforeEach
    void setUp() {
        f = new MediaFixture(dir);
        playback = f.media.playback();
        f.recordings.begin(REC, "p-1");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    /** Sends {@code bytes} cut into chunks at {@code cuts} (timeslice chunks end anywhere, not on element boundaries). */
    void upload(byte[] bytes, int... cuts) {
        int from = 0;
        int index = 0;
        for (int cut : cuts) {
            send(index++, Arrays.copyOfRange(bytes, from, cut));
            from = cut;
        }
        send(index, Arrays.copyOfRange(bytes, from, bytes.length));
    }

    void send(int index, byte[] chunk) {
        f.recordings.accept(REC, index, sha256(chunk), new ByteArrayInputStream(chunk));
    }

    static byte[] all(RecordingPlayback.Playback p) throws IOException {
        try (InputStream in = p.read()) {
            return in.readAllBytes();
        }
    }

    @Test
    void the_recording_as_recorded_has_no_cues_and_no_duration_and_the_playable_copy_has_both() throws Exception {
        WebmStructure raw = WebmStructure.of(webm);
        assertThat(raw.hasCues()).isFalse();
        assertThat(raw.hasDuration()).isFalse();
        assertThat(raw.unknownSizes()).isTrue();

        upload(webm, webm.length / 3, 2 * webm.length / 3);
        RecordingPlayback.Playback p = playback.open(REC, "proctor:pr-1", ProctoringMedia.Access.VIEW);
        assertThat(p.seekable()).isTrue();
        byte[] playable = all(p);
        assertThat(playable).hasSize((int) p.size());
        WebmStructure remuxed = WebmStructure.of(playable);
        assertThat(remuxed.hasCues()).as("Cues in %s", remuxed.topLevel()).isTrue();
        assertThat(remuxed.hasDuration()).isTrue();
        assertThat(remuxed.unknownSizes()).isFalse();
        Path file = Files.write(dir.resolve("playable.webm"), playable);
        assertThat(LiveWebm.ffprobeDuration(file)).isCloseTo(3.0, within(0.25));
        // the copy is stored encrypted, and the remux left no plaintext behind in its work folder
        assertThat(f.store.list("playable/" + REC + "/")).singleElement()
                .satisfies(k -> assertThat(Files.readAllBytes(f.store.root().resolve(k))).startsWith("QTMM".getBytes()));
        try (var left = Files.walk(dir.resolve("proctoring"))) {
            assertThat(left.filter(Files::isRegularFile).toList()).isEmpty();
        }
    }

    @Test
    void byte_ranges_of_the_playable_copy_are_the_same_bytes_as_the_whole_across_segments() throws Exception {
        upload(webm, webm.length / 2);
        RecordingPlayback.Playback p = playback.open(REC, "proctor:pr-1", ProctoringMedia.Access.VIEW);
        byte[] whole = all(p);
        long segment = MediaCipher.SEGMENT;
        assertThat(whole.length).as("more than 2 encryption segments").isGreaterThan(2 * MediaCipher.SEGMENT + 100);
        for (long[] r : new long[][]{{0, 0}, {0, 99}, {segment - 3, segment + 2}, {segment, segment}, {1000, whole.length - 1},
                {whole.length - 1, whole.length - 1}, {segment * 2 + 17, whole.length - 5}}) {
            try (InputStream in = p.read(new ByteRange(r[0], r[1]))) {
                assertThat(in.readAllBytes()).as("bytes %d-%d", r[0], r[1])
                        .isEqualTo(Arrays.copyOfRange(whole, (int) r[0], (int) r[1] + 1));
            }
        }
        assertThatThrownBy(() -> p.read(new ByteRange(0, whole.length))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_copy_is_made_once_and_made_again_when_more_chunks_arrive() throws Exception {
        int cut = webm.length / 2;
        send(0, Arrays.copyOf(webm, cut));
        RecordingPlayback.Playback early = playback.open(REC, "proctor:pr-1", ProctoringMedia.Access.VIEW);
        assertThat(early.seekable()).isTrue();
        List<String> keys = f.store.list("playable/");
        assertThat(keys).hasSize(1);
        playback.open(REC, "proctor:pr-1", ProctoringMedia.Access.VIEW);
        assertThat(f.store.list("playable/")).isEqualTo(keys);

        send(1, Arrays.copyOfRange(webm, cut, webm.length));
        RecordingPlayback.Playback later = playback.open(REC, "proctor:pr-1", ProctoringMedia.Access.VIEW);
        assertThat(later.size()).isGreaterThan(early.size());
        assertThat(f.store.list("playable/")).hasSize(1).doesNotContainAnyElementsOf(keys);
        assertThat(LiveWebm.ffprobeDuration(Files.write(dir.resolve("later.webm"), all(later)))).isCloseTo(3.0, within(0.25));
        // the chunk bookkeeping does not count the copy as a chunk
        assertThat(f.recordings.status(REC).present()).containsExactly(0, 1);
        assertThat(f.recordings.finish(REC, 1).finished()).isTrue();
        try (ProctoringMedia.Opened o = f.media.openRecording(REC, "dean:d-1", ProctoringMedia.Access.DOWNLOAD)) {
            assertThat(o.content().readAllBytes()).isEqualTo(webm);
        }
    }

    @Test
    void without_ffmpeg_the_chunks_are_served_as_recorded_and_the_start_up_warns_naming_the_key() throws Exception {
        MediaSettings noFfmpeg = new MediaSettings(f.settings.dir(), java.util.Optional.empty(), 4096, 256 * 1024,
                Duration.ofDays(365), dir, dir.resolve("no-such-ffmpeg").toString());
        Logger logger = (Logger) LoggerFactory.getLogger(RecordingPlayback.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            ProctoringMedia.of(f.db.jdbi(), noFfmpeg, f.clock); // as the tool starts
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel().toString()).isEqualTo("WARN");
            assertThat(e.getFormattedMessage()).contains("proctoring.ffmpeg", "QATYSU_PROCTORING_FFMPEG", "no-such-ffmpeg",
                    "cannot be seeked");
        });

        ProctoringMedia media = new ProctoringMedia(f.db.jdbi(), f.store,
                new MediaCipher(List.of(MediaCipherTest.filled(32, 3)), "a test key"), noFfmpeg, f.clock);
        upload(webm, 100_000);
        RecordingPlayback.Playback p = media.playback().open(REC, "proctor:pr-1", ProctoringMedia.Access.VIEW);
        assertThat(p.seekable()).isFalse();
        assertThat(all(p)).isEqualTo(webm);
        try (InputStream in = p.read(new ByteRange(99_990, 100_009))) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(webm, 99_990, 100_010));
        }
        assertThat(f.store.list("playable/")).isEmpty();
    }

    @Test
    void a_recording_ffmpeg_cannot_read_is_served_as_recorded() throws Exception {
        byte[] broken = MediaFixture.webm(120_000); // the EBML id, then noise
        upload(broken, 60_000);
        RecordingPlayback.Playback p = playback.open(REC, "proctor:pr-1", ProctoringMedia.Access.VIEW);
        assertThat(p.seekable()).isFalse();
        assertThat(all(p)).isEqualTo(broken);
        assertThat(f.store.list("playable/")).isEmpty();
    }

    @Test
    void a_remux_that_does_not_finish_in_time_is_stopped() throws Exception {
        Path slow = dir.resolve("slow-ffmpeg");
        Files.writeString(slow, "#!/bin/sh\n[ \"$2\" = -version ] && { echo 'slow 1.0'; exit 3; }\nsleep 30\n");
        Files.setPosixFilePermissions(slow, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE));
        Remux remux = new Remux(slow.toString(), Duration.ofMillis(500));
        Path out = Files.createDirectories(dir.resolve("work")).resolve("out.webm");
        long start = System.nanoTime();
        assertThatThrownBy(() -> remux.remux(new ByteArrayInputStream(webm), out))
                .isInstanceOf(Remux.Failed.class).hasMessageContaining("did not finish the remux in PT0.5S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(out).doesNotExist();
        assertThat(remux.problem()).hasValueSatisfying(p -> assertThat(p).contains("slow-ffmpeg", "exit 3", "slow 1.0"));
    }

    @Test
    void playback_is_audited_once_per_viewer_and_window_not_once_per_range_request() throws Exception {
        upload(webm, webm.length / 2);
        for (int i = 0; i < 5; i++) {
            playback.open(REC, "proctor:pr-1", ProctoringMedia.Access.VIEW);
        }
        playback.open(REC, "proctor:pr-2", ProctoringMedia.Access.VIEW);
        f.clock.advance(RecordingPlayback.AUDIT_WINDOW.plusSeconds(1));
        playback.open(REC, "proctor:pr-1", ProctoringMedia.Access.VIEW);
        assertThat(f.media.audit("p-1")).extracting(a -> a.actor() + " " + a.action() + " " + a.objectKey())
                .containsExactly("proctor:pr-1 view recording:" + REC, "proctor:pr-2 view recording:" + REC,
                        "proctor:pr-1 view recording:" + REC);
        assertThat(f.media.audit("p-1").getFirst().detail()).isEqualTo("playback of 2 chunk(s), remuxed");
        assertThatThrownBy(() -> playback.open("0a0b0c0d-0000-4000-8000-000000000000", "proctor:pr-1", ProctoringMedia.Access.VIEW))
                .isInstanceOfSatisfying(MediaRefused.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void the_copy_is_left_out_of_the_export_and_goes_with_the_deletion_and_with_the_first_chunk_past_retention()
            throws Exception {
        send(0, Arrays.copyOf(webm, webm.length / 2));
        f.clock.advance(Duration.ofHours(2));
        send(1, Arrays.copyOfRange(webm, webm.length / 2, webm.length));
        playback.open(REC, "proctor:pr-1", ProctoringMedia.Access.VIEW);
        assertThat(f.store.list("playable/")).hasSize(1);

        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        assertThat(f.media.exportPerson("p-1", "dean:d-1", zip)).isEqualTo(2);
        try (var entries = new java.util.zip.ZipInputStream(new ByteArrayInputStream(zip.toByteArray()))) {
            List<String> names = new java.util.ArrayList<>();
            for (var e = entries.getNextEntry(); e != null; e = entries.getNextEntry()) {
                names.add(e.getName());
            }
            assertThat(names).hasSize(3).allMatch(n -> n.startsWith("media/recordings/") || n.equals("manifest.json"));
        }

        // 365 days after chunk 0 (chunk 1 is 2 hours younger): chunk 0 and the copy made of it go
        f.clock.advance(Duration.ofDays(365).minusHours(1));
        assertThat(f.media.purge()).isEqualTo(2);
        assertThat(f.store.list("playable/")).isEmpty();
        assertThat(f.recordings.status(REC).present()).containsExactly(1);

        // what is left starts in the middle of the WebM: ffmpeg cannot read it, so it is served as it is
        assertThat(playback.open(REC, "proctor:pr-1", ProctoringMedia.Access.VIEW).seekable()).isFalse();
        assertThat(f.media.deletePerson("p-1", "dean:d-1")).isEqualTo(1);
        assertThat(f.store.list("")).isEmpty();
    }
}

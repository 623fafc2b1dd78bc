package kz.qatysu.tool.proctoring.media;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import static kz.qatysu.tool.proctoring.media.MediaFixture.sha256;
import static kz.qatysu.tool.proctoring.media.MediaFixture.webm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingUploadsTest {
    static final String REC = "3f1c2a9e-5b7d-4e21-9c0a-1b2c3d4e5f60";

    @TempDir
    Path dir;
    MediaFixture f;
    RecordingUploads uploads;
    byte[] c0 = webm(100_000);
    byte[] c1 = MediaCipherTest.random(90_000);
    byte[] c2 = MediaCipherTest.random(80_000);

    @BeforeEach
    void setUp() {
        f = new MediaFixture(dir);
        uploads = f.recordings;
        uploads.begin(REC, "p-1");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    RecordingUploads.Accepted send(int index, byte[] bytes) {
        return uploads.accept(REC, index, sha256(bytes), new ByteArrayInputStream(bytes));
    }

    @Test
    void chunks_arriving_out_of_order_are_assembled_in_order_and_the_download_is_audited() throws IOException {
        assertThat(send(2, c2)).isEqualTo(RecordingUploads.Accepted.STORED);
        assertThat(send(0, c0)).isEqualTo(RecordingUploads.Accepted.STORED);
        assertThat(uploads.status(REC).present()).containsExactly(0, 2);
        assertThat(send(1, c1)).isEqualTo(RecordingUploads.Accepted.STORED);
        assertThat(uploads.finish(REC, 2).finished()).isTrue();

        try (ProctoringMedia.Opened o = f.media.openRecording(REC, "dean:d-1", ProctoringMedia.Access.DOWNLOAD)) {
            assertThat(o.content().readAllBytes()).isEqualTo(MediaFixture.concat(c0, c1, c2));
            assertThat(o.size()).isEqualTo(270_000);
        }
        assertThat(f.media.audit("p-1")).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo("download");
            assertThat(a.objectKey()).isEqualTo("recording:" + REC);
        });
    }

    @Test
    void a_first_chunk_of_one_byte_as_chromium_sends_it_is_accepted_and_the_joined_start_is_checked_at_finish()
            throws IOException {
        // Chromium's MediaRecorder delivered chunk 0 as the single byte 0x1A and the rest of the EBML id in chunk 1
        byte[] first = {0x1A};
        byte[] second = java.util.Arrays.copyOfRange(c0, 1, c0.length);
        assertThat(send(0, first)).isEqualTo(RecordingUploads.Accepted.STORED);
        assertThat(send(1, second)).isEqualTo(RecordingUploads.Accepted.STORED);
        assertThat(uploads.finish(REC, 1).finished()).isTrue();
        try (ProctoringMedia.Opened o = f.media.openRecording(REC, "dean:d-1", ProctoringMedia.Access.DOWNLOAD)) {
            assertThat(o.content().readAllBytes()).isEqualTo(c0);
        }
    }

    @Test
    void a_short_first_chunk_that_does_not_begin_a_webm_is_refused_and_so_is_a_recording_that_does_not_go_on_as_one() {
        assertThatThrownBy(() -> send(0, new byte[]{0x00})).isInstanceOfSatisfying(MediaRefused.class, e -> {
            assertThat(e.status()).isEqualTo(415);
            assertThat(e.field()).isEqualTo("chunk.bytes");
        });
        send(0, new byte[]{0x1A, 0x45});
        send(1, c1); // random bytes: together not the EBML id
        assertThatThrownBy(() -> uploads.finish(REC, 1)).isInstanceOfSatisfying(MediaRefused.class, e -> {
            assertThat(e.status()).isEqualTo(415);
            assertThat(e.field()).isEqualTo("recording.bytes");
        });
        assertThat(uploads.status(REC).finished()).isFalse();
    }

    @Test
    void the_same_chunk_sent_again_is_already_stored_and_kept_once() {
        send(0, c0);
        assertThat(send(0, c0)).isEqualTo(RecordingUploads.Accepted.ALREADY_STORED);
        assertThat(f.store.list("recordings/")).hasSize(1);
        assertThat(f.media.ofPerson("p-1")).hasSize(1);
    }

    @Test
    void other_bytes_under_a_stored_index_are_a_conflict_and_the_stored_chunk_stays() throws IOException {
        send(0, c0);
        send(1, c1);
        assertThatThrownBy(() -> send(1, c2)).isInstanceOfSatisfying(MediaRefused.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.field()).isEqualTo("chunk.sha256");
        });
        assertThat(f.store.list("recordings/")).hasSize(2);
        uploads.finish(REC, 1);
        try (ProctoringMedia.Opened o = f.media.openRecording(REC, "dean:d-1", ProctoringMedia.Access.VIEW)) {
            assertThat(o.content().readAllBytes()).isEqualTo(MediaFixture.concat(c0, c1));
        }
    }

    @Test
    void finishing_with_gaps_is_refused_naming_the_missing_chunks_until_they_are_sent() {
        send(0, c0);
        send(2, c2);
        assertThatThrownBy(() -> uploads.finish(REC, 3)).isInstanceOfSatisfying(MediaRefused.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.getMessage()).contains("recording.lastIndex", "[1, 3]");
        });
        assertThat(uploads.status(REC).finished()).isFalse();
        send(1, c1);
        assertThatThrownBy(() -> uploads.finish(REC, 1)).as("chunk 2 beyond the end").isInstanceOf(MediaRefused.class);
        assertThat(uploads.finish(REC, 2).lastIndex()).contains(2);
        assertThat(uploads.finish(REC, 2).finished()).as("finishing again is fine").isTrue();
        assertThatThrownBy(() -> send(3, c2)).as("nothing after the end").isInstanceOfSatisfying(MediaRefused.class,
                e -> assertThat(e.status()).isEqualTo(409));
        assertThat(send(2, c2)).as("a late retry of a stored chunk").isEqualTo(RecordingUploads.Accepted.ALREADY_STORED);
    }

    @Test
    void a_chunk_killed_mid_upload_stores_nothing_and_can_be_sent_again() {
        send(0, c0);
        InputStream dying = new InputStream() {
            private final InputStream first = new ByteArrayInputStream(c1, 0, 70_000);

            @Override
            public int read() throws IOException {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = first.read(b, off, len);
                if (n == -1) {
                    throw new IOException("connection reset by peer");
                }
                return n;
            }
        };
        assertThatThrownBy(() -> uploads.accept(REC, 1, sha256(c1), dying)).isInstanceOf(UncheckedIOException.class);
        assertThat(uploads.status(REC).present()).containsExactly(0);
        assertThat(f.store.list("recordings/")).hasSize(1);

        assertThat(send(1, c1)).isEqualTo(RecordingUploads.Accepted.STORED);
        assertThat(uploads.status(REC).present()).containsExactly(0, 1);
    }

    @Test
    void a_chunk_whose_bytes_do_not_match_the_declared_hash_is_refused_and_not_stored() {
        byte[] cut = java.util.Arrays.copyOf(c0, 50_000);
        assertThatThrownBy(() -> uploads.accept(REC, 0, sha256(c0), new ByteArrayInputStream(cut)))
                .isInstanceOfSatisfying(MediaRefused.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("chunk.sha256");
                });
        assertThat(uploads.status(REC).present()).isEmpty();
        assertThat(f.store.list("")).isEmpty();
    }

    @Test
    void the_first_chunk_must_be_webm_and_every_chunk_within_the_size_limit() {
        assertThatThrownBy(() -> send(0, MediaFixture.jpeg(1000))).isInstanceOfSatisfying(MediaRefused.class,
                e -> assertThat(e.status()).isEqualTo(415));
        byte[] big = MediaCipherTest.random(256 * 1024 + 1);
        assertThatThrownBy(() -> send(1, big)).isInstanceOfSatisfying(MediaRefused.class, e -> {
            assertThat(e.status()).isEqualTo(413);
            assertThat(e.getMessage()).contains("chunk.bytes", "proctoring.media.maxChunkBytes");
        });
        assertThat(f.store.list("")).isEmpty();
    }

    @Test
    void bad_identifiers_are_refused_naming_the_field() {
        assertThatThrownBy(() -> uploads.accept(REC, 0, "xyz", new ByteArrayInputStream(c0)))
                .isInstanceOfSatisfying(MediaRefused.class, e -> assertThat(e.field()).isEqualTo("chunk.sha256"));
        assertThatThrownBy(() -> uploads.accept(REC, -1, sha256(c0), new ByteArrayInputStream(c0)))
                .isInstanceOfSatisfying(MediaRefused.class, e -> assertThat(e.field()).isEqualTo("chunk.index"));
        assertThatThrownBy(() -> uploads.accept("../../etc", 0, sha256(c0), new ByteArrayInputStream(c0)))
                .isInstanceOfSatisfying(MediaRefused.class, e -> assertThat(e.field()).isEqualTo("recording.id"));
        assertThatThrownBy(() -> uploads.status("0000000-unknown"))
                .isInstanceOfSatisfying(MediaRefused.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> uploads.begin(REC, "p-2"))
                .isInstanceOfSatisfying(MediaRefused.class, e -> assertThat(e.status()).isEqualTo(409));
    }
}

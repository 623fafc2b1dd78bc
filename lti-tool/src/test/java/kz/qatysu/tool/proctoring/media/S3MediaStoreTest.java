package kz.qatysu.tool.proctoring.media;

import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.config.Secret;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static kz.qatysu.tool.proctoring.media.MediaFixture.sha256;
import static kz.qatysu.tool.proctoring.media.MediaFixture.webm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The object-store backend against a real S3-compatible server (S3Proxy in its own JVM, signatures checked). */
class S3MediaStoreTest {
    @TempDir
    static Path dir;
    static S3Server s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3Server.start(dir, "media", "other");
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void objects_are_put_read_listed_page_by_page_and_deleted_under_the_configured_prefix() throws IOException {
        S3MediaStore store = new S3MediaStore(s3.settings("media", "qatysu/"), dir.resolve("spool-a"), Clock.systemUTC(), 2);
        for (String key : List.of("snapshot/b", "snapshot/a", "recordings/r-1/00000001-ab", "recordings/r-1/00000000-cd", "id-photo/x")) {
            byte[] bytes = ("object " + key).getBytes(StandardCharsets.UTF_8);
            assertThat(store.put(key, out -> out.write(bytes))).isEqualTo(bytes.length);
        }
        // pages of 2 keys: the continuation token is followed to the end; keys come back without the prefix, sorted
        assertThat(store.list("")).containsExactly("id-photo/x", "recordings/r-1/00000000-cd", "recordings/r-1/00000001-ab",
                "snapshot/a", "snapshot/b");
        assertThat(store.list("recordings/r-1/")).containsExactly("recordings/r-1/00000000-cd", "recordings/r-1/00000001-ab");
        try (InputStream in = store.get("snapshot/a").orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("object snapshot/a");
        }
        // a put replaces the object whole
        store.put("snapshot/a", out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
        try (InputStream in = store.get("snapshot/a").orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo("second".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(store.get("snapshot/none")).isEmpty();
        assertThat(store.delete("snapshot/b")).isTrue();
        assertThat(store.delete("snapshot/b")).isFalse();
        assertThat(store.get("snapshot/b")).isEmpty();
        // the objects really sit under the prefix in the bucket: a store without the prefix sees them with it
        S3MediaStore whole = new S3MediaStore(s3.settings("media", ""), dir.resolve("spool-b"));
        assertThat(whole.list("qatysu/snapshot/")).containsExactly("qatysu/snapshot/a");
    }

    @Test
    void a_put_whose_content_fails_midway_leaves_no_object_and_no_spool_file() throws IOException {
        Path spool = dir.resolve("spool-c");
        S3MediaStore store = new S3MediaStore(s3.settings("other", ""), spool);
        assertThatThrownBy(() -> store.put("snapshot/broken", out -> {
            out.write(new byte[100_000]);
            throw new IOException("the upload was cut off");
        })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("snapshot/broken");
        assertThat(store.get("snapshot/broken")).isEmpty();
        assertThat(store.list("snapshot/")).isEmpty();
        try (var left = Files.list(spool)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void a_wrong_secret_is_refused_with_the_store_s_reason_and_the_secret_never_appears_in_the_message() {
        S3Settings right = s3.settings("media", "");
        S3Settings wrong = new S3Settings(right.endpoint(), right.region(), right.bucket(), right.prefix(), right.accessKey(),
                new Secret("not-the-secret-xyz"), true);
        S3MediaStore store = new S3MediaStore(wrong, dir.resolve("spool-d"));
        assertThatThrownBy(() -> store.put("snapshot/x", out -> out.write(1)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("bucket media")
                .satisfies(e -> {
                    assertThat(e.getCause().getMessage()).contains("PutObject").contains("403").contains("SignatureDoesNotMatch");
                    assertThat(e.getMessage() + e.getCause().getMessage()).doesNotContain("not-the-secret-xyz")
                            .doesNotContain(S3Server.SECRET_KEY);
                });
        assertThat(wrong.toString()).doesNotContain("not-the-secret-xyz");
    }

    @Test
    void chunks_of_one_recording_uploaded_to_two_nodes_make_one_recording_any_node_can_play() throws IOException {
        Database db = TestPostgres.freshDatabase("tool");
        try {
            MediaCipher cipher = new MediaCipher(List.of(MediaCipherTest.filled(32, 7)), "the shared key");
            MediaSettings settings = new MediaSettings(dir.resolve("unused"), Optional.empty(), 4096, 256 * 1024,
                    Duration.ofDays(365), dir);
            // two nodes: one database, one bucket, each its own spool folder
            ProctoringMedia nodeA = new ProctoringMedia(db.jdbi(), new S3MediaStore(s3.settings("media", "rec/"), dir.resolve("node-a")),
                    cipher, settings, Clock.systemUTC());
            ProctoringMedia nodeB = new ProctoringMedia(db.jdbi(), new S3MediaStore(s3.settings("media", "rec/"), dir.resolve("node-b")),
                    cipher, settings, Clock.systemUTC());
            RecordingUploads a = new RecordingUploads(nodeA);
            RecordingUploads b = new RecordingUploads(nodeB);
            byte[] c0 = webm(90_000);
            byte[] c1 = MediaCipherTest.random(120_000);
            byte[] c2 = MediaCipherTest.random(60_000);
            a.begin("rec-two-nodes-1", "p-1");
            assertThat(a.accept("rec-two-nodes-1", 0, sha256(c0), new ByteArrayInputStream(c0))).isEqualTo(RecordingUploads.Accepted.STORED);
            // the connection dropped and the browser resumed on the other node
            assertThat(b.status("rec-two-nodes-1").present()).containsExactly(0);
            assertThat(b.accept("rec-two-nodes-1", 2, sha256(c2), new ByteArrayInputStream(c2))).isEqualTo(RecordingUploads.Accepted.STORED);
            assertThat(b.accept("rec-two-nodes-1", 1, sha256(c1), new ByteArrayInputStream(c1))).isEqualTo(RecordingUploads.Accepted.STORED);
            // a resend of chunk 1 reaching node A is already there
            assertThat(a.accept("rec-two-nodes-1", 1, sha256(c1), new ByteArrayInputStream(c1))).isEqualTo(RecordingUploads.Accepted.ALREADY_STORED);
            assertThat(a.finish("rec-two-nodes-1", 2).finished()).isTrue();
            try (ProctoringMedia.Opened o = nodeA.openRecording("rec-two-nodes-1", "dean:d-1", ProctoringMedia.Access.DOWNLOAD)) {
                assertThat(o.content().readAllBytes()).isEqualTo(MediaFixture.concat(c0, c1, c2));
            }
            // what lies in the bucket is ciphertext, never the chunk's bytes
            S3MediaStore raw = new S3MediaStore(s3.settings("media", "rec/"), dir.resolve("raw"));
            List<String> keys = raw.list("recordings/rec-two-nodes-1/");
            assertThat(keys).hasSize(3);
            try (InputStream in = raw.get(keys.get(1)).orElseThrow()) {
                byte[] stored = in.readAllBytes();
                assertThat(new String(stored, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("QTMM");
                assertThat(java.util.Collections.indexOfSubList(bytesList(stored), bytesList(java.util.Arrays.copyOf(c1, 64)))).isEqualTo(-1);
            }
        } finally {
            db.close();
        }
    }

    @Test
    void the_object_store_is_configured_by_its_keys_and_refused_naming_the_key() {
        ConfigProblems problems = new ConfigProblems();
        MediaSettings ok = MediaSettings.read(new ConfigReader(ConfigSource.of("", Map.of(
                "QATYSU_PROCTORING_MEDIA_STORE", "s3",
                "QATYSU_PROCTORING_MEDIA_S3_ENDPOINT", "https://s3.university.kz",
                "QATYSU_PROCTORING_MEDIA_S3_BUCKET", "qatysu-media",
                "QATYSU_PROCTORING_MEDIA_S3_ACCESS_KEY", "ak",
                "QATYSU_PROCTORING_MEDIA_S3_SECRET_KEY", "sk-very-secret",
                "QATYSU_PROCTORING_MEDIA_ENCRYPTION_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]))), problems), dir);
        assertThat(problems.list()).isEmpty();
        assertThat(ok.s3()).hasValueSatisfying(s -> {
            assertThat(s.bucket()).isEqualTo("qatysu-media");
            assertThat(s.pathStyle()).isTrue();
            assertThat(s.region()).isEqualTo("us-east-1");
        });
        assertThat(ok.store()).isInstanceOf(S3MediaStore.class);
        assertThat(ok.toString()).doesNotContain("sk-very-secret");

        ConfigProblems bad = new ConfigProblems();
        MediaSettings.read(new ConfigReader(ConfigSource.of("", Map.of(
                "QATYSU_PROCTORING_MEDIA_STORE", "s3",
                "QATYSU_PROCTORING_MEDIA_S3_ENDPOINT", "http://s3.university.kz",
                "QATYSU_PROCTORING_MEDIA_S3_BUCKET", "Bad_Bucket")), bad), dir);
        assertThat(bad.list().toString()).contains("proctoring.media.s3.endpoint").contains("proctoring.media.s3.bucket")
                .contains("proctoring.media.s3.accessKey").contains("proctoring.media.s3.secretKey")
                .contains("proctoring.media.encryptionKey");

        ConfigProblems unknown = new ConfigProblems();
        MediaSettings.read(new ConfigReader(ConfigSource.of("", Map.of("QATYSU_PROCTORING_MEDIA_STORE", "nfs")), unknown), dir);
        assertThat(unknown.list().toString()).contains("proctoring.media.store").contains("'folder' or 's3'");

        MediaSettings folder = MediaSettings.read(new ConfigReader(ConfigSource.of("", Map.of()), new ConfigProblems()), dir);
        assertThat(folder.store()).isInstanceOf(FolderMediaStore.class);
    }

    private static List<Byte> bytesList(byte[] b) {
        List<Byte> l = new java.util.ArrayList<>(b.length);
        for (byte x : b) {
            l.add(x);
        }
        return l;
    }
}

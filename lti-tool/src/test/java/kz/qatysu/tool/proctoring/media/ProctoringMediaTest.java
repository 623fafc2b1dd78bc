package kz.qatysu.tool.proctoring.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static kz.qatysu.tool.proctoring.media.MediaFixture.jpeg;
import static kz.qatysu.tool.proctoring.media.MediaFixture.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProctoringMediaTest {
    @TempDir
    Path dir;
    MediaFixture f;

    @BeforeEach
    void setUp() {
        f = new MediaFixture(dir);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void a_snapshot_is_stored_encrypted_and_read_back_with_the_view_audited() throws IOException {
        byte[] photo = jpeg(3000);
        ProctoringMedia.StoredMedia m = f.media.store("p-1", MediaKind.SNAPSHOT, new ByteArrayInputStream(photo));
        assertThat(m.type()).isEqualTo(MediaType.JPEG);
        assertThat(m.size()).isEqualTo(3000);
        assertThat(m.sha256()).isEqualTo(sha256(photo));
        byte[] atRest = Files.readAllBytes(f.settings.dir().resolve(m.key()));
        assertThat(new String(atRest, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("QTMM");
        assertThat(java.util.Arrays.equals(atRest, 0, atRest.length, photo, 0, photo.length)).isFalse();
        assertThat(new String(atRest, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(photo, 100, 40, java.nio.charset.StandardCharsets.ISO_8859_1));

        f.clock.advance(Duration.ofMinutes(5));
        try (ProctoringMedia.Opened o = f.media.open(m.key(), "teacher:t-9", ProctoringMedia.Access.VIEW)) {
            assertThat(o.content().readAllBytes()).isEqualTo(photo);
        }
        assertThat(f.media.audit("p-1")).singleElement().satisfies(a -> {
            assertThat(a.actor()).isEqualTo("teacher:t-9");
            assertThat(a.action()).isEqualTo("view");
            assertThat(a.objectKey()).isEqualTo(m.key());
            assertThat(a.at()).isEqualTo(f.clock.instant());
        });
    }

    @Test
    void a_snapshot_that_is_not_an_image_is_refused_with_415_and_nothing_is_stored() {
        assertThatThrownBy(() -> f.media.store("p-1", MediaKind.SNAPSHOT, new ByteArrayInputStream("<html>hello</html>".getBytes())))
                .isInstanceOfSatisfying(MediaRefused.class, e -> {
                    assertThat(e.status()).isEqualTo(415);
                    assertThat(e.field()).isEqualTo("snapshot.bytes");
                });
        assertThatThrownBy(() -> f.media.store("p-1", MediaKind.ID_PHOTO, new ByteArrayInputStream(MediaFixture.webm(500))))
                .isInstanceOfSatisfying(MediaRefused.class, e -> assertThat(e.status()).isEqualTo(415));
        assertThatThrownBy(() -> f.media.store("p-1", MediaKind.SNAPSHOT, new ByteArrayInputStream(new byte[]{(byte) 0xFF})))
                .isInstanceOfSatisfying(MediaRefused.class, e -> assertThat(e.status()).isEqualTo(415));
        assertThatThrownBy(() -> f.media.store("p-1", MediaKind.SNAPSHOT, new ByteArrayInputStream(new byte[0])))
                .isInstanceOfSatisfying(MediaRefused.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(f.store.list("")).isEmpty();
        assertThat(f.media.ofPerson("p-1")).isEmpty();
    }

    @Test
    void a_snapshot_over_the_limit_is_refused_with_413_naming_the_setting_and_nothing_is_stored() {
        assertThatThrownBy(() -> f.media.store("p-1", MediaKind.SNAPSHOT, new ByteArrayInputStream(jpeg(4097))))
                .isInstanceOfSatisfying(MediaRefused.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.getMessage()).contains("snapshot.bytes", "4096", "proctoring.media.maxSnapshotBytes");
                });
        assertThat(f.media.store("p-1", MediaKind.SNAPSHOT, new ByteArrayInputStream(jpeg(4096))).size()).isEqualTo(4096);
        assertThat(f.media.store("p-1", MediaKind.ROOM_SCAN, new ByteArrayInputStream(MediaFixture.webm(100_000))).type())
                .as("a room scan video has the chunk limit").isEqualTo(MediaType.WEBM);
        assertThat(f.store.list("")).hasSize(2);
    }

    @Test
    void a_tampered_object_is_refused_when_read() throws IOException {
        ProctoringMedia.StoredMedia m = f.media.store("p-1", MediaKind.ID_PHOTO, new ByteArrayInputStream(jpeg(2000)));
        Path file = f.settings.dir().resolve(m.key());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 20] ^= 0x40;
        Files.write(file, bytes);
        try (ProctoringMedia.Opened o = f.media.open(m.key(), "dean:d-1", ProctoringMedia.Access.DOWNLOAD)) {
            assertThatThrownBy(() -> o.content().readAllBytes()).isInstanceOf(MediaCorrupted.class)
                    .hasMessageContaining(m.key()).hasMessageContaining("changed, truncated or reordered");
        }
    }

    @Test
    void a_persons_media_is_exported_as_a_zip_with_a_manifest_and_the_export_is_audited() throws IOException {
        byte[] photo = jpeg(1000);
        byte[] id = jpeg(2000);
        f.media.store("p-1", MediaKind.SNAPSHOT, new ByteArrayInputStream(photo));
        f.clock.advance(Duration.ofSeconds(1));
        f.media.store("p-1", MediaKind.ID_PHOTO, new ByteArrayInputStream(id));
        f.media.store("p-2", MediaKind.SNAPSHOT, new ByteArrayInputStream(jpeg(500)));
        byte[] c0 = MediaFixture.webm(3000);
        f.recordings.begin("rec-00000001", "p-1");
        f.recordings.accept("rec-00000001", 0, sha256(c0), new ByteArrayInputStream(c0));

        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        assertThat(f.media.exportPerson("p-1", "dean:d-1", zip)).isEqualTo(3);

        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.toByteArray()))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        JsonNode manifest = new ObjectMapper().readTree(entries.get("manifest.json"));
        assertThat(manifest.get("personId").asText()).isEqualTo("p-1");
        assertThat(manifest.get("exportedBy").asText()).isEqualTo("dean:d-1");
        assertThat(manifest.get("objects")).hasSize(3);
        assertThat(entries).hasSize(4);
        for (JsonNode o : manifest.get("objects")) {
            byte[] content = entries.get(o.get("file").asText());
            assertThat(sha256(content)).isEqualTo(o.get("sha256").asText());
            assertThat((long) content.length).isEqualTo(o.get("size").asLong());
        }
        assertThat(manifest.get("objects").get(0).get("kind").asText()).isEqualTo("snapshot");
        assertThat(entries.get(manifest.get("objects").get(0).get("file").asText())).isEqualTo(photo);
        assertThat(manifest.get("objects").findValuesAsText("recordingId")).contains("rec-00000001");
        assertThat(manifest.get("objects").findValuesAsText("kind")).containsExactlyInAnyOrder("snapshot", "id_photo", "recording_chunk");
        assertThat(f.media.audit("p-1")).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo("export");
            assertThat(a.actor()).isEqualTo("dean:d-1");
        });
    }

    @Test
    void deleting_a_persons_media_removes_objects_rows_and_recordings_and_is_audited() {
        f.media.store("p-1", MediaKind.SNAPSHOT, new ByteArrayInputStream(jpeg(1000)));
        ProctoringMedia.StoredMedia other = f.media.store("p-2", MediaKind.SNAPSHOT, new ByteArrayInputStream(jpeg(500)));
        byte[] c0 = MediaFixture.webm(3000);
        f.recordings.begin("rec-00000001", "p-1");
        f.recordings.accept("rec-00000001", 0, sha256(c0), new ByteArrayInputStream(c0));

        assertThat(f.media.deletePerson("p-1", "dean:d-1")).isEqualTo(2);

        assertThat(f.media.ofPerson("p-1")).isEmpty();
        assertThat(f.store.list("")).containsExactly(other.key());
        assertThatThrownBy(() -> f.recordings.status("rec-00000001"))
                .isInstanceOfSatisfying(MediaRefused.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(f.media.audit("p-1")).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo("delete");
            assertThat(a.detail()).isEqualTo("2 object(s)");
        });
        assertThat(f.media.ofPerson("p-2")).hasSize(1);
    }

    @Test
    void the_daily_purge_deletes_only_media_past_retention_and_audits_each_object() {
        ProctoringMedia.StoredMedia old = f.media.store("p-1", MediaKind.SNAPSHOT, new ByteArrayInputStream(jpeg(1000)));
        byte[] c0 = MediaFixture.webm(3000);
        f.recordings.begin("rec-00000001", "p-1");
        f.recordings.accept("rec-00000001", 0, sha256(c0), new ByteArrayInputStream(c0));
        f.clock.advance(Duration.ofDays(200));
        ProctoringMedia.StoredMedia newer = f.media.store("p-1", MediaKind.SNAPSHOT, new ByteArrayInputStream(jpeg(1000)));

        f.clock.advance(Duration.ofDays(165)); // exactly 365 days after the first: not yet past
        assertThat(f.media.purge()).isZero();

        f.clock.advance(Duration.ofDays(1));
        assertThat(f.media.purge()).isEqualTo(2);
        assertThat(f.media.ofPerson("p-1")).extracting(ProctoringMedia.StoredMedia::key).containsExactly(newer.key());
        assertThat(f.store.list("")).containsExactly(newer.key());
        assertThatThrownBy(() -> f.recordings.status("rec-00000001")).isInstanceOf(MediaRefused.class);
        assertThat(f.media.audit("p-1")).hasSize(2).allSatisfy(a -> {
            assertThat(a.action()).isEqualTo("purge");
            assertThat(a.actor()).isEqualTo(ProctoringMedia.RETENTION_ACTOR);
            assertThat(a.at()).isEqualTo(f.clock.instant());
        }).extracting(ProctoringMedia.AuditEntry::objectKey).contains(old.key());

        f.clock.advance(Duration.ofDays(1));
        assertThat(f.media.purge()).as("nothing left to purge").isZero();
    }

    @Test
    void the_generated_key_file_is_owner_only_and_reused() throws IOException {
        MediaSettings s = MediaSettings.defaults(dir);
        String id = s.cipher().currentKeyId();
        Path file = dir.resolve("proctoring-media.key");
        assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        assertThat(s.cipher().currentKeyId()).isEqualTo(id);
    }
}

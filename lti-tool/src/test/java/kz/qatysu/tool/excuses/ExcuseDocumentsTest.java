package kz.qatysu.tool.excuses;

import kz.qatysu.tool.proctoring.media.FolderMediaStore;
import kz.qatysu.tool.proctoring.media.MediaCipher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Excuse documents in the media store: what one node stores another reads when the store is shared, else a clear error. */
class ExcuseDocumentsTest {
    static final byte[] PDF = "%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    static final MediaCipher CIPHER = new MediaCipher(List.of(key()), "test key");

    @TempDir
    Path dir;

    @Test
    void a_document_stored_through_one_node_is_read_through_another_sharing_the_store_and_is_encrypted_at_rest() throws Exception {
        Path shared = dir.resolve("shared-media");
        ExcuseDocuments a = new ExcuseDocuments(dir.resolve("node-a"), 1024, new FolderMediaStore(shared), CIPHER);
        ExcuseDocuments b = new ExcuseDocuments(dir.resolve("node-b"), 1024, new FolderMediaStore(shared), CIPHER);
        ExcuseDocuments.Stored stored = a.store(new ByteArrayInputStream(PDF));
        assertThat(stored.file()).matches("[0-9a-f]{32}\\.pdf");
        assertThat(stored.size()).isEqualTo(PDF.length);
        try (InputStream in = b.open(stored.file()).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(PDF);
        }
        byte[] atRest = Files.readAllBytes(shared.resolve("excuses").resolve(stored.file()));
        assertThat(new String(atRest, StandardCharsets.ISO_8859_1)).doesNotContain("%PDF");
    }

    @Test
    void a_document_stored_on_a_node_whose_store_is_not_shared_is_a_clear_error_on_the_other_node_not_a_missing_document() {
        ExcuseDocuments a = new ExcuseDocuments(dir.resolve("node-a"), 1024, new FolderMediaStore(dir.resolve("node-a/media")), CIPHER);
        ExcuseDocuments b = new ExcuseDocuments(dir.resolve("node-b"), 1024, new FolderMediaStore(dir.resolve("node-b/media")), CIPHER);
        ExcuseDocuments.Stored stored = a.store(new ByteArrayInputStream(PDF));
        assertThatThrownBy(() -> b.open(stored.file())).isInstanceOf(ExcuseDocuments.Missing.class)
                .hasMessageContaining(stored.file()).hasMessageContaining(dir.resolve("node-b/media").toString())
                .hasMessageContaining("every node must share the store");
        assertThat(b.open("../../etc/passwd")).as("a name this class did not produce").isEmpty();
    }

    @Test
    void refused_uploads_leave_nothing_in_the_store() throws Exception {
        Path media = dir.resolve("media");
        ExcuseDocuments docs = new ExcuseDocuments(dir, PDF.length + 10, new FolderMediaStore(media), CIPHER);
        byte[] big = new byte[PDF.length + 11];
        System.arraycopy(PDF, 0, big, 0, PDF.length);
        assertThatThrownBy(() -> docs.store(new ByteArrayInputStream(big))).isInstanceOf(ExcuseDocuments.Refused.class)
                .extracting(e -> ((ExcuseDocuments.Refused) e).status()).isEqualTo(413);
        assertThatThrownBy(() -> docs.store(new ByteArrayInputStream("MZ not a document".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(ExcuseDocuments.Refused.class).extracting(e -> ((ExcuseDocuments.Refused) e).status()).isEqualTo(415);
        assertThatThrownBy(() -> docs.store(new ByteArrayInputStream(new byte[0]))).isInstanceOf(ExcuseDocuments.Refused.class)
                .extracting(e -> ((ExcuseDocuments.Refused) e).status()).isEqualTo(400);
        assertThat(new FolderMediaStore(media).list("")).isEmpty();
    }

    @Test
    void a_document_of_an_earlier_version_in_the_data_dir_is_still_read() throws Exception {
        Path legacy = Files.createDirectories(dir.resolve("uploads").resolve("excuses"));
        String name = "0123456789abcdef0123456789abcdef.pdf";
        Files.write(legacy.resolve(name), PDF);
        ExcuseDocuments docs = new ExcuseDocuments(dir, 1024, new FolderMediaStore(dir.resolve("media")), CIPHER);
        try (InputStream in = docs.open(name).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(PDF);
        }
    }

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }
}

package kz.qatysu.tool.proctoring.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FolderMediaStoreTest {
    @TempDir
    Path dir;

    @Test
    void objects_are_put_got_listed_and_deleted_by_key() throws IOException {
        FolderMediaStore store = new FolderMediaStore(dir);
        assertThat(store.put("recordings/r1/00000001", out -> out.write(new byte[]{1, 2, 3}))).isEqualTo(3);
        store.put("snapshot/a", out -> out.write(9));
        assertThat(store.list("")).containsExactly("recordings/r1/00000001", "snapshot/a");
        assertThat(store.list("recordings/")).containsExactly("recordings/r1/00000001");
        try (InputStream in = store.get("recordings/r1/00000001").orElseThrow()) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
        assertThat(store.delete("snapshot/a")).isTrue();
        assertThat(store.delete("snapshot/a")).isFalse();
        assertThat(store.get("snapshot/a")).isEmpty();
    }

    @Test
    void a_write_failing_midway_leaves_neither_a_partial_object_nor_a_temporary_file() throws IOException {
        FolderMediaStore store = new FolderMediaStore(dir);
        store.put("snapshot/a", out -> out.write(new byte[]{1, 1, 1}));
        assertThatThrownBy(() -> store.put("snapshot/a", out -> {
            out.write(new byte[100_000]);
            throw new IOException("connection reset");
        })).hasRootCauseMessage("connection reset");
        assertThatThrownBy(() -> store.put("snapshot/b", out -> {
            out.write(new byte[100_000]);
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(store.list("")).containsExactly("snapshot/a");
        try (InputStream in = store.get("snapshot/a").orElseThrow()) {
            assertThat(in.readAllBytes()).as("the old object stays whole").containsExactly(1, 1, 1);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(dir.resolve("snapshot/a"));
        }
    }

    @Test
    void keys_cannot_leave_the_folder() {
        FolderMediaStore store = new FolderMediaStore(dir);
        for (String bad : new String[]{"../x", "/etc/passwd", "a/../../x", ".tmp/x", "A", "a//b", ""}) {
            assertThatThrownBy(() -> store.put(bad, out -> out.write(1))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}

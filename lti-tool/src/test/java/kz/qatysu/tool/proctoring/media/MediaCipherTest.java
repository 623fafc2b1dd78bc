package kz.qatysu.tool.proctoring.media;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MediaCipherTest {
    private static final byte[] KEY = filled(32, 7);
    private final MediaCipher cipher = new MediaCipher(List.of(KEY), "a test key");

    @Test
    void objects_of_every_size_around_segment_boundaries_round_trip() throws IOException {
        for (int size : new int[]{0, 1, MediaCipher.SEGMENT - 1, MediaCipher.SEGMENT, MediaCipher.SEGMENT + 1,
                3 * MediaCipher.SEGMENT, 3 * MediaCipher.SEGMENT + 12345}) {
            byte[] plain = random(size);
            byte[] sealed = cipher.encryptAll(plain);
            assertThat(cipher.decryptAll(sealed)).as("size %d", size).isEqualTo(plain);
            if (size > 16) {
                assertThat(indexOf(sealed, Arrays.copyOf(plain, 16))).as("no plaintext at rest").isEqualTo(-1);
            }
        }
    }

    @Test
    void decrypting_from_an_offset_starts_at_its_segment_and_gives_the_rest_of_the_plaintext() throws IOException {
        int s = MediaCipher.SEGMENT;
        for (int size : new int[]{1, s, s + 1, 3 * s, 3 * s + 12345}) {
            byte[] plain = random(size);
            byte[] sealed = cipher.encryptAll(plain);
            for (long offset : new long[]{0, 1, s - 1, s, s + 1, 2L * s + 7, 3L * s, size - 1}) {
                if (offset >= size) {
                    continue;
                }
                try (InputStream in = cipher.decrypt(new ByteArrayInputStream(sealed), "object", offset)) {
                    assertThat(in.readAllBytes()).as("size %d from %d", size, offset)
                            .isEqualTo(Arrays.copyOfRange(plain, (int) offset, size));
                }
            }
        }
        byte[] sealed = cipher.encryptAll(random(2 * s + 10));
        assertThatThrownBy(() -> cipher.decrypt(new ByteArrayInputStream(sealed), "object", 5L * s))
                .isInstanceOf(MediaCorrupted.class).hasMessageContaining("truncated");
        // a damaged segment before the offset is not read; one at the offset is refused
        byte[] bad = sealed.clone();
        bad[bad.length - 3] ^= 1;
        assertThatThrownBy(() -> cipher.decrypt(new ByteArrayInputStream(bad), "object", 2L * s + 1).readAllBytes())
                .isInstanceOf(MediaCorrupted.class);
    }

    @Test
    void the_same_bytes_encrypt_differently_each_time() throws IOException {
        byte[] plain = random(1000);
        assertThat(cipher.encryptAll(plain)).isNotEqualTo(cipher.encryptAll(plain));
    }

    @Test
    void a_flipped_byte_anywhere_is_refused() throws IOException {
        byte[] sealed = cipher.encryptAll(random(2 * MediaCipher.SEGMENT + 100));
        for (int at : new int[]{2 /* magic */, 30 /* nonce */, 100, MediaCipher.SEGMENT + 500, sealed.length - 1}) {
            byte[] bad = sealed.clone();
            bad[at] ^= 1;
            assertThatThrownBy(() -> cipher.decryptAll(bad)).as("byte %d", at).isInstanceOf(MediaCorrupted.class);
        }
    }

    @Test
    void a_truncated_object_is_refused_also_at_a_segment_boundary() throws IOException {
        byte[] sealed = cipher.encryptAll(random(3 * MediaCipher.SEGMENT + 10));
        int header = sealed.length - (3 * (MediaCipher.SEGMENT + MediaCipher.TAG) + 10 + MediaCipher.TAG);
        byte[] atBoundary = Arrays.copyOf(sealed, header + 2 * (MediaCipher.SEGMENT + MediaCipher.TAG));
        assertThatThrownBy(() -> cipher.decryptAll(atBoundary)).isInstanceOf(MediaCorrupted.class)
                .hasMessageContaining("segment 1");
        assertThatThrownBy(() -> cipher.decryptAll(Arrays.copyOf(sealed, sealed.length - 5))).isInstanceOf(MediaCorrupted.class);
        assertThatThrownBy(() -> cipher.decryptAll(Arrays.copyOf(sealed, 10))).isInstanceOf(MediaCorrupted.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void swapped_segments_are_refused() throws IOException {
        byte[] sealed = cipher.encryptAll(random(3 * MediaCipher.SEGMENT));
        int seg = MediaCipher.SEGMENT + MediaCipher.TAG;
        int header = sealed.length - 3 * seg; // three full segments, the third one final
        byte[] swapped = sealed.clone();
        System.arraycopy(sealed, header, swapped, header + seg, seg);
        System.arraycopy(sealed, header + seg, swapped, header, seg);
        assertThatThrownBy(() -> cipher.decryptAll(swapped)).isInstanceOf(MediaCorrupted.class)
                .hasMessageContaining("segment 0");
    }

    @Test
    void an_object_encrypted_with_another_key_is_refused_naming_the_key_to_set() throws IOException {
        byte[] sealed = new MediaCipher(List.of(filled(32, 9)), "other").encryptAll(random(100));
        assertThatThrownBy(() -> cipher.decryptAll(sealed)).isInstanceOf(MediaCorrupted.class)
                .hasMessageContaining("encrypted with key " + MediaCipher.keyId(filled(32, 9)))
                .hasMessageContaining("configured key (from a test key) is " + MediaCipher.keyId(KEY))
                .hasMessageContaining(MediaSettings.ENCRYPTION_KEY);
    }

    @Test
    void after_a_rotation_the_previous_key_still_decrypts_and_the_new_one_encrypts() throws IOException {
        byte[] plain = random(5000);
        byte[] old = cipher.encryptAll(plain);
        MediaCipher rotated = new MediaCipher(List.of(filled(32, 9), KEY), "rotated");
        assertThat(rotated.decryptAll(old)).isEqualTo(plain);
        assertThatThrownBy(() -> cipher.decryptAll(rotated.encryptAll(plain))).isInstanceOf(MediaCorrupted.class);
    }

    @Test
    void decryption_streams_without_reading_the_whole_object_first() throws IOException {
        byte[] plain = random(4 * MediaCipher.SEGMENT);
        byte[] sealed = cipher.encryptAll(plain);
        int[] consumed = {0};
        InputStream counting = new ByteArrayInputStream(sealed) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                consumed[0] += Math.max(n, 0);
                return n;
            }
        };
        try (InputStream in = cipher.decrypt(counting, "object")) {
            assertThat(in.readNBytes(10)).isEqualTo(Arrays.copyOf(plain, 10));
        }
        assertThat(consumed[0]).isLessThan(3 * MediaCipher.SEGMENT);
    }

    static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

}

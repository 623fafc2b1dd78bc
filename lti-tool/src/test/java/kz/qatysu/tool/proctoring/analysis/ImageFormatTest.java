package kz.qatysu.tool.proctoring.analysis;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageFormatTest {

    @Test
    void reads_type_and_size_from_the_headers_of_real_jpeg_and_png_files() {
        assertThat(ImageFormat.check(Photos.bytes(Photos.GRACE_HOPPER)))
                .isEqualTo(new ImageFormat.Header(ImageFormat.Type.JPEG, 512, 600));
        assertThat(ImageFormat.check(Photos.png(Photos.COFFEE)))
                .isEqualTo(new ImageFormat.Header(ImageFormat.Type.PNG, 600, 400));
    }

    @Test
    void a_picture_whose_header_claims_more_than_50_megapixels_is_refused_before_decoding() {
        byte[] png = Photos.png(Photos.CAT);
        byte[] bomb = png.clone();
        // IHDR width and height: 20000 × 20000 (the decoder would allocate 1.2 GB)
        bomb[16] = 0; bomb[17] = 0; bomb[18] = 0x4e; bomb[19] = 0x20;
        bomb[20] = 0; bomb[21] = 0; bomb[22] = 0x4e; bomb[23] = 0x20;
        assertThatThrownBy(() -> ImageFormat.check(bomb)).isInstanceOf(UnreadableImage.class)
                .hasMessageContaining("20000×20000").hasMessageContaining("50 megapixels");
    }

    @Test
    void truncated_empty_and_foreign_files_are_refused() {
        byte[] jpeg = Photos.bytes(Photos.ASTRONAUT);
        assertThatThrownBy(() -> ImageFormat.check(Arrays.copyOf(jpeg, jpeg.length - 100)))
                .isInstanceOf(UnreadableImage.class).hasMessageContaining("incomplete");
        assertThatThrownBy(() -> ImageFormat.check(new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> ImageFormat.check("%PDF-1.4\n%%EOF\n".getBytes())).hasMessageContaining("not a JPEG or PNG");
        assertThatThrownBy(() -> ImageFormat.check("GIF89a".getBytes())).hasMessageContaining("not a JPEG or PNG");
        byte[] png = Photos.png(Photos.CAT);
        assertThatThrownBy(() -> ImageFormat.check(Arrays.copyOf(png, 20))).hasMessageContaining("truncated");
    }
}

package kz.qatysu.tool.testing;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Test data copied from {@code /work/shared/integration} into {@code src/test/resources/integration}: the 1EdTech
 * certification payloads and the Moodle 4.5 / Open edX captures, read as plain JSON maps.
 */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path dir(String resource) {
        try {
            return Path.of(Fixtures.class.getResource("/integration/" + resource).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no test resource integration/" + resource, e);
        }
    }

    public static List<Path> children(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> object(Path file) {
        return object(text(file));
    }

    public static Map<String, Object> object(String json) {
        try {
            return JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("not a JSON object: " + json, e);
        }
    }

    public static String json(Map<String, ?> object) {
        return JSONObjectUtils.toJSONString(object);
    }
}

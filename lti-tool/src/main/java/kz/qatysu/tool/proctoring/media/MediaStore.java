package kz.qatysu.tool.proctoring.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where proctoring objects (already encrypted) live, by key. Objects are streamed in and out, never buffered whole.
 * A {@link #put} is all or nothing: while the writer runs nothing is visible under the key, and when it throws
 * nothing is left behind. The folder implementation is {@link FolderMediaStore}; an object store for several nodes
 * can implement the same four operations.
 */
public interface MediaStore {
    /** Keys are relative slash-separated paths of lowercase letters, digits, '.', '_' and '-' (no "..", no leading '/'). */
    Pattern KEY = Pattern.compile("[a-z0-9_-][a-z0-9._-]*(/[a-z0-9_-][a-z0-9._-]*)*");

    /** Writes what {@code content} produces under {@code key}, replacing an existing object atomically; the stored size. */
    long put(String key, Content content);

    /** The object's bytes; empty when there is none. The caller closes the stream. */
    Optional<InputStream> get(String key);

    /** Removes the object; false when there was none. */
    boolean delete(String key);

    /** The keys starting with {@code prefix} ("" = all), sorted. */
    List<String> list(String prefix);

    /** Produces an object's bytes; throwing aborts the put. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    static String checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("not a media key: '" + key + "'");
        }
        return key;
    }
}

package kz.qatysu.tool.proctoring.media;

import java.util.Locale;
import java.util.Set;

/** What a stored object is, which types it may have and which size limit applies. */
public enum MediaKind {
    SNAPSHOT(Set.of(MediaType.JPEG, MediaType.PNG), false),
    ID_PHOTO(Set.of(MediaType.JPEG, MediaType.PNG), false),
    /** A photo or a short video of the room. */
    ROOM_SCAN(Set.of(MediaType.JPEG, MediaType.PNG, MediaType.WEBM), true),
    RECORDING_CHUNK(Set.of(MediaType.WEBM), true),
    /** A recording's chunks remuxed by ffmpeg into one seekable WebM (Cues, duration); made by {@link RecordingPlayback}. */
    RECORDING_PLAYABLE(Set.of(MediaType.WEBM), true);

    private final Set<MediaType> types;
    private final boolean video;

    MediaKind(Set<MediaType> types, boolean video) {
        this.types = types;
        this.video = video;
    }

    public Set<MediaType> types() {
        return types;
    }

    /** Limited by {@code maxChunkBytes} rather than {@code maxSnapshotBytes}. */
    public boolean chunkSized() {
        return video;
    }

    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MediaKind fromDb(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}

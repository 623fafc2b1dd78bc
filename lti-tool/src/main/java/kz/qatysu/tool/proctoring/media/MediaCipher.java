package kz.qatysu.tool.proctoring.media;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proctoring media at rest: AES-256-GCM in segments, so objects stream in and out in constant memory.
 * <pre>
 * header  = "QTMM" ‖ version (1) ‖ key-id length (1) ‖ key id ‖ segment size (4) ‖ nonce (12, random per object)
 * segment = ciphertext ‖ tag (16); every segment but the last holds exactly segment-size plaintext bytes
 * </pre>
 * Segment {@code i} uses the object nonce with its last 4 bytes XOR {@code i}, and authenticates
 * {@code header ‖ i (8 bytes) ‖ final flag (1 byte)}: a flipped byte, a dropped tail, swapped or moved segments and an
 * object cut at a segment boundary all fail. The key id (the first 8 hex digits of SHA-256 of the key) picks the key
 * to decrypt with, so older keys can stay readable after a rotation.
 */
public final class MediaCipher {
    static final byte[] MAGIC = "QTMM".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int SEGMENT = 64 * 1024;
    static final int TAG = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final String origin;

    /** {@code keys.get(0)} encrypts; all of them decrypt. {@code origin} says where the key came from, for messages. */
    public MediaCipher(List<byte[]> keys, String origin) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a media encryption key is required");
        }
        for (byte[] k : keys) {
            if (k.length != 32) {
                throw new IllegalArgumentException("a media encryption key has 32 bytes, not " + k.length);
            }
            this.keys.putIfAbsent(keyId(k), new SecretKeySpec(k, "AES"));
        }
        this.currentId = keyId(keys.getFirst());
        this.origin = origin;
    }

    public static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String currentKeyId() {
        return currentId;
    }

    /** A stream that encrypts what is written to it into {@code sink}; closing it writes the final segment (the sink stays open). */
    public OutputStream encrypt(OutputStream sink) throws IOException {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        byte[] header = header(currentId, nonce);
        sink.write(header);
        return new Encrypting(sink, keys.get(currentId), header, nonce);
    }

    /** The plaintext of an encrypted object; reading fails with {@link MediaCorrupted} when anything was changed. */
    public InputStream decrypt(InputStream encrypted, String what) throws IOException {
        return decrypt(encrypted, what, 0);
    }

    /**
     * The plaintext from byte {@code offset} on: the segments before the one holding {@code offset} are skipped
     * unread ({@link InputStream#skipNBytes}, a seek on a file), that segment is decrypted and authenticated whole.
     * {@code offset} must be below the object's size (an offset past the end is a {@link MediaCorrupted} "truncated").
     */
    public InputStream decrypt(InputStream encrypted, String what, long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("offset " + offset);
        }
        DataInputStream in = new DataInputStream(encrypted);
        try {
            byte[] magic = in.readNBytes(4);
            if (!Arrays.equals(magic, MAGIC) || in.readUnsignedByte() != VERSION) {
                throw new MediaCorrupted(what + " is not an encrypted media object (unknown header)");
            }
            int idLength = in.readUnsignedByte();
            String id = new String(in.readNBytes(idLength), StandardCharsets.US_ASCII);
            int segment = in.readInt();
            byte[] nonce = in.readNBytes(12);
            if (nonce.length != 12 || segment != SEGMENT) {
                throw new MediaCorrupted(what + " has a damaged header");
            }
            SecretKeySpec key = keys.get(id);
            if (key == null) {
                throw new MediaCorrupted(what + " was encrypted with key " + id + ", but the configured key (from " + origin
                        + ") is " + currentId + ": set " + MediaSettings.ENCRYPTION_KEY + " to the key that encrypted it");
            }
            long first = offset / SEGMENT;
            try {
                encrypted.skipNBytes(first * (SEGMENT + TAG));
            } catch (EOFException e) {
                throw new MediaCorrupted(what + " is truncated (no segment " + first + ")");
            }
            Decrypting plain = new Decrypting(new PushbackInputStream(encrypted, 1), key, header(id, nonce), nonce, what, first);
            try {
                plain.skipNBytes(offset % SEGMENT);
            } catch (EOFException e) {
                throw new MediaCorrupted(what + " is truncated (it ends before byte " + offset + ")");
            }
            return plain;
        } catch (EOFException e) {
            throw new MediaCorrupted(what + " is truncated (incomplete header)");
        }
    }

    private static byte[] header(String id, byte[] nonce) {
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(4 + 1 + 1 + idBytes.length + 4 + 12).put(MAGIC).put((byte) VERSION)
                .put((byte) idBytes.length).put(idBytes).putInt(SEGMENT).put(nonce).array();
    }

    private static Cipher cipher(int mode, SecretKeySpec key, byte[] header, byte[] nonce, long index, boolean last)
            throws GeneralSecurityException {
        return init(Cipher.getInstance("AES/GCM/NoPadding"), mode, key, header, nonce, index, last);
    }

    /** (Re)initialises {@code c} for one segment: its own nonce (the object's nonce XOR the index), header and position as AAD. */
    private static Cipher init(Cipher c, int mode, SecretKeySpec key, byte[] header, byte[] nonce, long index, boolean last)
            throws GeneralSecurityException {
        byte[] n = nonce.clone();
        int i = (int) index;
        n[8] ^= (byte) (i >>> 24);
        n[9] ^= (byte) (i >>> 16);
        n[10] ^= (byte) (i >>> 8);
        n[11] ^= (byte) i;
        c.init(mode, key, new GCMParameterSpec(TAG * 8, n));
        c.updateAAD(header);
        c.updateAAD(ByteBuffer.allocate(9).putLong(index).put((byte) (last ? 1 : 0)).array());
        return c;
    }

    private static final class Encrypting extends OutputStream {
        private final OutputStream sink;
        private final SecretKeySpec key;
        private final byte[] header;
        private final byte[] nonce;
        private final byte[] buffer = new byte[SEGMENT];
        /** One cipher and one output buffer for all the object's segments (re-initialised with each segment's nonce). */
        private Cipher cipher;
        private final byte[] sealed = new byte[SEGMENT + TAG];
        private int filled;
        private long index;
        private boolean closed;

        Encrypting(OutputStream sink, SecretKeySpec key, byte[] header, byte[] nonce) {
            this.sink = sink;
            this.key = key;
            this.header = header;
            this.nonce = nonce;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == SEGMENT) { // more is coming, so the full buffer is not the last segment
                    seal(false);
                }
                int take = Math.min(len, SEGMENT - filled);
                System.arraycopy(b, off, buffer, filled, take);
                filled += take;
                off += take;
                len -= take;
            }
        }

        private void seal(boolean last) throws IOException {
            if (index > 0xFFFF_FFFFL) {
                throw new IOException("a media object may have at most 2^32 segments");
            }
            try {
                if (cipher == null) {
                    cipher = Cipher.getInstance("AES/GCM/NoPadding");
                }
                int n = init(cipher, Cipher.ENCRYPT_MODE, key, header, nonce, index++, last).doFinal(buffer, 0, filled, sealed, 0);
                sink.write(sealed, 0, n);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot encrypt a media segment", e);
            }
            filled = 0;
        }

        @Override
        public void flush() throws IOException {
            sink.flush();
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                seal(true);
                sink.flush();
            }
        }
    }

    private static final class Decrypting extends InputStream {
        private final PushbackInputStream in;
        private final SecretKeySpec key;
        private final byte[] header;
        private final byte[] nonce;
        private final String what;
        private byte[] plain = new byte[0];
        private int pos;
        private long index;
        private boolean done;

        Decrypting(PushbackInputStream in, SecretKeySpec key, byte[] header, byte[] nonce, String what, long index) {
            this.in = in;
            this.key = key;
            this.header = header;
            this.nonce = nonce;
            this.what = what;
            this.index = index;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (pos == plain.length) {
                if (done) {
                    return -1;
                }
                next();
            }
            int n = Math.min(len, plain.length - pos);
            System.arraycopy(plain, pos, b, off, n);
            pos += n;
            return n;
        }

        private void next() throws IOException {
            byte[] sealed = in.readNBytes(SEGMENT + TAG);
            boolean last = sealed.length < SEGMENT + TAG;
            if (!last) {
                int peek = in.read();
                if (peek == -1) {
                    last = true;
                } else {
                    in.unread(peek);
                }
            }
            if (sealed.length < TAG) {
                throw new MediaCorrupted(what + " is truncated (segment " + index + " incomplete)");
            }
            try {
                plain = cipher(Cipher.DECRYPT_MODE, key, header, nonce, index, last).doFinal(sealed);
            } catch (AEADBadTagException e) {
                throw new MediaCorrupted(what + " failed authentication at segment " + index
                        + ": it was changed, truncated or reordered after it was stored");
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot decrypt " + what, e);
            }
            pos = 0;
            index++;
            done = last;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Only for tests and small objects: the whole plaintext. */
    byte[] decryptAll(byte[] encrypted) throws IOException {
        try (InputStream in = decrypt(new java.io.ByteArrayInputStream(encrypted), "object")) {
            return in.readAllBytes();
        }
    }

    byte[] encryptAll(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = encrypt(out)) {
            enc.write(plain);
        }
        return out.toByteArray();
    }
}

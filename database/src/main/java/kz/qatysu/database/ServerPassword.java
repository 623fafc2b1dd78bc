package kz.qatysu.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The generated password of an embedded server's superuser, kept in {@code dataDir/postgres/<app>.password}
 * (mode 600, one line). Never logged.
 */
final class ServerPassword {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private ServerPassword() {
    }

    /** The password in {@code file}, generated and written first if there is none. */
    static String readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                ownerOnly(file);
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            writeOwnerOnly(file, password + "\n");
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the embedded PostgreSQL password file " + file, e);
        }
    }

    /** Writes {@code content} to {@code file} readable by the owner only, replacing it in one step. */
    static void writeOwnerOnly(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (posix()) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void ownerOnly(Path path) throws IOException {
        if (posix()) {
            Files.setPosixFilePermissions(path, Files.isDirectory(path) ? OWNER_ONLY_DIR : OWNER_ONLY);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}

package kz.qatysu.tool.proctoring.media;

import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.Secret;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code proctoring.media.s3.*}: the object store that holds the media when {@code proctoring.media.store = s3}, so
 * that every tool node reads and writes the same objects (MinIO, Ceph RGW, SeaweedFS, Amazon S3 …).
 *
 * @param endpoint  {@code proctoring.media.s3.endpoint}: the store's base URL (https; plain http only on loopback)
 * @param region    {@code proctoring.media.s3.region}: the signing region (default {@code us-east-1}, what MinIO and
 *                  Ceph accept unless configured otherwise)
 * @param bucket    {@code proctoring.media.s3.bucket}: an existing bucket (the tool does not create it)
 * @param prefix    {@code proctoring.media.s3.prefix}: a key prefix inside the bucket (default none), e.g. {@code qatysu/}
 * @param accessKey {@code proctoring.media.s3.accessKey}
 * @param secretKey {@code proctoring.media.s3.secretKey}, masked in logs
 * @param pathStyle {@code proctoring.media.s3.pathStyle}: {@code endpoint/bucket/key} (default true, what self-hosted
 *                  stores expect) or {@code bucket.endpoint/key}
 */
public record S3Settings(URI endpoint, String region, String bucket, String prefix, String accessKey, Secret secretKey,
                         boolean pathStyle) {
    public static final String STORE = "proctoring.media.store";
    /** DNS-compatible bucket names, as S3 requires them. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern PREFIX = Pattern.compile("([a-z0-9_-][a-z0-9._-]*/)*");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", prefix=" + prefix
                + ", accessKey=" + accessKey + ", secretKey=****, pathStyle=" + pathStyle + "]";
    }

    /** Empty for the folder store ({@code proctoring.media.store} unset or {@code folder}); the S3 settings otherwise. */
    static Optional<S3Settings> read(ConfigReader r) {
        String store = r.string(STORE, "folder");
        if (store.equals("folder")) {
            for (String key : new String[]{"endpoint", "bucket", "accessKey", "secretKey"}) {
                if (r.optionalString("proctoring.media.s3." + key).isPresent()) {
                    r.problem("proctoring.media.s3." + key, "set, but " + STORE + " is 'folder': set " + STORE + "=s3 to use the object store");
                }
            }
            return Optional.empty();
        }
        if (!store.equals("s3")) {
            r.problem(STORE, "'folder' or 's3' expected, was '" + store + "'");
            return Optional.empty();
        }
        URI endpoint = r.requiredUrl("proctoring.media.s3.endpoint", true);
        String region = r.string("proctoring.media.s3.region", "us-east-1");
        if (!REGION.matcher(region).matches()) {
            r.problem("proctoring.media.s3.region", "a region name such as us-east-1 expected, was '" + region + "'");
        }
        String bucket = r.requiredString("proctoring.media.s3.bucket");
        if (bucket != null && !BUCKET.matcher(bucket).matches()) {
            r.problem("proctoring.media.s3.bucket", "3–63 lowercase letters, digits, '.' or '-' expected, was '" + bucket + "'");
        }
        String prefix = r.string("proctoring.media.s3.prefix", "");
        if (!PREFIX.matcher(prefix).matches()) {
            r.problem("proctoring.media.s3.prefix", "empty or folders ending in '/' (lowercase letters, digits, '.', '_', '-'), was '" + prefix + "'");
        }
        String accessKey = r.requiredString("proctoring.media.s3.accessKey");
        Optional<Secret> secretKey = r.optionalSecret("proctoring.media.s3.secretKey");
        if (secretKey.isEmpty()) {
            r.problem("proctoring.media.s3.secretKey", "required with " + STORE + "=s3");
        }
        if (r.optionalString(MediaSettings.ENCRYPTION_KEY).isEmpty()) {
            r.problem(MediaSettings.ENCRYPTION_KEY, "required with " + STORE + "=s3: every node must encrypt and decrypt the "
                    + "media with the same key (a key file in one node's data dir is not shared)");
        }
        boolean pathStyle = r.bool("proctoring.media.s3.pathStyle", true);
        if (endpoint == null || bucket == null || accessKey == null || secretKey.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new S3Settings(endpoint, region, bucket, prefix, accessKey, secretKey.get(), pathStyle));
    }
}

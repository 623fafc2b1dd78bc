package kz.qatysu.connectors.videoconf;

import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpFailure;
import kz.qatysu.connectors.http.HttpRequestSpec;
import kz.qatysu.connectors.http.HttpResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The BigBlueButton API ({@code shared/integration/videoconf.md} §4.1): every call is
 * {@code {base}/api/{call}?{query}&checksum={hex(hash(call + query + secret))}} where {@code query} is exactly the
 * encoded string sent ({@code +} for spaces, as in BBB's own example). Answers are XML with HTTP 200 even when they
 * failed; {@code <returncode>FAILED</returncode>} becomes a {@link BigBlueButtonException}.
 *
 * <p>The base URL is the server's {@code https://{host}/bigbluebutton} (the same value Moodle calls the server URL).
 * {@code getMeetingInfo} has no join/leave times: polling it gives presence samples only; minutes present come from the
 * analytics callback or webhooks ({@link BigBlueButtonAnalytics}).
 */
public final class BigBlueButtonClient {

    /** The hash of the checksum; the server accepts those in its {@code supportedChecksumAlgorithms}. */
    public enum ChecksumAlgorithm {
        SHA1("SHA-1"), SHA256("SHA-256"), SHA384("SHA-384"), SHA512("SHA-512");

        private final String jca;

        ChecksumAlgorithm(String jca) {
            this.jca = jca;
        }

        String hex(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(jca + " is not available in this JVM", e);
            }
        }
    }

    public enum Role { VIEWER, MODERATOR }

    /** One attendee seen by one {@code getMeetingInfo} poll. {@code personKey} is the {@code userID} given on join. */
    public record PresenceSample(String personKey, String displayName, String role, boolean listeningOnly,
                                 boolean joinedVoice, boolean video, String clientType, Instant sampledAt) {
    }

    public record MeetingInfo(String meetingId, String internalMeetingId, String meetingName, boolean running,
                              Instant startTime, int participantCount, List<PresenceSample> attendees) {
    }

    private final HttpConnector http;
    private final Secret secret;
    private final ChecksumAlgorithm algorithm;
    private final Clock clock;

    public BigBlueButtonClient(HttpConnector http, Secret secret, ChecksumAlgorithm algorithm, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** SHA-1, the default every BigBlueButton server accepts. */
    public BigBlueButtonClient(HttpConnector http, Secret secret, Clock clock) {
        this(http, secret, ChecksumAlgorithm.SHA1, clock);
    }

    /** {@code hex(hash(call + query + secret))} over the exact encoded query. */
    public String checksum(String call, String query) {
        return algorithm.hex(call + query + secret.reveal());
    }

    /** Encodes parameters in the given order, UTF-8, {@code +} for spaces; this string is what gets hashed and sent. */
    public static String query(Map<String, String> params) {
        StringJoiner q = new StringJoiner("&");
        params.forEach((k, v) -> q.add(enc(k) + "=" + enc(v)));
        return q.toString();
    }

    /** The path and query of a signed call, relative to the base URL. */
    public String signedPath(String call, Map<String, String> params) {
        String query = query(params);
        String sum = checksum(call, query);
        return "api/" + call + "?" + (query.isEmpty() ? "" : query + "&") + "checksum=" + sum;
    }

    /**
     * The URL a browser is sent to. {@code personId} (the portal person id) becomes BBB's {@code userID}, which comes
     * back as {@code ext_user_id} / {@code external-user-id} in the evidence; without it there are only internal ids.
     */
    public URI joinUrl(String meetingId, String fullName, String personId, Role role) {
        requireText(meetingId, "meetingId");
        requireText(fullName, "fullName");
        requireText(personId, "personId");
        Map<String, String> p = new LinkedHashMap<>();
        p.put("fullName", fullName);
        p.put("meetingID", meetingId);
        p.put("role", role.name());
        p.put("userID", personId);
        p.put("redirect", "true");
        String base = http.settings().baseUrl().toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + signedPath("join", p));
    }

    /**
     * The extra {@code create} parameters that make BigBlueButton post the learning-analytics callback after the
     * meeting (needs post_events scripts on the server; events.xml is kept for it).
     */
    public static Map<String, String> analyticsCreateParameters(String callbackUrl) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("meetingKeepEvents", "true");
        p.put("meta_analytics-callback-url", requireText(callbackUrl, "callbackUrl"));
        return p;
    }

    /** A running meeting's attendees right now. A meeting that is not running (or ended) fails with {@code notFound}. */
    public MeetingInfo getMeetingInfo(String meetingId) {
        requireText(meetingId, "meetingId");
        Element r = call("getMeetingInfo", Map.of("meetingID", meetingId));
        Instant now = clock.instant();
        List<PresenceSample> attendees = new ArrayList<>();
        Element list = child(r, "attendees");
        if (list != null) {
            NodeList nodes = list.getElementsByTagName("attendee");
            for (int i = 0; i < nodes.getLength(); i++) {
                Element a = (Element) nodes.item(i);
                attendees.add(new PresenceSample(text(a, "userID"), text(a, "fullName"), text(a, "role"),
                        bool(a, "isListeningOnly"), bool(a, "hasJoinedVoice"), bool(a, "hasVideo"), text(a, "clientType"), now));
            }
        }
        long start = number(r, "startTime");
        return new MeetingInfo(text(r, "meetingID"), text(r, "internalMeetingID"), text(r, "meetingName"), bool(r, "running"),
                start > 0 ? Instant.ofEpochMilli(start) : null, (int) number(r, "participantCount"), List.copyOf(attendees));
    }

    /**
     * Registers a webhook ({@code bbb-webhooks}) for {@code eventIds} (e.g. {@code user-joined,user-left,meeting-ended}),
     * for one meeting or, with {@code meetingId} null, for all. Returns the hook id. An identical hook answers with the
     * existing id, so calling this periodically re-creates hooks the server dropped after failed deliveries.
     */
    public String createHook(String callbackUrl, String meetingId, List<String> eventIds) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("callbackURL", requireText(callbackUrl, "callbackUrl"));
        if (meetingId != null) {
            p.put("meetingID", meetingId);
        }
        if (eventIds != null && !eventIds.isEmpty()) {
            p.put("eventID", String.join(",", eventIds));
        }
        p.put("getRaw", "false");
        return text(call("hooks/create", p), "hookID");
    }

    /** Removes a hook; false when the server did not know it. */
    public boolean destroyHook(String hookId) {
        try {
            call("hooks/destroy", Map.of("hookID", requireText(hookId, "hookId")));
            return true;
        } catch (BigBlueButtonException e) {
            if ("destroyMissingHook".equals(e.messageKey())) {
                return false;
            }
            throw e;
        }
    }

    private Element call(String call, Map<String, String> params) {
        HttpResult r = http.sendOk(HttpRequestSpec.get(signedPath(call, params)).describedAs("BigBlueButton " + call));
        Element root = parse(call, r);
        String code = text(root, "returncode");
        if (!"SUCCESS".equals(code)) {
            throw new BigBlueButtonException(call, text(root, "messageKey"), text(root, "message"));
        }
        return root;
    }

    private Element parse(String call, HttpResult r) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            var builder = f.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // report by exception, not on stderr
            Document d = builder.parse(new ByteArrayInputStream(r.body()));
            Element root = d.getDocumentElement();
            if (!"response".equals(root.getTagName())) {
                throw new HttpFailure(http.name(), HttpFailure.Kind.MALFORMED, r.status(), 1,
                        "BigBlueButton " + call + ": expected <response>, got <" + root.getTagName() + ">", null);
            }
            return root;
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new HttpFailure(http.name(), HttpFailure.Kind.MALFORMED, r.status(), 1,
                    "BigBlueButton " + call + ": answer is not XML: " + r.excerpt(200), e);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }

    private static boolean bool(Element parent, String name) {
        return "true".equals(text(parent, name));
    }

    private static long number(Element parent, String name) {
        String s = text(parent, name);
        try {
            return s == null || s.isEmpty() ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

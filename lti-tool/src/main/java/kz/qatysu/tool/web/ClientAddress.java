package kz.qatysu.tool.web;

import io.javalin.http.Context;
import kz.qatysu.tool.checkin.IpRanges;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The address of the browser behind a request — the one resolver for everything keyed on a client address (the
 * admin sign-in backoff, check-in IP ranges). Forwarding headers are read only when the direct peer is one of the
 * configured reverse proxies ({@code http.trustedProxies}); otherwise anyone could claim any address by sending
 * {@code X-Forwarded-For}. From a trusted peer, the hops of {@code X-Forwarded-For} (or, when it is absent, the
 * {@code for=} values of RFC 7239 {@code Forwarded}) are walked from the right, skipping trusted proxies: the first
 * hop that is not a trusted proxy is the client. Hops left of it were written by the client and are ignored.
 */
public final class ClientAddress {
    private final IpRanges trustedProxies;

    public ClientAddress(IpRanges trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    public String of(Context ctx) {
        return resolve(ctx.req().getRemoteAddr(), Collections.list(ctx.req().getHeaders("X-Forwarded-For")),
                ctx.header("Forwarded"));
    }

    /** The client address given the direct peer and the forwarding headers (pure: the rule above). */
    public String resolve(String peer, List<String> xForwardedFor, String forwarded) {
        if (!trustedProxies.contains(peer)) {
            return peer;
        }
        List<String> hops = !xForwardedFor.isEmpty() ? xForwardedForHops(xForwardedFor) : forwardedHops(forwarded);
        String current = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = withoutPort(hops.get(i));
            if (!IpRanges.isAddress(hop)) {
                return current; // "unknown", an obfuscated identifier or garbage: the last hop we can vouch for
            }
            current = hop;
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return current;
    }

    private static List<String> xForwardedForHops(List<String> headers) {
        List<String> hops = new ArrayList<>();
        for (String h : headers) {
            for (String part : h.split(",")) {
                if (!part.isBlank()) {
                    hops.add(part.trim());
                }
            }
        }
        return hops;
    }

    private static List<String> forwardedHops(String header) {
        List<String> hops = new ArrayList<>();
        if (header == null) {
            return hops;
        }
        for (String element : header.split(",")) {
            for (String pair : element.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
                    String v = pair.substring(eq + 1).trim();
                    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                        v = v.substring(1, v.length() - 1);
                    }
                    hops.add(v);
                }
            }
        }
        return hops;
    }

    /** {@code 192.0.2.1:4711} → {@code 192.0.2.1}, {@code [2001:db8::1]:4711} → {@code 2001:db8::1}. */
    static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end > 0 ? hop.substring(1, end) : hop;
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }

    /** True for this machine's own address (127.x, ::1 in any spelling, with or without brackets). */
    public static boolean isLoopback(String address) {
        String a = unbracket(address);
        return a.startsWith("127.") || a.equals("::1") || a.equals("0:0:0:0:0:0:0:1");
    }

    /** An address as people read it: without brackets, an IPv6 address with its longest run of zero groups as "::". */
    public static String shown(String address) {
        String a = unbracket(address);
        if (!a.contains(":") || a.contains("::")) {
            return a;
        }
        String[] groups = a.split(":", -1);
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].replaceFirst("^0+", "").isEmpty()) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < groups.length; i++) {
            if (i == bestStart) {
                out.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            out.append(groups[i].replaceFirst("^0+(?=.)", ""));
            if (i < groups.length - 1) {
                out.append(':');
            }
        }
        return out.toString();
    }

    private static String unbracket(String address) {
        if (address == null) {
            return "";
        }
        String a = address.strip();
        return a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a;
    }
}

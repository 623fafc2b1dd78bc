package kz.qatysu.tool.checkin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Allowed client addresses as CIDR blocks ({@code 10.20.0.0/16}, {@code 2001:db8::/32}, or a single address).
 * Parsing never resolves host names: only literal IPv4 / IPv6 addresses are accepted.
 */
public record IpRanges(List<String> cidrs) {
    public IpRanges {
        cidrs = List.copyOf(cidrs);
    }

    public static IpRanges none() {
        return new IpRanges(List.of());
    }

    /** Parses a comma-, space- or newline-separated list; throws naming the first entry that is not a CIDR block. */
    public static IpRanges parse(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String raw : text.split("[,;\\s]+")) {
                if (raw.isBlank()) {
                    continue;
                }
                Block b = Block.parse(raw.trim());
                out.add(b.canonical());
            }
        }
        return new IpRanges(out);
    }

    public boolean isEmpty() {
        return cidrs.isEmpty();
    }

    /** True when no ranges are set, or the address lies in one of them. */
    public boolean allows(String address) {
        return cidrs.isEmpty() || contains(address);
    }

    /** True when the address lies in one of the ranges: never when none are set (e.g. trusted proxies). */
    public boolean contains(String address) {
        byte[] ip = literal(address);
        if (ip == null) {
            return false;
        }
        for (String c : cidrs) {
            if (Block.parse(c).contains(ip)) {
                return true;
            }
        }
        return false;
    }

    private record Block(byte[] network, int prefix) {
        static Block parse(String cidr) {
            int slash = cidr.indexOf('/');
            String addr = slash < 0 ? cidr : cidr.substring(0, slash);
            byte[] ip = literal(addr);
            if (ip == null) {
                throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block");
            }
            int max = ip.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? max : Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("'" + cidr + "': prefix length must be 0…" + max);
            }
            return new Block(ip, prefix);
        }

        boolean contains(byte[] ip) {
            if (ip.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (ip[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (ip[full] & mask) == (network[full] & mask);
        }

        String canonical() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** True when {@code s} is a literal IPv4 or IPv6 address (no host name is ever looked up). */
    public static boolean isAddress(String s) {
        return literal(s) != null;
    }

    /** The bytes of a literal address (IPv4-mapped IPv6 comes back as IPv4), or null when it is not one. */
    static byte[] literal(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String t = s.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = t.contains(":") && t.matches("[0-9a-fA-F:.%a-zA-Z0-9]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}

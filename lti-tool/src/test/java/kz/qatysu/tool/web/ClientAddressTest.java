package kz.qatysu.tool.web;

import kz.qatysu.tool.checkin.IpRanges;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {
    private final ClientAddress behindNginx = new ClientAddress(IpRanges.parse("10.0.0.5, 10.1.0.0/16"));

    @Test
    void without_trusted_proxies_the_direct_peer_is_the_client_whatever_the_headers_say() {
        ClientAddress none = new ClientAddress(IpRanges.none());
        assertThat(none.resolve("10.0.0.5", List.of("203.0.113.7"), "for=198.51.100.1")).isEqualTo("10.0.0.5");
    }

    @Test
    void a_peer_that_is_not_a_trusted_proxy_cannot_claim_another_address() {
        assertThat(behindNginx.resolve("192.0.2.44", List.of("203.0.113.7"), null)).isEqualTo("192.0.2.44");
    }

    @Test
    void from_a_trusted_proxy_the_rightmost_hop_that_is_not_a_proxy_is_the_client() {
        // the browser sent a forged "1.2.3.4"; nginx appended the address it saw
        assertThat(behindNginx.resolve("10.0.0.5", List.of("1.2.3.4, 203.0.113.7"), null)).isEqualTo("203.0.113.7");
        // two proxies in a row, and the header split over two lines
        assertThat(behindNginx.resolve("10.0.0.5", List.of("1.2.3.4, 203.0.113.7", "10.1.2.3"), null)).isEqualTo("203.0.113.7");
        assertThat(behindNginx.resolve("10.0.0.5", List.of("203.0.113.7:51234"), null)).isEqualTo("203.0.113.7");
        assertThat(behindNginx.resolve("10.0.0.5", List.of("[2001:db8::7]:443"), null)).isEqualTo("2001:db8::7");
    }

    @Test
    void rfc_7239_forwarded_is_read_when_there_is_no_x_forwarded_for() {
        assertThat(behindNginx.resolve("10.0.0.5", List.of(),
                "for=1.2.3.4, for=\"[2001:db8:cafe::17]:4711\";proto=https;by=10.0.0.5")).isEqualTo("2001:db8:cafe::17");
        assertThat(behindNginx.resolve("10.0.0.5", List.of(), null)).isEqualTo("10.0.0.5");
    }

    @Test
    void a_hop_that_is_not_an_address_stops_the_walk_at_the_last_trusted_one() {
        assertThat(behindNginx.resolve("10.0.0.5", List.of("unknown"), null)).isEqualTo("10.0.0.5");
        assertThat(behindNginx.resolve("10.0.0.5", List.of("evil.example, 10.1.0.9"), null)).isEqualTo("10.1.0.9");
        assertThat(behindNginx.resolve("10.0.0.5", List.of(), "for=_hidden")).isEqualTo("10.0.0.5");
    }
}

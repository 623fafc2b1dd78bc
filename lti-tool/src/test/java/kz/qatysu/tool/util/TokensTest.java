package kz.qatysu.tool.util;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TokensTest {
    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    @Test
    void hmacSha256AgreesWithRfc4231TestCases1And2() {
        // RFC 4231 §4.2: key = 20 × 0x0b, data = "Hi There"
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                HexFormat.of().formatHex(Tokens.hmacSha256(hex("0b".repeat(20)), "Hi There".getBytes(StandardCharsets.US_ASCII))));
        // §4.3: key = "Jefe", data = "what do ya want for nothing?"
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                HexFormat.of().formatHex(Tokens.hmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII),
                        "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void hmacSha256OfSeveralPartsIsTheMacOfThemJoined() {
        byte[] key = "Jefe".getBytes(StandardCharsets.US_ASCII);
        assertEquals(HexFormat.of().formatHex(Tokens.hmacSha256(key, "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))),
                HexFormat.of().formatHex(Tokens.hmacSha256(key, "what do ya ".getBytes(StandardCharsets.US_ASCII),
                        "want for nothing?".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void csrfTokensAreTheBase64UrlMacOfThePurposeUnderTheSecret() {
        assertEquals(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                        hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")),
                Csrf.tokenFor("Jefe", "what do ya want for nothing?"));
    }
}

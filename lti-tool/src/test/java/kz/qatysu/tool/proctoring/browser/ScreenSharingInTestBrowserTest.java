package kz.qatysu.tool.proctoring.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code getDisplayMedia} behaves in the test browser (Chromium 15x of Debian), measured on a page whose
 * background is magenta: what is shared, what {@code getSettings().displaySurface} says, and whether the page is in
 * the shared picture. What this proves and what it cannot: docs/PROCTORING.md, "What the browser tests can and
 * cannot prove".
 */
class ScreenSharingInTestBrowserTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Shares the screen, waits for a frame and measures the share of magenta pixels in it. */
    static final String SHARE = """
            const camera = await navigator.mediaDevices.getUserMedia({video: true, audio: true})
                .then(s => s.getVideoTracks()[0].label, e => 'ERR ' + e.name);
            const s = await navigator.mediaDevices.getDisplayMedia({video: true});
            const t = s.getVideoTracks()[0];
            const v = document.createElement('video');
            v.muted = true;
            v.srcObject = s;
            await v.play();
            await new Promise(r => setTimeout(r, 700));
            const c = document.createElement('canvas');
            c.width = v.videoWidth;
            c.height = v.videoHeight;
            const g = c.getContext('2d');
            g.drawImage(v, 0, 0);
            const d = g.getImageData(0, 0, c.width, c.height).data;
            let magenta = 0, n = 0;
            for (let i = 0; i < d.length; i += 4 * 13) {
              n++;
              if (d[i] > 230 && d[i + 1] < 30 && d[i + 2] > 230) magenta++;
            }
            const settings = t.getSettings();
            s.getTracks().forEach(x => x.stop());
            return JSON.stringify({surface: settings.displaySurface, label: t.label, width: c.width, height: c.height,
              magenta: magenta / n, camera, extended: screen.isExtended === true});""";
    static Javalin page;

    @BeforeAll
    static void serve() {
        ProctoringChromium.assumeInstalled();
        page = Javalin.create(c -> c.routes.get("/", ctx -> ctx.html(
                "<!doctype html><html lang=en><title>share</title><body style=\"background:#ff00ff;margin:0\"><p>screen</p>")))
                .start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        if (page != null) {
            page.stop();
        }
    }

    static String url() {
        return "http://127.0.0.1:" + page.port() + "/";
    }

    static JsonNode share(ProctoringChromium browser) throws Exception {
        browser.driver().get(url());
        Object r = browser.async(SHARE, Duration.ofSeconds(20));
        assertThat(r).asString().doesNotStartWith("ERR");
        return JSON.readTree((String) r);
    }

    @Test
    void headless_with_the_fake_device_shares_a_synthetic_screen_that_says_monitor_but_is_not_the_page() throws Exception {
        try (ProctoringChromium browser = ProctoringChromium.headless(FakeCameraVideos.oneFace())) {
            JsonNode r = share(browser);
            assertThat(r.get("surface").asText()).isEqualTo("monitor");
            assertThat(r.get("magenta").asDouble()).as("the page is not in the shared picture").isZero();
            assertThat(r.get("camera").asText()).as("the fake camera is the file").endsWith("one-face.y4m");
            assertThat(r.get("extended").asBoolean()).isFalse();
        }
    }

    @Test
    void the_fake_device_can_claim_a_window_or_a_tab_so_that_refusing_them_can_be_tested() throws Exception {
        try (ProctoringChromium browser = ProctoringChromium.headless(null, ProctoringChromium.Surface.WINDOW)) {
            assertThat(share(browser).get("surface").asText()).isEqualTo("window");
        }
        try (ProctoringChromium browser = ProctoringChromium.headless(null, ProctoringChromium.Surface.BROWSER)) {
            assertThat(share(browser).get("surface").asText()).isEqualTo("browser");
        }
    }

    @Test
    void headless_without_the_fake_device_cannot_share_the_screen() throws Exception {
        Path profile = Files.createTempDirectory("qatysu-chromium-");
        ChromeOptions options = ProctoringChromium.commonOptions(profile, null);
        options.addArguments("--headless=new", "--use-fake-ui-for-media-stream", "--auto-select-desktop-capture-source=Entire screen");
        try (ProctoringChromium browser = ProctoringChromium.headless(options, profile)) {
            browser.driver().get(url());
            assertThat(browser.async("await navigator.mediaDevices.getDisplayMedia({video: true}); return 'shared';",
                    Duration.ofSeconds(20))).isEqualTo("ERR NotReadableError: Could not start video source");
        }
    }

    @Test
    void on_xvfb_the_real_screen_with_the_page_on_it_is_shared_as_monitor() throws Exception {
        ProctoringChromium.assumeXvfbInstalled();
        try (ProctoringChromium browser = ProctoringChromium.onXvfb(FakeCameraVideos.oneFace())) {
            browser.driver().get(url());
            browser.grantCameraAndMicrophone();
            JsonNode r = share(browser);
            assertThat(r.get("surface").asText()).isEqualTo("monitor");
            assertThat(r.get("label").asText()).startsWith("screen:");
            assertThat(r.get("width").asInt()).isEqualTo(1280);
            assertThat(r.get("height").asInt()).isEqualTo(800);
            assertThat(r.get("magenta").asDouble()).as("the page fills most of the shared screen").isGreaterThan(0.4);
            assertThat(r.get("camera").asText()).as("the fake camera is the file").endsWith("one-face.y4m");
        }
    }
}

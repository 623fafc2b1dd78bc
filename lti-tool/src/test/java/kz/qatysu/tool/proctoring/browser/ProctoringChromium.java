package kz.qatysu.tool.proctoring.browser;

import org.openqa.selenium.chromium.HasPermissions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's Chromium for the proctoring browser tests, with a fake camera and microphone and a way to share the
 * screen (measured in {@code ScreenSharingInTestBrowserTest}; docs/PROCTORING.md, "What the browser tests can and
 * cannot prove"):
 * <ul>
 *   <li>{@link #headless(Path)}: {@code --headless=new --use-fake-device-for-media-stream --use-fake-ui-for-media-stream}.
 *       The camera shows the given .y4m ({@link FakeCameraVideos}), the microphone a beep; camera, microphone and
 *       screen share are granted without a prompt. {@code getDisplayMedia} returns Chromium's <em>synthetic</em>
 *       screen (a moving test pattern, not the page) whose {@code getSettings().displaySurface} is
 *       {@code 'monitor'} — or {@code 'window'} / {@code 'browser'} with {@link #headless(Path, Surface)}, to test the
 *       refusal of a window or tab. Fast; what the server receives from "the screen" is that pattern.</li>
 *   <li>{@link #onXvfb(Path)}: a headed Chromium on a private Xvfb screen (1280×800) started here, with
 *       {@code --use-fake-device-for-media-stream --auto-select-desktop-capture-source=Entire screen} and <em>without</em>
 *       {@code --use-fake-ui-for-media-stream} (with it, screen capture fails with NotReadableError); camera and
 *       microphone are granted through WebDriver ({@link #grantCameraAndMicrophone()}, after the page is open).
 *       {@code getDisplayMedia} captures the real X screen, the browser window included, as {@code 'monitor'}.</li>
 * </ul>
 * The driver path is given, so Selenium Manager never downloads anything; only loopback pages are opened.
 * {@link #close()} quits the browser, stops the Xvfb started here and deletes the profile.
 */
public final class ProctoringChromium implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path XVFB = Path.of("/usr/bin/Xvfb");

    /** What Chromium's fake screen share says it is ({@code getSettings().displaySurface}). */
    public enum Surface {
        MONITOR("monitor"), WINDOW("window"), BROWSER("browser");

        private final String displaySurface;

        Surface(String displaySurface) {
            this.displaySurface = displaySurface;
        }

        public String displaySurface() {
            return displaySurface;
        }
    }

    private final WebDriver driver;
    private final Path profile;
    private final Optional<Process> xvfb;

    private ProctoringChromium(WebDriver driver, Path profile, Optional<Process> xvfb) {
        this.driver = driver;
        this.profile = profile;
        this.xvfb = xvfb;
    }

    /**
     * Skips the calling test, saying why, when Chromium, chromedriver or ffmpeg is missing — except under CI
     * ({@code CI=true}), where that fails the test: a green run must not hide skipped browser tests.
     */
    public static void assumeInstalled() {
        assume(List.of(CHROMIUM, CHROMEDRIVER, Path.of("/usr/bin/ffmpeg")));
    }

    /** {@link #assumeInstalled()} and Xvfb. */
    public static void assumeXvfbInstalled() {
        assume(List.of(CHROMIUM, CHROMEDRIVER, Path.of("/usr/bin/ffmpeg"), XVFB));
    }

    private static void assume(List<Path> programs) {
        List<Path> missing = programs.stream().filter(p -> !Files.isExecutable(p)).toList();
        String why = missing + " missing (scripts/ensure-browser.sh installs Debian's chromium, chromium-driver, ffmpeg and xvfb)";
        if (!missing.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("browser test cannot run under CI: " + why);
        }
        assumeTrue(missing.isEmpty(), "browser test skipped: " + why);
    }

    /** The common flags: a fresh profile, off the network, a window of 1280×800, the fake camera if given. */
    private static ChromeOptions common(Path profile, Path fakeCamera) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--autoplay-policy=no-user-gesture-required", "--user-data-dir=" + profile, "--window-size=1280,800",
                "--window-position=0,0", "--lang=kk");
        if (fakeCamera != null) {
            options.addArguments("--use-file-for-fake-video-capture=" + fakeCamera.toAbsolutePath());
        }
        return options;
    }

    /** The recipe of {@link #headless(Path, Surface)}; {@code fakeCamera} null = Chromium's own test pattern. */
    public static ChromeOptions headlessOptions(Path profile, Path fakeCamera, Surface surface) {
        ChromeOptions options = common(profile, fakeCamera);
        options.addArguments("--headless=new", "--use-fake-ui-for-media-stream",
                surface == Surface.MONITOR ? "--use-fake-device-for-media-stream"
                        : "--use-fake-device-for-media-stream=display-media-type=" + surface.displaySurface());
        return options;
    }

    /** The recipe of {@link #onXvfb(Path)} (needs {@code DISPLAY}). */
    public static ChromeOptions xvfbOptions(Path profile, Path fakeCamera) {
        ChromeOptions options = common(profile, fakeCamera);
        options.addArguments("--use-fake-device-for-media-stream", "--auto-select-desktop-capture-source=Entire screen");
        return options;
    }

    public static ProctoringChromium headless(Path fakeCamera) throws IOException {
        return headless(fakeCamera, Surface.MONITOR);
    }

    public static ProctoringChromium headless(Path fakeCamera, Surface surface) throws IOException {
        Path profile = Files.createTempDirectory("qatysu-chromium-");
        return new ProctoringChromium(new ChromeDriver(service(Map.of()), headlessOptions(profile, fakeCamera, surface)),
                profile, Optional.empty());
    }

    /** A headless Chromium with other flags (e.g. to show what does not work); {@code profile} is deleted on close. */
    public static ProctoringChromium headless(ChromeOptions options, Path profile) {
        return new ProctoringChromium(new ChromeDriver(service(Map.of()), options), profile, Optional.empty());
    }

    /** A fresh Chromium profile folder and the common flags (off the network, 1280×800, the fake camera if given). */
    public static ChromeOptions commonOptions(Path profile, Path fakeCamera) {
        return common(profile, fakeCamera);
    }

    /** A headed Chromium on a new Xvfb screen; call {@link #grantCameraAndMicrophone()} once the page is open. */
    public static ProctoringChromium onXvfb(Path fakeCamera) throws IOException {
        Process xvfb = new ProcessBuilder(XVFB.toString(), "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Path profile = null;
        try {
            String display = ":" + readLine(xvfb.getInputStream(), Duration.ofSeconds(20));
            profile = Files.createTempDirectory("qatysu-chromium-");
            WebDriver driver = new ChromeDriver(service(Map.of("DISPLAY", display)), xvfbOptions(profile, fakeCamera));
            return new ProctoringChromium(driver, profile, Optional.of(xvfb));
        } catch (IOException | RuntimeException e) {
            xvfb.destroy();
            if (profile != null) {
                delete(profile);
            }
            throw e;
        }
    }

    private static ChromeDriverService service(Map<String, String> environment) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        return new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .withEnvironment(environment).usingAnyFreePort().build();
    }

    /** The display number Xvfb prints with {@code -displayfd 1}. */
    private static String readLine(InputStream in, Duration timeout) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        StringBuilder line = new StringBuilder();
        while (System.nanoTime() < end) {
            if (in.available() > 0) {
                int c = in.read();
                if (c == '\n' || c == -1) {
                    if (!line.isEmpty()) {
                        return line.toString().strip();
                    }
                    if (c == -1) {
                        break;
                    }
                } else {
                    line.append((char) c);
                }
            } else {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IOException("Xvfb did not report its display within " + timeout + " (got '" + line + "')");
    }

    public WebDriver driver() {
        return driver;
    }

    /** Grants camera and microphone to the open page's origin (the headed browser has no fake prompt answer). */
    public void grantCameraAndMicrophone() {
        ((HasPermissions) driver).setPermission("camera", "granted");
        ((HasPermissions) driver).setPermission("microphone", "granted");
    }

    /**
     * Runs {@code body} as an async function in the page and returns what it returns (JSON-like values); a thrown
     * error comes back as {@code "ERR <name>: <message>"}. Waits at most {@code timeout}.
     */
    public Object async(String body, Duration timeout) {
        driver.manage().timeouts().scriptTimeout(timeout);
        return ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => { %s })().then(done, e => done('ERR ' + e.name + ': ' + e.message));""".formatted(body));
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            xvfb.ifPresent(p -> {
                p.destroy();
                try {
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            delete(profile);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static List<String> args(ChromeOptions options) {
        @SuppressWarnings("unchecked")
        Map<String, Object> chrome = (Map<String, Object>) options.asMap().get("goog:chromeOptions");
        @SuppressWarnings("unchecked")
        List<String> args = (List<String>) chrome.get("args");
        return new ArrayList<>(args);
    }
}

package kz.qatysu.demo;

import kz.qatysu.demo.platform.DemoPlatform;
import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.RunningTool;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every browser test stands on: the tool on a free port, the demo platform registered with it, and Debian's
 * headless Chromium (the test is skipped where it is not installed). Closed in reverse order.
 */
final class DemoInBrowser implements AutoCloseable {
    private final RunningTool tool;
    private final DemoPlatform platform;
    private final HeadlessChromium chromium;

    private DemoInBrowser(RunningTool tool, DemoPlatform platform, HeadlessChromium chromium) {
        this.tool = tool;
        this.platform = platform;
        this.chromium = chromium;
    }

    static DemoInBrowser start(int width, int height) throws IOException {
        HeadlessChromium.assumeInstalled();
        RunningTool tool = RunningTool.start();
        DemoPlatform platform = null;
        try {
            platform = DemoPlatform.start(DemoPlatform.Settings.forTool(tool.baseUrl()));
            Api.Response registered = Api.admin(tool).post("/api/v1/admin/platforms", platform.registrationJson());
            assertThat(registered.status()).as(registered.body()).isEqualTo(201);
            return new DemoInBrowser(tool, platform, HeadlessChromium.start(width, height));
        } catch (RuntimeException | IOException | Error e) {
            if (platform != null) {
                platform.stop();
            }
            tool.close();
            throw e;
        }
    }

    RunningTool tool() {
        return tool;
    }

    DemoPlatform platform() {
        return platform;
    }

    WebDriver driver() {
        return chromium.driver();
    }

    /** The tool's REST API with the admin token, as the sync daemon and administrators call it. */
    Api api() {
        return Api.admin(tool);
    }

    /** Leaves what the person saw in target/screenshots, for looking at after a run. */
    void saveScreenshot(String name) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "screenshots"));
            Path png = ((TakesScreenshot) driver()).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(png, dir.resolve(name.replaceAll("[^\\p{L}\\p{N}]+", "-") + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            chromium.close();
        } finally {
            platform.stop();
            tool.close();
        }
    }
}

package dev.rendezvous.console;

import static dev.rendezvous.support.ConsoleApiKeyProfile.API_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rendezvous.support.ConsoleApiKeyProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium, with API keys on: a person creates a correlation, watches
 * it go from pending to completed without reloading, delivers a result that looks like HTML and
 * reads it back as text. Neither the API key nor the callback token may appear in a displayed curl
 * command, in the page's markup or in its URL.
 */
@QuarkusTest
@TestProfile(ConsoleApiKeyProfile.class)
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Paths.get("target", "console.png");

    @TestHTTPResource("/")
    URL console;

    private Path profile;
    private WebDriver browser;
    private WebDriverWait await;

    @BeforeEach
    void startBrowser() throws IOException {
        assertTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "The console test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        profile = Files.createTempDirectory("console-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,1600",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        await = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void createsWatchesCompletesAndReadsACorrelationByHand() throws Exception {
        String id = "console-" + UUID.randomUUID();
        browser.get(console.toString());
        assertEquals("Rendezvous console", browser.getTitle());

        String token = createInPage(id);
        assertEquals(id, browser.findElement(By.id("corr-id")).getDomProperty("value"));
        assertFalse(text("create-out").contains(token), "the create answer is shown with its token masked");

        // Which way the page watches: the event stream where the service has it, else polling.
        String mode = text("live-mode");
        if (serviceStreamsEvents(id)) {
            assertTrue(mode.startsWith("live (Server-Sent Events)"), mode);
        } else {
            assertTrue(mode.contains("live updates unavailable"), mode);
        }

        // The worker's part, with the token from the token field; the watcher sees it by itself.
        deliverInPage("<b>bold</b>", "text/html");
        await.until(ExpectedConditions.textToBe(By.id("state"), "completed"));
        assertTrue(text("event-log").contains("completed"), text("event-log"));

        // A second outcome is refused, and the problem is shown as such.
        type("failure-detail", "too late");
        click("#failure-form button[type=submit]");
        await.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#failure-out .problem")));
        WebElement problem = browser.findElement(By.cssSelector("#failure-out .problem"));
        assertTrue(problem.getText().contains("Correlation already has another outcome (409)"), problem.getText());
        assertEquals("alert", problem.getDomAttribute("role"));

        // The client reads the result: shown as text, never rendered.
        type("read-wait", "5");
        click("#read-form button[type=submit]");
        await.until(ExpectedConditions.textToBePresentInElementLocated(By.id("client-out"), "HTTP 200"));
        String read =
                browser.findElement(By.cssSelector("#client-out pre.response")).getText();
        assertTrue(read.contains("<b>bold</b>"), read);
        assertTrue(read.contains("Content-Type: text/html"), read);
        assertTrue(browser.findElements(By.tagName("b")).isEmpty(), "the result's markup created no element");

        // Every action shows its curl equivalent, with the secrets as shell variables only.
        List<String> commands = browser.findElements(By.cssSelector("pre.curl")).stream()
                .map(WebElement::getText)
                .toList();
        assertEquals(4, commands.size(), commands.toString());
        String all = String.join("\n", commands);
        // The worker's curl names the correlation by its ID in the API key's scope, as its URLs do.
        assertTrue(
                Pattern.compile("curl -i -X POST '" + Pattern.quote(console + "v1/correlations/") + "[A-Za-z0-9_-]{12}~"
                                + Pattern.quote(id + "/result'"))
                        .matcher(all)
                        .find(),
                all);
        assertTrue(all.contains("Authorization: Bearer $TOKEN"), all);
        assertTrue(all.contains("Authorization: Bearer $API_KEY"), all);
        assertTrue(all.contains("--data-binary '<b>bold</b>'"), all);
        assertTrue(all.contains("/result?wait=5'"), all);
        assertNoSecretShown(all, token);

        screenshot();
    }

    /** Where the event stream cannot be had (here: blocked), the page says so and polls instead. */
    @Test
    void pollsWhenLiveUpdatesAreUnavailable() {
        ((ChromeDriver) browser).executeCdpCommand("Network.enable", Map.of());
        ((ChromeDriver) browser).executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/events")));
        String id = "console-" + UUID.randomUUID();
        browser.get(console.toString());

        String token = createInPage(id);
        assertTrue(text("live-mode").contains("live updates unavailable; polling every 2 s"), text("live-mode"));

        deliverInPage("{\"pages\": 3}", "application/json");
        await.until(ExpectedConditions.textToBe(By.id("state"), "completed"));
        assertTrue(text("event-log").contains("completed"), text("event-log"));
        assertNoSecretShown(text("create-out") + text("result-out"), token);
    }

    /** Creates a correlation with the API key through the page; answers the token it filled in. */
    private String createInPage(String id) {
        type("api-key", API_KEY);
        type("create-id", id);
        type("create-ttl", "120");
        click("#create-form button[type=submit]");
        await.until(ExpectedConditions.textToBe(By.id("state"), "pending"));
        assertTrue(text("create-out").contains("HTTP 201"), text("create-out"));
        String token = browser.findElement(By.id("token")).getDomProperty("value");
        assertTrue(token != null && token.length() >= 22, "the token field is filled in on create");
        return token;
    }

    private void deliverInPage(String body, String contentType) {
        type("result-body", body);
        type("result-type", contentType);
        click("#result-form button[type=submit]");
        await.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result-out"), "HTTP 204"));
    }

    private void assertNoSecretShown(String shown, String token) {
        for (String secret : List.of(token, API_KEY)) {
            assertFalse(shown.contains(secret), "a displayed command or answer shows a secret");
            assertFalse(browser.getPageSource().contains(secret), "the page's markup holds a secret");
            assertFalse(browser.getCurrentUrl().contains(secret), "the page's URL holds a secret");
        }
        assertEquals(console.toString(), browser.getCurrentUrl());
    }

    /** The whole page, top to bottom, in target/console.png. */
    private void screenshot() throws IOException {
        ChromeDriver chrome = (ChromeDriver) browser;
        Object height = chrome.executeScript("return document.documentElement.scrollHeight");
        Object width = chrome.executeScript("return document.documentElement.scrollWidth");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1);
        Map<String, Object> shot = chrome.executeCdpCommand(
                "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, Base64.getDecoder().decode((String) shot.get("data")));
    }

    /** Whether the service answers the events URL with an event stream (it closes the stream at once). */
    private boolean serviceStreamsEvents(String id) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(console + "v1/correlations/" + id + "/events"))
                .header("Authorization", "Bearer " + API_KEY)
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<InputStream> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            return response.statusCode() == 200
                    && response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
        }
    }

    private void type(String id, String value) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    private void click(String selector) {
        browser.findElement(By.cssSelector(selector)).click();
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }
}

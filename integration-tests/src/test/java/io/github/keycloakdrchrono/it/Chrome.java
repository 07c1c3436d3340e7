package io.github.keycloakdrchrono.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium, Debian's {@code chromium} driven through Debian's {@code chromedriver}, for the tests
 * that need Keycloak's JavaScript consoles. Both paths are given to Selenium, so Selenium Manager never runs and
 * nothing downloads a browser or a driver.
 *
 * <p>Without either binary the test is skipped with a message naming what is missing; with
 * {@code -Dbrowser.required=true} (as CI runs) it fails instead, so a CI machine cannot pass by skipping.
 */
final class Chrome implements AutoCloseable {

    static final String REQUIRED_PROPERTY = "browser.required";
    private static final Path DEFAULT_BROWSER = Path.of("/usr/bin/chromium");
    private static final Path DEFAULT_DRIVER = Path.of("/usr/bin/chromedriver");
    /** Screenshots in the README are taken at this size. */
    private static final String WINDOW_SIZE = "1280,900";
    /** Keycloak's consoles fetch from the server after every navigation; a loaded CI machine is slow. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * Selenium warns at every start that it has no DevTools bindings for this exact Chromium; we use WebDriver
     * only. Held here because java.util.logging keeps loggers weakly and would forget the level.
     */
    private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    /** The browser of the test running on this thread, for {@link PerTest}. */
    private static final ThreadLocal<Chrome> CURRENT = new ThreadLocal<>();

    final ChromeDriver driver;
    private final WebDriverWait wait;

    private Chrome(ChromeDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, WAIT);
    }

    /** Starts Chromium, or skips (fails, under {@value #REQUIRED_PROPERTY}) the test when it is not installed. */
    static Chrome start() {
        Path browser = Path.of(System.getProperty("chromium.binary", DEFAULT_BROWSER.toString()));
        Path driverBinary = Path.of(System.getProperty("chromedriver.binary", DEFAULT_DRIVER.toString()));
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(browser)) {
            missing.add("Chromium (" + browser + ")");
        }
        if (!Files.isExecutable(driverBinary)) {
            missing.add("ChromeDriver (" + driverBinary + ")");
        }
        if (!missing.isEmpty()) {
            String message = "Browser test needs " + String.join(" and ", missing) + ", which is not installed; on "
                    + "Debian/Ubuntu: apt-get install chromium chromium-driver (or set -Dchromium.binary and "
                    + "-Dchromedriver.binary)";
            if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
                throw new AssertionError(message + ". -D" + REQUIRED_PROPERTY + "=true makes this a failure.");
            }
            Assumptions.abort(message + ". Skipped; -D" + REQUIRED_PROPERTY + "=true makes this a failure.");
        }
        DEVTOOLS_LOG.setLevel(Level.SEVERE);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless=new", "--window-size=" + WINDOW_SIZE, "--lang=en-US",
                // Chromium's own sandbox cannot start as root (CI runs as root) nor in most containers.
                "--no-sandbox", "--disable-dev-shm-usage");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driverBinary.toFile())
                .usingAnyFreePort()
                .build();
        Chrome chrome = new Chrome(new ChromeDriver(service, options));
        CURRENT.set(chrome);
        return chrome;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement visible(By locator) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    WebElement clickable(By locator) {
        return wait.until(ExpectedConditions.elementToBeClickable(locator));
    }

    void click(By locator) {
        WebElement element = clickable(locator);
        scrollTo(element);
        element.click();
    }

    /** Replaces a field's content, as an admin selecting it all and typing would. */
    void type(By locator, String text) {
        WebElement field = visible(locator);
        scrollTo(field);
        field.clear();
        field.sendKeys(text);
        wait.until(d -> text.equals(field.getDomProperty("value")));
    }

    void scrollTo(WebElement element) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
    }

    /**
     * The field's current value (the DOM property: React sets that, not the HTML attribute), once it is the
     * expected one or after a while; the caller asserts on it, so a wrong value shows in the failure.
     */
    String valueOf(By locator, String expected) {
        WebElement field = visible(locator);
        try {
            new WebDriverWait(driver, Duration.ofSeconds(15))
                    .until(d -> expected.equals(field.getDomProperty("value")));
        } catch (TimeoutException e) {
            // Reported by the caller's assertion, with the value that was there instead.
        }
        return field.getDomProperty("value");
    }

    void waitUntil(Function<ChromeDriver, Boolean> condition) {
        wait.until(d -> condition.apply(driver));
    }

    String bodyText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /**
     * Writes a PNG under target/screenshots and, when {@code -Dscreenshots.dir} is given (e.g. docs/images,
     * relative to the repository root), there too: only that explicit step changes tracked files.
     */
    void screenshot(String fileName) {
        screenshot(fileName, true);
    }

    /** A screenshot for target/screenshots only, never copied to the README's images. */
    void evidence(String fileName) {
        screenshot(fileName, false);
    }

    private void screenshot(String fileName, boolean forDocs) {
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        assertThat(png).as("screenshot %s", fileName).hasSizeGreaterThan(1000);
        try {
            Path buildDir = Path.of(TestProperties.required("screenshots.build.dir"));
            Files.createDirectories(buildDir);
            Path written = Files.write(buildDir.resolve(fileName), png);
            String docsDir = System.getProperty("screenshots.dir");
            if (forDocs && docsDir != null && !docsDir.isBlank()) {
                Path dir = Path.of(docsDir);
                if (!dir.isAbsolute()) {
                    dir = Path.of(TestProperties.required("repository.root")).resolve(dir);
                }
                Files.createDirectories(dir);
                Files.copy(written, dir.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the browser is now, for assertion messages. */
    String where() {
        return driver.getCurrentUrl() + "\n" + bodyText();
    }

    @Override
    public void close() {
        CURRENT.remove();
        driver.quit();
    }

    /** The browser {@link PerTest} started for the test running on this thread. */
    static Chrome current() {
        Chrome chrome = CURRENT.get();
        if (chrome == null) {
            throw new IllegalStateException("No browser: the test class needs @ExtendWith(Chrome.PerTest.class)");
        }
        return chrome;
    }

    /**
     * A fresh Chromium for each test ({@link #current()}), skipped or failed as {@link #start()} says when none is
     * installed. When the test fails, what the browser showed (screenshot and HTML) is kept under
     * target/screenshots/failed-*, before the browser closes. Afterwards the shared sandbox is reset.
     */
    static final class PerTest implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {

        @Override
        public void beforeEach(ExtensionContext context) {
            start();
        }

        @Override
        public void afterTestExecution(ExtensionContext context) {
            Chrome chrome = CURRENT.get();
            if (chrome == null || context.getExecutionException().isEmpty()) {
                return;
            }
            String name = "failed-" + context.getRequiredTestMethod().getName();
            chrome.evidence(name + ".png");
            try {
                Files.writeString(Path.of(TestProperties.required("screenshots.build.dir")).resolve(name + ".html"),
                        chrome.driver.getCurrentUrl() + "\n" + chrome.driver.getPageSource());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void afterEach(ExtensionContext context) {
            Chrome chrome = CURRENT.get();
            // No browser, no test ran: a skipped test must not start the shared Keycloak just to reset the sandbox.
            if (chrome != null) {
                chrome.close();
                TestEnvironment.get().sandbox.reset();
            }
        }
    }
}

package io.github.fer4j.server;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.fer4j.TestData;
import io.github.fer4j.vision.EmotionRecognizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in headless Chromium (Debian's chromium and chromium-driver, installed by .ci/run): a photo is uploaded
 * and boxes with labels appear; the webcam path runs on Chromium's fake camera fed with a composed face video.
 * Screenshots go to target/screenshots, never into the repository. The server has a token, as off the loopback: the
 * page is opened once with it ({@code /?token=}) and then works on its session cookie, as a user's browser would.
 */
class BrowserTest {
    static final String TOKEN = EmotionServer.generateToken();
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static EmotionServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER)) {
            server = EmotionServer.start(EmotionRecognizer.create(), new EmotionServer.Settings("127.0.0.1", 0, 10 << 20,
                    40_000_000, 2, 8).withToken(TOKEN));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static void assumeBrowser() {
        assumeTrue(server != null, "Chromium or chromedriver missing (apt-get install chromium chromium-driver): skipping the browser test");
        assumeTrue(TestPhotos.faces() != null, TestData.MISSING);
    }

    static ChromeDriver browser(String... extra) {
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--window-size=1000,1200", "--user-data-dir=" + dir.resolve("profile-" + System.nanoTime()));
        options.addArguments(extra);
        return new ChromeDriver(options);
    }

    static void screenshot(ChromeDriver driver, String name) throws IOException {
        Path target = Path.of("target/screenshots");
        Files.createDirectories(target);
        Files.write(target.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void uploadedPhotoGetsBoxesAndLabels() throws IOException {
        assumeBrowser();
        Path photo = dir.resolve("two-faces.jpg");
        Files.write(photo, TestPhotos.encode(TestPhotos.withFaces(800, 450, List.of(new int[] {4, 60, 120, 200},
                new int[] {10, 480, 100, 220})), "jpg"));
        ChromeDriver driver = browser();
        try {
            open(driver);
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("model"), "(ensemble, PublicTest accuracy"));
            driver.findElement(By.id("file")).sendKeys(photo.toString());
            wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("li.face"), 0));
            List<WebElement> faces = driver.findElements(By.cssSelector("li.face"));
            assertTrue(faces.size() >= 1, "faces listed");
            for (WebElement face : faces) {
                assertTrue(List.of("Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral")
                        .contains(face.getAttribute("data-emotion")), face.getText());
                assertTrue(face.findElements(By.cssSelector(".bar")).size() == 7, "seven emotion bars");
            }
            assertTrue(driver.findElement(By.id("status")).getText().contains("face(s)"));
            // The canvas shows the photo at its own size, boxes drawn on it.
            Object width = driver.executeScript("return document.getElementById('view').width");
            assertTrue(((Number) width).intValue() == 800, "canvas width " + width);
            screenshot(driver, "upload");
        } finally {
            driver.quit();
        }
    }

    /** With "Show why" ticked, each face in the list gets its map: the crop with red cells drawn on a canvas. */
    @Test
    void whyMapsAppearOnRequest() throws IOException {
        assumeBrowser();
        Path photo = dir.resolve("one-face.jpg");
        Files.write(photo, TestPhotos.encode(TestPhotos.withFaces(640, 480, List.of(new int[] {4, 220, 130, 200})), "jpg"));
        ChromeDriver driver = browser();
        try {
            open(driver);
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("model"), "(ensemble, PublicTest accuracy"));
            driver.findElement(By.id("explain")).click();
            driver.findElement(By.id("file")).sendKeys(photo.toString());
            wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("li.face canvas.why"), 0));
            // The crop is drawn when its image has loaded: wait until the canvas holds some red.
            wait.until(d -> ((Number) driver.executeScript("const c = document.querySelector('canvas.why');"
                    + "const p = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let red = 0;"
                    + "for (let i = 0; i < p.length; i += 4) if (p[i] > p[i + 1] + 40 && p[i] > p[i + 2] + 40) red++; return red;"))
                    .intValue() > 100);
            assertTrue(driver.findElement(By.cssSelector("li.face .why-note")).getText().startsWith("Why "));
            screenshot(driver, "why");
        } finally {
            driver.quit();
        }
    }

    @Test
    void webcamFramesFromAFakeCameraGetBoxes() throws IOException {
        assumeBrowser();
        Path video = dir.resolve("face.y4m");
        writeY4m(video, TestPhotos.withFaces(640, 480, List.of(new int[] {4, 200, 120, 220})), 10);
        ChromeDriver driver = browser("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--use-file-for-fake-video-capture=" + video);
        try {
            open(driver);
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("model"), "(ensemble, PublicTest accuracy"));
            driver.findElement(By.id("camera")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "ms per frame"));
            wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("li.face"), 0));
            String status = driver.findElement(By.id("status")).getText();
            assertTrue(status.startsWith("webcam: "), status);
            assertTrue(driver.findElement(By.id("camera")).getText().contains("Stop"));
            screenshot(driver, "webcam");
        } finally {
            driver.quit();
        }
    }

    /**
     * Opens the page as a user does with the address fer serve printed: without the token it is a 401 (JSON), with
     * {@code ?token=} the browser is sent on to the page without it in the address, holding the session cookie, which
     * the page's own calls to the API then carry.
     */
    static void open(ChromeDriver driver) {
        String base = "http://127.0.0.1:" + server.port() + "/";
        driver.get(base);
        assertTrue(driver.getPageSource().contains("\"status\":401"), driver.getPageSource());
        driver.get(base + "?token=" + TOKEN);
        assertTrue(driver.getCurrentUrl().equals(base), "the token left the address: " + driver.getCurrentUrl());
        assertTrue(driver.manage().getCookieNamed(AccessToken.COOKIE).isHttpOnly(), "a session cookie scripts cannot read");
    }

    /** An uncompressed YUV4MPEG2 video (4:2:0) repeating one frame, which Chromium's fake camera plays in a loop. */
    static void writeY4m(Path file, BufferedImage frame, int frames) throws IOException {
        int w = frame.getWidth();
        int h = frame.getHeight();
        byte[] y = new byte[w * h];
        for (int row = 0; row < h; row++) {
            for (int col = 0; col < w; col++) {
                int rgb = frame.getRGB(col, row);
                int r = rgb >> 16 & 0xFF;
                int g = rgb >> 8 & 0xFF;
                int b = rgb & 0xFF;
                y[row * w + col] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
            }
        }
        byte[] chroma = new byte[w * h / 4];
        java.util.Arrays.fill(chroma, (byte) 128);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("YUV4MPEG2 W" + w + " H" + h + " F10:1 Ip A1:1 C420jpeg\n").getBytes(StandardCharsets.US_ASCII));
            for (int f = 0; f < frames; f++) {
                out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
                out.write(y);
                out.write(chroma);
                out.write(chroma);
            }
        }
    }
}

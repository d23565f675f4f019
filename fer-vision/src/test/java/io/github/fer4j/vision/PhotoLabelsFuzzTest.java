package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.fer4j.AllocationBudget;
import io.github.fer4j.TestData;
import io.github.fer4j.JazzerAgentAvailable;
import io.github.fer4j.data.InvalidInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the labels reader of {@code fer evaluate-photos}: any bytes give labelled photos whose paths resolve
 * against the photo folder, or an InvalidInputException naming the file.
 */
@ExtendWith(JazzerAgentAvailable.class)
class PhotoLabelsFuzzTest {
    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "60s")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void read(byte[] bytes) {
        Path file = TestData.written(dir.resolve("labels.csv"), bytes);
        AllocationBudget.reading(bytes, AllocationBudget.PLAIN, () -> {
            try {
                PhotoLabels labels = PhotoLabels.read(file);
                assertFalse(labels.entries().isEmpty(), "a labels file that reads has photos");
                for (PhotoLabels.Entry entry : labels.entries()) {
                    assertTrue(entry.line() >= 1, "line " + entry.line());
                    assertNotNull(entry.emotion());
                    // What evaluate-photos does with each photo next.
                    assertNotNull(dir.resolve(entry.photo()));
                }
            } catch (InvalidInputException e) {
                assertTrue(e.getMessage().startsWith(file + ":"), "the error names the file: " + e.getMessage());
            }
        });
    }
}

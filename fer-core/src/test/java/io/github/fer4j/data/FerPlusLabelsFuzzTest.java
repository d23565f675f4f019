package io.github.fer4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.fer4j.AllocationBudget;
import io.github.fer4j.TestData;
import io.github.fer4j.JazzerAgentAvailable;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the FER+ labels reader against a three-face FER2013 (one face per split): any labels file gives the
 * relabelled faces or an InvalidInputException naming the file.
 */
@ExtendWith(JazzerAgentAvailable.class)
class FerPlusLabelsFuzzTest {
    @TempDir
    static Path dir;

    private static final FaceSet FER2013 = new FaceSet(new byte[3 * FaceSet.PIXELS], new byte[] {0, 3, 6},
            new byte[] {(byte) Split.TRAINING.ordinal(), (byte) Split.PUBLIC_TEST.ordinal(),
                    (byte) Split.PRIVATE_TEST.ordinal()}, "fer2013.csv", "");

    @FuzzTest(maxDuration = "60s")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void labels(byte[] bytes) {
        Path file = TestData.written(dir.resolve("fer2013new.csv"), bytes);
        AllocationBudget.reading(bytes, AllocationBudget.PLAIN, () -> {
            try {
                FerPlusLabels.Result result = FerPlusLabels.apply(FER2013, file);
                assertEquals(FER2013.size(), result.faces().size() + result.dropped(), "every face kept or counted");
                for (int i = 0; i < result.faces().size(); i++) {
                    int label = result.faces().ferPlusLabel(i);
                    assertTrue(label >= 0 && label < FerPlusLabels.CLASSES.size(), "label " + label);
                }
            } catch (InvalidInputException e) {
                assertTrue(e.getMessage().startsWith(file + ":"), "the error names the file: " + e.getMessage());
            }
        });
    }
}

package io.github.fer4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.task.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FerPlusLabelsTest {
    @TempDir
    Path dir;

    static final String HEADER = "Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\n";

    @Test
    void majorityAfterDroppingSingleOutlierVotes() {
        // neutral 6 of 10: a majority.
        assertEquals(0, FerPlusLabels.majority(new int[] {6, 1, 1, 1, 0, 0, 0, 0, 1, 0}));
        // neutral 4, anger 3, disgust 2, sadness 1: the single sadness vote is dropped, 4 of 9 is no majority.
        assertEquals(-1, FerPlusLabels.majority(new int[] {4, 0, 0, 1, 3, 2, 0, 0, 0, 0}));
        // happiness 5, four single votes elsewhere: dropped, so 5 of 5.
        assertEquals(1, FerPlusLabels.majority(new int[] {1, 5, 1, 1, 1, 0, 0, 0, 0, 0}));
        // contempt 6: the eighth class.
        assertEquals(7, FerPlusLabels.majority(new int[] {2, 0, 0, 0, 0, 0, 0, 6, 2, 0}));
        // not a face 10: dropped as unknown / not a face.
        assertEquals(-2, FerPlusLabels.majority(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 10}));
        assertEquals(-1, FerPlusLabels.majority(new int[10]));
    }

    private static FaceSet fer2013(Split... splits) {
        byte[] emotions = new byte[splits.length];
        byte[] s = new byte[splits.length];
        for (int i = 0; i < splits.length; i++) {
            emotions[i] = (byte) (i % 7);
            s[i] = (byte) splits[i].ordinal();
        }
        return new FaceSet(new byte[splits.length * FaceSet.PIXELS], emotions, s, "fer2013.csv", "");
    }

    @Test
    void keepsFacesWithAMajorityAndCountsTheRest() throws IOException {
        Path csv = dir.resolve("fer2013new.csv");
        Files.writeString(csv, HEADER
                + "Training,fer0000000.png,6,1,1,1,0,0,0,0,1,0\n"
                + "Training,,0,0,0,0,0,0,0,0,0,10\n"
                + "PublicTest,fer0000002.png,4,0,0,1,3,2,0,0,0,0\n"
                + "PublicTest,fer0000003.png,0,0,0,0,0,0,0,0,0,10\n"
                + "PrivateTest,fer0000004.png,2,0,0,0,0,0,0,6,2,0\n");
        FerPlusLabels.Result result = FerPlusLabels.apply(fer2013(Split.TRAINING, Split.TRAINING, Split.PUBLIC_TEST,
                Split.PUBLIC_TEST, Split.PRIVATE_TEST), csv);
        assertEquals(2, result.faces().size());
        assertEquals(1, result.unnamed());
        assertEquals(1, result.noMajority());
        assertEquals(1, result.unknownOrNotFace());
        assertEquals(0, result.faces().ferPlusLabel(0));
        assertEquals(7, result.faces().ferPlusLabel(1));
        assertEquals(Split.PRIVATE_TEST, result.faces().split(1));
        assertEquals(4, result.faces().emotionId(1), "FER2013's own label is kept beside the FER+ one");
        // The votes behind the labels (for soft targets): the eight classes, unknown and not-a-face left out.
        assertTrue(result.faces().hasFerPlusVotes());
        assertEquals(6, result.faces().ferPlusVotes(0, 0));
        assertEquals(1, result.faces().ferPlusVotes(0, 3));
        assertEquals(6, result.faces().ferPlusVotes(1, 7));
        assertEquals(2, result.faces().ferPlusVotes(1, 0));
        FaceSet second = result.faces().subset(new int[] {1});
        assertEquals(6, second.ferPlusVotes(0, 7), "a subset keeps the votes");
        int[] labels = Task.FERPLUS.labels(result.faces(), new int[] {0, 1});
        assertEquals("Neutral", Task.FERPLUS.classNames().get(labels[0]));
        assertEquals("Contempt", Task.FERPLUS.classNames().get(labels[1]));
    }

    @Test
    void filesThatAreNotRowAlignedAreRejectedWithTheLine() throws IOException {
        Path csv = dir.resolve("fer2013new.csv");
        Files.writeString(csv, HEADER + "Training,fer0000000.png,6,1,1,1,0,0,0,0,1,0\nTraining,fer0000001.png,6,1,1,1,0,0,0,0,1,0\n");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> FerPlusLabels.apply(fer2013(Split.TRAINING, Split.PUBLIC_TEST), csv));
        assertEquals(csv + ":3: Usage 'Training' but row 2 of fer2013.csv is PublicTest: the files are not row-aligned", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> FerPlusLabels.apply(fer2013(Split.TRAINING, Split.TRAINING,
                Split.TRAINING), csv));
        assertTrue(e.getMessage().endsWith("has 2 rows but fer2013.csv has 3: FER+ labels must be row-aligned with the original fer2013.csv"),
                e.getMessage());
        Files.writeString(csv, HEADER + "Training,fer0000000.png,6,x,1,1,0,0,0,0,1,0\n");
        e = assertThrows(InvalidInputException.class, () -> FerPlusLabels.apply(fer2013(Split.TRAINING), csv));
        assertEquals(csv + ":2: vote count 'x' is not an integer", e.getMessage());
        // Found by review: counts near Integer.MAX_VALUE overflowed the majority's sums.
        Files.writeString(csv, HEADER + "Training,fer0000000.png,2147483647,2147483647,0,0,0,0,0,0,0,0\n");
        e = assertThrows(InvalidInputException.class, () -> FerPlusLabels.apply(fer2013(Split.TRAINING), csv));
        assertEquals(csv + ":2: vote count 2147483647 is more than 1000 (FER+ has ten taggers per face)", e.getMessage());
        Files.writeString(csv, "emotion,pixels,Usage\n");
        e = assertThrows(InvalidInputException.class, () -> FerPlusLabels.apply(fer2013(Split.TRAINING), csv));
        assertTrue(e.getMessage().startsWith(csv + ":1: expected the FER+ header"), e.getMessage());
    }

    @Test
    void theFerPlusTaskNeedsFerPlusLabels() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Task.FERPLUS.labels(fer2013(Split.TRAINING), new int[] {0}));
        assertTrue(e.getMessage().contains("needs FER+ labels"), e.getMessage());
    }
}

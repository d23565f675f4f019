package io.github.fer4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.data.SyntheticFaces;
import io.github.fer4j.study.SeedStudy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report drawn from a tiny synthetic study: every figure decodes at its size and the page links only to real files. */
class ReportTest {
    @TempDir
    static Path out;
    static List<Path> files;

    @BeforeAll
    static void study() throws IOException {
        new SeedStudy(new SeedStudy.Config(3, 1, 3, 1, 1), line -> { }, run -> List.of())
                .run(SyntheticFaces.generate(1500, 3), true, out);
        files = Report.render(out);
    }

    @Test
    void everyFigureIsWrittenAsPngAndSvgAndDecodesAtItsSize() throws IOException {
        long pngs = files.stream().filter(f -> f.toString().endsWith(".png")).count();
        assertEquals(pngs, files.stream().filter(f -> f.toString().endsWith(".svg")).count());
        // data 2, binary 3 losses + comparison + 2 x (PR, ROC, sweep, 2 confusions), multiclass 2 x (loss, 2 confusions,
        // per-class) + predictions, sweep 2
        // ... + 4: the reliability diagram and the class shares of each of the two 7-emotion runs.
        assertEquals(2 + 4 + 10 + 8 + 1 + 2 + 4, pngs, "figures");
        for (Path file : files) {
            assertTrue(Files.size(file) > 1000, file + " is not empty");
            if (file.toString().endsWith(".png")) {
                BufferedImage image = ImageIO.read(file.toFile());
                assertNotNull(image, file + " decodes");
                String name = file.getFileName().toString();
                if (name.endsWith("-loss.png") || name.endsWith("-pr.png") || name.endsWith("-roc.png")
                        || name.endsWith("-thresholds.png") || name.endsWith("-per-class.png")) {
                    assertEquals(Figures.WIDTH, image.getWidth(), name);
                    assertEquals(Figures.HEIGHT, image.getHeight(), name);
                }
                if (name.equals("multiclass-tuned-confusion-counts.png")) {
                    assertEquals(760, image.getWidth());
                }
            } else {
                String svg = Files.readString(file);
                assertTrue(svg.contains("<svg"), file + " is SVG");
            }
        }
    }

    @Test
    void htmlRefersOnlyToFilesThatExistAndNothingOnline() throws IOException {
        String html = Files.readString(out.resolve(Report.INDEX));
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        int refs = 0;
        while (m.find()) {
            String ref = m.group(1);
            assertTrue(!ref.contains("://"), "no network reference: " + ref);
            assertTrue(Files.isRegularFile(out.resolve(ref)), "exists: " + ref);
            refs++;
        }
        assertEquals(2 * 31, refs, "the page shows every figure and links its SVG");
        for (String section : List.of("The seeds' numbers beside ours", ">Data<", "Binary task", "Multiclass task",
                "Hyper-parameters")) {
            assertTrue(html.contains(section), section);
        }
        assertTrue(html.contains("synthetic faces"), "says the data is synthetic");
        assertTrue(html.contains("<td>0.5078</td>"), "the seeds' binary ACA is in the table");
    }

    @Test
    void renderingAgainGivesTheSamePage() throws IOException {
        String first = Files.readString(out.resolve(Report.INDEX));
        byte[] figure = Files.readAllBytes(out.resolve("figures/binary-tuned-pr.png"));
        Report.render(out);
        assertEquals(first, Files.readString(out.resolve(Report.INDEX)));
        assertEquals(figure.length, Files.readAllBytes(out.resolve("figures/binary-tuned-pr.png")).length);
    }

    @Test
    void aFolderWithoutAStudyIsRejected(@TempDir Path empty) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Report.render(empty));
        assertTrue(e.getMessage().contains("no summary.json here"), e.getMessage());
    }
}

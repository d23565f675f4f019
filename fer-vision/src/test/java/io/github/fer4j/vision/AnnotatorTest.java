package io.github.fer4j.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.data.Emotion;
import io.github.fer4j.data.SyntheticFaces;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Annotated photos composed from drawn faces: labels and bar panels cover no face and no other label or panel,
 * stay inside the image at 256x256 and at 1920x1080, and go to a strip beside the photo when it has no room.
 * The annotated photos are written to target/annotated for a person to look at, never into the repository.
 */
class AnnotatorTest {
    /** A photo to annotate: its size and the faces' squares (x, y, side). */
    record Scene(String name, int width, int height, List<int[]> faces, boolean fits) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Scene> scenes() {
        return List.of(
                new Scene("256x256-one-face", 256, 256, List.of(new int[] {40, 70, 110}), false),
                new Scene("256x256-face-filling-the-frame", 256, 256, List.of(new int[] {10, 12, 236}), false),
                new Scene("256x256-five-faces", 256, 256, List.of(new int[] {8, 20, 60}, new int[] {96, 16, 62},
                        new int[] {184, 24, 64}, new int[] {40, 150, 70}, new int[] {140, 160, 66}), false),
                new Scene("1920x1080-one-face", 1920, 1080, List.of(new int[] {700, 260, 480}), true),
                new Scene("1920x1080-five-faces", 1920, 1080, List.of(new int[] {80, 160, 260}, new int[] {500, 420, 240},
                        new int[] {900, 120, 280}, new int[] {1320, 380, 250}, new int[] {1600, 60, 220}), true),
                new Scene("640x480-box-past-the-edge", 640, 480, List.of(new int[] {-30, 300, 220}, new int[] {500, -20, 160}),
                        true));
    }

    @ParameterizedTest
    @MethodSource("scenes")
    void labelsAndPanelsCoverNothingAndStayInside(Scene scene) {
        List<RecognizedFace> faces = faces(scene);
        AnnotationLayout layout = Annotator.layout(scene.width(), scene.height(), faces);
        assertEquals(faces.size(), layout.faces().size());
        List<Region> regions = layout.regions();
        for (Region r : regions) {
            assertTrue(r.width() > 0 && r.height() > 0, scene + ": empty " + r);
            assertTrue(r.within(layout.width(), layout.height()),
                    scene + ": " + r + " outside " + layout.width() + "x" + layout.height());
        }
        for (int i = 0; i < regions.size(); i++) {
            for (int j = i + 1; j < regions.size(); j++) {
                assertFalse(regions.get(i).intersects(regions.get(j)), scene + ": " + regions.get(i) + " overlaps " + regions.get(j));
            }
        }
        // The photo keeps its place: boxes are where the faces are, clipped to the photo.
        for (int i = 0; i < faces.size(); i++) {
            assertEquals(Region.of(faces.get(i).box()).clip(scene.width(), scene.height()), layout.faces().get(i).box());
        }
        assertTrue(layout.width() >= scene.width() && layout.height() >= scene.height());
        if (scene.fits()) {
            assertEquals(scene.width(), layout.width(), scene + ": no strip needed");
            assertEquals(scene.height(), layout.height(), scene + ": no strip needed");
        } else {
            assertTrue(layout.width() > scene.width() || layout.height() > scene.height(), scene + ": a strip for the panels");
        }
    }

    @ParameterizedTest
    @MethodSource("scenes")
    void annotateDrawsLabelsAndLeavesFacesAlone(Scene scene) throws IOException {
        List<RecognizedFace> faces = faces(scene);
        BufferedImage photo = photo(scene);
        BufferedImage annotated = Annotator.annotate(photo, faces);
        AnnotationLayout layout = Annotator.layout(scene.width(), scene.height(), faces);
        assertEquals(layout.width(), annotated.getWidth(), scene.name());
        assertEquals(layout.height(), annotated.getHeight(), scene.name());
        for (AnnotationLayout.FaceLayout face : layout.faces()) {
            assertDrawn(scene + ": label " + face.number(), face.label(), photo, annotated);
            // A face whose label went to the strip keeps its number at the box.
            Region atBox = face.label().within(scene.width(), scene.height()) ? face.label() : face.tag();
            if (faces.size() > 1) {
                assertTrue(atBox != null && atBox.within(scene.width(), scene.height()), scene + ": number of face " + face.number());
                assertDrawn(scene + ": number " + face.number(), atBox, photo, annotated);
            }
            // Inside the outline, the face is the photo's own pixels.
            Region inside = face.box().grow(-6);
            for (int y = inside.y(); y < inside.bottom(); y++) {
                for (int x = inside.x(); x < inside.right(); x++) {
                    assertEquals(photo.getRGB(x, y), annotated.getRGB(x, y), scene + ": pixel drawn over face " + face.number());
                }
            }
        }
        Path dir = Path.of("target/annotated");
        Files.createDirectories(dir);
        ImageIO.write(annotated, "png", dir.resolve(scene.name() + ".png").toFile());
    }

    /** Most pixels of the region differ from the photo's (or lie past it), in more than two colours: fill and text. */
    static void assertDrawn(String what, Region region, BufferedImage photo, BufferedImage annotated) {
        Set<Integer> colours = new HashSet<>();
        int changed = 0;
        for (int y = region.y(); y < region.bottom(); y++) {
            for (int x = region.x(); x < region.right(); x++) {
                int rgb = annotated.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                boolean onPhoto = x < photo.getWidth() && y < photo.getHeight();
                if (!onPhoto || rgb != (photo.getRGB(x, y) & 0xFFFFFF)) {
                    changed++;
                }
            }
        }
        assertTrue(changed > 0.9 * region.width() * region.height(), what + " drawn");
        assertTrue(colours.size() > 2, what + " has text on its fill");
    }

    /** Faces at the scene's squares, each with a different dominant emotion and made-up probabilities. */
    static List<RecognizedFace> faces(Scene scene) {
        List<RecognizedFace> out = new ArrayList<>();
        for (int i = 0; i < scene.faces().size(); i++) {
            int[] f = scene.faces().get(i);
            Emotion dominant = Emotion.ofId((3 + 2 * i) % Emotion.COUNT);
            Map<String, Double> probabilities = new LinkedHashMap<>();
            for (Emotion e : Emotion.values()) {
                // The dominant one gets 0.40 + 0.05 i; the rest share what is left, less for later emotions.
                double share = (0.60 - 0.05 * i) * (Emotion.COUNT - e.id()) / 27.0;
                probabilities.put(e.displayName(), e == dominant ? 0.40 + 0.05 * i : share);
            }
            out.add(new RecognizedFace(new FaceBox(f[0], f[1], f[2], f[2]), probabilities, dominant.displayName(), new byte[0]));
        }
        return out;
    }

    static BufferedImage photo(Scene scene) {
        SplittableRandom random = new SplittableRandom(7);
        List<PhotoComposer.Placement> placements = new ArrayList<>();
        for (int i = 0; i < scene.faces().size(); i++) {
            int[] f = scene.faces().get(i);
            placements.add(new PhotoComposer.Placement(SyntheticFaces.draw(Emotion.ofId((3 + 2 * i) % Emotion.COUNT), random),
                    f[0], f[1], f[2]));
        }
        return PhotoComposer.compose(scene.width(), scene.height(), placements, 11);
    }
}

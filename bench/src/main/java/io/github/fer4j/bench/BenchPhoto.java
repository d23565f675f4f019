package io.github.fer4j.bench;

import io.github.fer4j.data.Emotion;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.data.Fer2013Reader;
import io.github.fer4j.data.Split;
import io.github.fer4j.data.SyntheticFaces;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Writes the one-face 640x480 JPEG the server benchmark posts: a FER2013 PublicTest face when the data is there,
 * a synthetic face otherwise. Usage: {@code BenchPhoto OUT.jpg [fer2013.csv.gz]}.
 */
public final class BenchPhoto {
    private BenchPhoto() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 1 ? args[1] : "../shared/data/fer2013.csv.gz");
        byte[] face;
        if (Files.isRegularFile(data)) {
            FaceSet faces = Fer2013Reader.read(data);
            face = faces.face(faces.indices(Split.PUBLIC_TEST)[4]);
        } else {
            face = SyntheticFaces.draw(Emotion.HAPPY, new SplittableRandom(3));
        }
        write(Path.of(args[0]), face);
    }

    /** Writes {@code face} (48x48 gray) drawn 220 px wide on a plain 640x480 background as a JPEG. */
    static void write(Path file, byte[] face) throws java.io.IOException {
        BufferedImage photo = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = photo.createGraphics();
        g.setColor(new Color(140, 150, 160));
        g.fillRect(0, 0, 640, 480);
        BufferedImage f = new BufferedImage(48, 48, BufferedImage.TYPE_BYTE_GRAY);
        f.getRaster().setDataElements(0, 0, 48, 48, face);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(f, 210, 120, 220, 220, null);
        g.dispose();
        ImageIO.write(photo, "jpg", file.toFile());
    }
}

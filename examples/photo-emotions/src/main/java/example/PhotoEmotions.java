package example;

import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.RecognizedFace;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Prints the emotions of the faces in a photo: the one given, or a smiling face it draws itself. */
public final class PhotoEmotions {
    public static void main(String[] args) throws Exception {
        Path photo = args.length > 0 ? Path.of(args[0]) : drawSmile();
        EmotionRecognizer recognizer = EmotionRecognizer.create();   // the model inside fer-models, run by ONNX Runtime
        for (RecognizedFace face : recognizer.recognize(photo)) {
            System.out.printf(Locale.ROOT, "%s: %s %.2f at %s%n", photo.getFileName(), face.dominant(),
                    face.probability(face.dominant()), face.box());
        }
    }

    /** A gray 320x320 photo of a drawn smiling face, so that the example needs no data. */
    private static Path drawSmile() throws Exception {
        BufferedImage image = new BufferedImage(320, 320, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(90, 90, 90));
        g.fillRect(0, 0, 320, 320);
        g.setColor(new Color(200, 200, 200));
        g.fillOval(70, 50, 180, 220);                        // the face
        g.setColor(new Color(40, 40, 40));
        g.fillOval(115, 120, 28, 18);                        // the eyes
        g.fillOval(177, 120, 28, 18);
        g.setStroke(new BasicStroke(7));
        g.drawArc(115, 165, 90, 60, 200, 140);               // the smile
        g.dispose();
        Path file = Files.createTempFile("smile", ".png");
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}

package io.github.fer4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.fer4j.TestData;
import io.github.fer4j.cli.Fer;
import io.github.fer4j.data.FaceSet;
import io.github.fer4j.server.EmotionServer;
import io.github.fer4j.video.VideoWriter;
import io.github.fer4j.vision.EmotionRecognizer;
import io.github.fer4j.vision.FaceBox;
import io.github.fer4j.vision.PhotoComposer;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One photo with two faces through the four front doors, each with its default options: {@code fer predict}, the REST
 * API of {@code fer serve}, {@code fer video} (the photo as every frame of a short video) and {@code fer-spark score}.
 * Each finds the same faces with the same detector; the boxes are equal where the pixels are (predict, serve, Spark
 * read the same PNG), and nearly so in the video, whose frames went through H.264.
 */
class SameFacesEverywhereTest {
    @TempDir
    Path dir;

    /** A face as one door reports it. */
    record Face(FaceBox box, String dominant, String detector) { }

    @Test
    void predictServeVideoAndSparkFindTheSameFaces() throws Exception {
        assumeTrue(TestData.fer2013().isPresent(), TestData.MISSING);
        FaceSet faces = ComposedPhotos.faces();
        BufferedImage photo = PhotoComposer.compose(640, 480, List.of(new PhotoComposer.Placement(faces.face(3), 40, 120, 200),
                new PhotoComposer.Placement(faces.face(11), 380, 100, 220)), 5);
        Path folder = Files.createDirectories(dir.resolve("photos"));
        Path png = folder.resolve("two.png");
        ImageIO.write(photo, "png", png.toFile());
        String detector = EmotionRecognizer.Options.defaults().detector().label();

        // fer predict, on the fp32 engine Spark uses.
        Path json = dir.resolve("predict.json");
        assertEquals(0, Fer.execute("predict", "--engine", "onnxruntime", "--json", json.toString(), png.toString()));
        List<Face> predicted = new ArrayList<>();
        JsonObject result = JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonArray("photos").get(0)
                .getAsJsonObject();
        for (JsonElement e : result.getAsJsonArray("faces")) {
            predicted.add(face(e.getAsJsonObject()));
        }
        assertEquals(2, predicted.size(), "both faces: " + predicted);
        for (Face f : predicted) {
            assertEquals(detector, f.detector(), "the default detector found " + f);
        }

        // The REST API, with fer serve's smallest face (80 px; these are 200 and more).
        EmotionRecognizer.Options d = EmotionRecognizer.Options.defaults();
        EmotionServer server = EmotionServer.start(EmotionRecognizer.create(EmotionRecognizer.defaultModel(), "default",
                new EmotionRecognizer.Options(d.detector(), 80, d.maxPixels(), false, d.wholeFrame(), d.align(), d.priorCorrection())),
                new EmotionServer.Settings("127.0.0.1", 0, 10 << 20, 40_000_000, 1, 4));
        List<Face> served = new ArrayList<>();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/emotions")).header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(png))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            for (JsonElement e : JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonArray("faces")) {
                served.add(face(e.getAsJsonObject()));
            }
        } finally {
            server.close();
        }
        assertEquals(boxes(predicted), boxes(served), "serve finds predict's boxes");
        assertEquals(detectors(predicted), detectors(served));

        // fer-spark score over the folder.
        SparkSession spark = LocalSpark.session();
        Path parquet = dir.resolve("faces.parquet");
        assertEquals(0, FerSpark.execute("score", "--input", folder.toString(), "--output", parquet.toString()));
        List<Row> rows = spark.read().parquet(parquet.toString()).collectAsList();
        assertEquals(1, rows.size());
        List<Face> scored = new ArrayList<>();
        for (Row f : rows.get(0).<Row>getList(1)) {
            Row b = f.getStruct(0);
            scored.add(new Face(new FaceBox(b.getInt(0), b.getInt(1), b.getInt(2), b.getInt(3)), f.getString(2), f.getString(3)));
        }
        assertEquals(predicted, scored, "Spark gives predict's faces, emotions and detector");

        // fer video: the photo as each of 15 frames; the first frame's faces.
        Path video = dir.resolve("still.mp4");
        try (VideoWriter writer = VideoWriter.create(video, 640, 480, 15)) {
            for (int i = 0; i < 15; i++) {
                writer.write(photo);
            }
            writer.finish();
        }
        Path out = dir.resolve("video");
        assertEquals(0, Fer.execute("video", video.toString(), "--out", out.toString()));
        List<String> lines = Files.readAllLines(out.resolve("frames.csv"));
        String[] header = lines.get(0).split(",");
        assertEquals("detector", header[header.length - 1], lines.get(0));
        List<Face> framed = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (Integer.parseInt(f[1]) == 0) {
                framed.add(new Face(new FaceBox(Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]),
                        Integer.parseInt(f[6])), f[f.length - 2], f[f.length - 1]));
            }
        }
        assertEquals(predicted.size(), framed.size(), "the video's first frame: " + framed);
        for (Face p : predicted) {
            Face match = framed.stream().max((a, b) -> Double.compare(a.box().iou(p.box()), b.box().iou(p.box()))).orElseThrow();
            assertTrue(match.box().iou(p.box()) > 0.85, "video box " + match.box() + " against the photo's " + p.box());
            assertEquals(p.detector(), match.detector());
        }
    }

    private static Face face(JsonObject o) {
        JsonObject b = o.getAsJsonObject("box");
        return new Face(new FaceBox(b.get("x").getAsInt(), b.get("y").getAsInt(), b.get("width").getAsInt(), b.get("height").getAsInt()),
                o.get("dominant").getAsString(), o.get("detector").getAsString());
    }

    private static List<FaceBox> boxes(List<Face> faces) {
        return faces.stream().map(Face::box).toList();
    }

    private static List<String> detectors(List<Face> faces) {
        return faces.stream().map(Face::detector).toList();
    }
}

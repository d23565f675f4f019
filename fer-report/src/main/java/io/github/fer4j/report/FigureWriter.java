package io.github.fer4j.report;

import io.github.fer4j.model.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Saves every figure twice, as {@code NAME.png} and {@code NAME.svg}, each written atomically. */
public final class FigureWriter {
    private final Path dir;
    private final List<Path> written = new ArrayList<>();

    public FigureWriter(Path dir) {
        this.dir = dir;
    }

    /** Saves a chart; returns the PNG's file name. */
    public String save(String name, Chart<?, ?> chart) throws IOException {
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        AtomicFiles.write(svg, out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out,
                VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
        written.add(png);
        written.add(svg);
        return png.getFileName().toString();
    }

    /**
     * Saves charts of the same width one above the other as one figure (one panel per face of a video, say); the SVG
     * nests each chart's own SVG at its place.
     */
    public String saveStacked(String name, List<? extends Chart<?, ?>> panels) throws IOException {
        if (panels.size() == 1) {
            return save(name, panels.get(0));
        }
        List<BufferedImage> images = new ArrayList<>();
        StringBuilder svg = new StringBuilder();
        int width = 0;
        int height = 0;
        for (Chart<?, ?> chart : panels) {
            images.add(BitmapEncoder.getBufferedImage(chart));
            ByteArrayOutputStream one = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, one, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            String text = one.toString(StandardCharsets.UTF_8);
            // Drop the XML declaration and doctype: only the root element may carry them.
            svg.append("<svg y=\"").append(height).append('"').append(text.substring(text.indexOf("<svg") + 4)).append('\n');
            width = Math.max(width, chart.getWidth());
            height += chart.getHeight();
        }
        BufferedImage stacked = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = stacked.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int y = 0;
        for (BufferedImage image : images) {
            g.drawImage(image, 0, y, null);
            y += image.getHeight();
        }
        g.dispose();
        String document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width
                + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " " + height + "\">\n" + svg + "</svg>\n";
        Path png = dir.resolve(name + ".png");
        Path svgFile = dir.resolve(name + ".svg");
        AtomicFiles.write(png, out -> ImageIO.write(stacked, "png", out));
        AtomicFiles.writeString(svgFile, document);
        written.add(png);
        written.add(svgFile);
        return png.getFileName().toString();
    }

    String save(String name, FaceGrid grid) throws IOException {
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        byte[] bytes = FaceGrid.png(grid.toImage());
        AtomicFiles.write(png, out -> out.write(bytes));
        AtomicFiles.write(svg, out -> out.write(grid.toSvg().getBytes(StandardCharsets.UTF_8)));
        written.add(png);
        written.add(svg);
        return png.getFileName().toString();
    }

    public List<Path> written() {
        return List.copyOf(written);
    }
}

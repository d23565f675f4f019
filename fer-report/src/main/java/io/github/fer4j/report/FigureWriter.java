package io.github.fer4j.report;

import io.github.fer4j.model.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    List<Path> written() {
        return List.copyOf(written);
    }
}

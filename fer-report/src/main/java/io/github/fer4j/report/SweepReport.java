package io.github.fer4j.report;

import com.google.gson.JsonObject;
import io.github.fer4j.model.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The page of a stand-alone {@code fer sweep}: both heatmaps and the table, self-contained like the report. */
public final class SweepReport {
    public static final String PAGE = "sweep.html";

    private SweepReport() {
    }

    public static Path render(Path dir, JsonObject sweep) throws IOException {
        FigureWriter figures = new FigureWriter(dir.resolve(Report.FIGURES));
        String accuracy = figures.save("sweep-accuracy", Figures.sweep("PublicTest accuracy", sweep, "accuracy"));
        String aca = figures.save("sweep-aca", Figures.sweep("PublicTest ACA", sweep, "aca"));
        String table = Report.markdownTable(Files.readString(dir.resolve("sweep.md")));
        JsonObject best = sweep.getAsJsonObject("bestByAca");
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>fer4j sweep</title><style>"
                + "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}img{max-width:100%}"
                + "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}</style></head><body>\n"
                + String.format(Locale.ROOT, "<h1>Sweep: %s on %s, %d epochs per cell</h1>%n", sweep.get("model").getAsString(),
                        sweep.get("task").getAsString(), sweep.get("epochs").getAsInt())
                + String.format(Locale.ROOT, "<p>Best by ACA: lr %s, batch %d (accuracy %.4f, ACA %.4f), on PublicTest.</p>%n",
                        Double.toString(best.get("learningRate").getAsDouble()), best.get("batchSize").getAsInt(),
                        best.get("accuracy").getAsDouble(), best.get("aca").getAsDouble())
                + "<p><img src=\"figures/" + accuracy + "\" alt=\"accuracy heatmap\"> <img src=\"figures/" + aca
                + "\" alt=\"ACA heatmap\"></p>\n" + table + "</body></html>\n";
        Path page = dir.resolve(PAGE);
        AtomicFiles.writeString(page, html);
        return page;
    }
}

package io.github.fer4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.cnn.CnnModel;
import io.github.fer4j.model.Classifier;
import io.github.fer4j.cnn.StoredCnn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The int8 ranges shipped beside the built-in models (fast, the default, and accurate) are the ones the int8 engine measures for it today, so
 * that a fresh machine opens the default model in int8 without calibrating (about 3 s) and gets the very graph it would
 * have calibrated. When the default model, the calibration faces or the calibration change, this test fails; run it
 * with {@code -Dfer4j.int8.ship=true} to write the new entries into fer-models' resources (the old ones are deleted), then
 * install fer-models and run it again.
 */
class ShippedInt8RangesTest {
    private static final Path RESOURCES = Path.of("..", "fer-models", "src", "main", "resources", "io", "github", "fer4j", "models");

    @Test
    void theDefaultModelsShippedRangesAreTheMeasuredOnes() throws Exception {
        // Every built-in model's networks (each file in the folder; networks read with other views have other graphs and
        // ranges).
        List<CnnModel> networks = new java.util.ArrayList<>();
        List<Path> files;
        try (var list = Files.list(RESOURCES)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".fer")).sorted().toList();
        }
        for (Path file : files) {
            Classifier shipped = io.github.fer4j.model.ModelFile.load(file);
            for (Classifier m : shipped instanceof io.github.fer4j.ensemble.EnsembleClassifier e ? e.members() : List.of(shipped)) {
                networks.add((CnnModel) m);
            }
        }
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (CnnModel network : networks) {
            StoredCnn stored = network.stored();
            byte[] key = Int8CalibrationCache.key(stored, OnnxInt8Engine.CALIBRATION_FACES, OnnxInt8Engine.CALIBRATION_SEED,
                    OnnxInt8Engine.CALIBRATION_QUANTILE);
            names.add(Int8CalibrationCache.entryName(key));
            Int8Calibration measured = OnnxInt8Engine.calibrate(stored);
            if (Boolean.getBoolean("fer4j.int8.ship")) {
                Int8CalibrationCache.write(RESOURCES.resolve(Int8CalibrationCache.entryName(key)), key, measured);
                continue; // checked on the next run, once the resources are rebuilt
            }
            Optional<Int8Calibration> shipped = new Int8CalibrationCache(null).find(key);
            assertTrue(shipped.isPresent(), "no int8 ranges shipped for the default model (" + Int8CalibrationCache.SHIPPED
                    + Int8CalibrationCache.entryName(key) + "); run this test with -Dfer4j.int8.ship=true to write them");
            // Measured again here, the fp32 activations may differ in their last bits from the machine that wrote the
            // file (ONNX Runtime picks its kernels by CPU: 9.710468 here against 9.71047 shipped); a stale file, from
            // another network or calibration, is off by far more.
            float[] m = measured.ranges();
            float[] d = shipped.get().ranges();
            assertEquals(m.length, d.length, "the shipped ranges are not the measured ones (another number of layers)");
            for (int i = 0; i < m.length; i++) {
                assertEquals(m[i], d[i], 1e-4 * Math.abs(m[i]), "the shipped ranges are not the measured ones at layer " + i);
            }
            assertEquals(measured.faces(), shipped.get().faces());
            assertEquals(measured.quantile(), shipped.get().quantile());
        }
        if (Boolean.getBoolean("fer4j.int8.ship")) {
            try (var entries = Files.list(RESOURCES)) {
                for (Path stale : entries.filter(p -> p.getFileName().toString().endsWith(".ranges")
                        && !names.contains(p.getFileName().toString())).toList()) {
                    Files.delete(stale);
                }
            }
            return;
        }
        try (var entries = Files.list(RESOURCES)) {
            assertEquals(names, entries.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ranges"))
                    .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)),
                    "only the built-in models' networks have entries shipped: delete the old ones");
        }
    }
}

package io.github.fer4j.cnn;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How many views of a face the network averages at test time: the centre crop alone, the centre crop and its
 * mirror, or ten crops (centre and four corners, each mirrored too). Probabilities are averaged over the views.
 */
public enum TestTimeAugmentation {
    NONE("none"),
    FLIP("flip"),
    CROPS("crops");

    private final String id;

    TestTimeAugmentation(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static TestTimeAugmentation named(String name) {
        for (TestTimeAugmentation t : values()) {
            if (t.id.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown test-time augmentation '" + name + "' (expected none, flip or crops)");
    }

    /** The views for a crop that leaves {@code margin} pixels on each side of the 48x48 face. */
    public List<Crops.View> views(int margin) {
        Crops.View centre = Crops.View.CENTRE;
        Crops.View mirror = new Crops.View(0, 0, 0, 1, true);
        return switch (this) {
            case NONE -> List.of(centre);
            case FLIP -> List.of(centre, mirror);
            case CROPS -> {
                Crops.View[] views = new Crops.View[10];
                int[][] offsets = {{0, 0}, {-margin, -margin}, {margin, -margin}, {-margin, margin}, {margin, margin}};
                for (int k = 0; k < offsets.length; k++) {
                    views[2 * k] = new Crops.View(offsets[k][0], offsets[k][1], 0, 1, false);
                    views[2 * k + 1] = new Crops.View(offsets[k][0], offsets[k][1], 0, 1, true);
                }
                yield Arrays.asList(views);
            }
        };
    }
}

package io.github.fer4j.report;

import java.awt.Color;
import java.awt.Font;

/**
 * Colours and fonts of every figure. Series use the Okabe-Ito palette, which readers with the common forms of
 * colour blindness can tell apart; heatmaps use a sequential light-to-dark blue ramp that stays light enough
 * for the black numbers printed on it.
 */
public final class Palette {
    public static final Color ORANGE = new Color(0xE69F00);
    public static final Color SKY = new Color(0x56B4E9);
    public static final Color GREEN = new Color(0x009E73);
    public static final Color BLUE = new Color(0x0072B2);
    public static final Color VERMILLION = new Color(0xD55E00);
    public static final Color PURPLE = new Color(0xCC79A7);
    public static final Color YELLOW = new Color(0xF0E442);
    public static final Color GRAY = new Color(0x999999);
    public static final Color[] SERIES = {BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, Color.BLACK, YELLOW};
    /** Sequential ramp for heatmaps (ColorBrewer "Blues", light end to mid-dark). */
    public static final Color[] SEQUENTIAL = {new Color(0xF7FBFF), new Color(0xC6DBEF), new Color(0x6BAED6), new Color(0x2171B5)};

    public static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    public static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    public static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    public static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Palette() {
    }
}

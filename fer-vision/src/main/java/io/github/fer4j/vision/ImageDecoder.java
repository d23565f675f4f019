package io.github.fer4j.vision;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.png.PngChunk;
import com.drew.imaging.png.PngChunkReader;
import com.drew.imaging.png.PngChunkType;
import com.drew.imaging.riff.RiffReader;
import com.drew.lang.ByteArrayReader;
import com.drew.lang.SequentialByteArrayReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import com.drew.metadata.webp.WebpRiffHandler;
import io.github.fer4j.data.InvalidInputException;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes photos: JPEG, PNG, BMP, GIF (first frame) and WebP (TwelveMonkeys), colour or gray, any size up to
 * a pixel limit that is checked from the header before any pixel is decoded (so a small file that declares
 * 50,000 x 50,000 pixels costs nothing). EXIF orientation is applied. Everything comes out as 8-bit BGR.
 */
public final class ImageDecoder {
    /** 40 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    /** The file suffixes of every image format this decoder reads (ImageIO's readers on the class path), lower case. */
    public static java.util.Set<String> readableSuffixes() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String suffix : javax.imageio.ImageIO.getReaderFileSuffixes()) {
            out.add(suffix.toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    private final long maxPixels;
    private final boolean allowTruncated;

    public ImageDecoder(long maxPixels, boolean allowTruncated) {
        this.maxPixels = maxPixels;
        this.allowTruncated = allowTruncated;
    }

    public ImageDecoder(long maxPixels) {
        this(maxPixels, false);
    }

    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS);
    }

    /** A decoded photo and what the decoder had to say about it (a truncated file read with allowTruncated). */
    public record Decoded(BufferedImage image, List<String> warnings) {
        public Decoded {
            warnings = List.copyOf(warnings);
        }
    }

    /** Why a file could not be decoded; {@link #tooLarge} tells the pixel-limit case apart. */
    public static final class DecodeException extends InvalidInputException {
        private static final long serialVersionUID = 1L;
        private final boolean tooLarge;

        DecodeException(String message, boolean tooLarge) {
            super(message);
            this.tooLarge = tooLarge;
        }

        public boolean tooLarge() {
            return tooLarge;
        }
    }

    public BufferedImage decode(Path file) {
        return decodeReporting(file).image();
    }

    /** Decodes bytes; {@code name} is used in error messages. */
    public BufferedImage decode(byte[] bytes, String name) {
        return decodeReporting(bytes, name).image();
    }

    /**
     * A photo for face detection alone, where colour is not needed: a JPEG whose colour is stored as YCbCr (JFIF, as
     * cameras and browsers write it) or gray, and that carries no ICC profile, is decoded straight into its luma
     * channel (TYPE_BYTE_GRAY), which skips the chroma channels and every colour conversion; its Y is OpenCV's
     * 0.299 R + 0.587 G + 0.114 B up to rounding. Any other photo comes out as {@link #decode} gives it.
     */
    public BufferedImage decodeLuma(Path file) {
        return decodeLuma(read(file), file.toString());
    }

    /** {@link #decodeLuma(Path)} for bytes; {@code name} is used in error messages. */
    public BufferedImage decodeLuma(byte[] bytes, String name) {
        return decode(bytes, name, true).image();
    }

    /** {@link #decodeLuma(Path)} with the decoder's warnings. */
    public Decoded decodeLumaReporting(Path file) {
        return decode(read(file), file.toString(), true);
    }

    /** {@link #decodeLuma(byte[], String)} with the decoder's warnings. */
    public Decoded decodeLumaReporting(byte[] bytes, String name) {
        return decode(bytes, name, true);
    }

    private static byte[] read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new DecodeException(file + ": no such file", false);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DecodeException(file + ": cannot read: " + e.getMessage(), false);
        }
    }

    /** Decodes a file, with the decoder's warnings. */
    public Decoded decodeReporting(Path file) {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                throw new DecodeException(file + ": no such file", false);
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DecodeException(file + ": cannot read: " + e.getMessage(), false);
        }
        return decodeReporting(bytes, file.toString());
    }

    /**
     * Decodes bytes, with the decoder's warnings. A file that ends before its image does (a truncated JPEG, whose
     * decoder would fill the missing rows with grey; a truncated PNG) is refused, naming how much was there, unless
     * this decoder allows truncated files: then the image holds what was decoded and a warning says so.
     */
    public Decoded decodeReporting(byte[] bytes, String name) {
        return decode(bytes, name, false);
    }

    private Decoded decode(byte[] bytes, String name, boolean luma) {
        if (bytes.length == 0) {
            throw new DecodeException(name + ": empty file", false);
        }
        BufferedImage image;
        List<String> warnings = new ArrayList<>();
        String format;
        try (ImageInputStream in = new InMemoryImageStream(bytes)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DecodeException(name + ": not an image (fer4j reads JPEG, PNG, BMP, GIF and WebP)", false);
            }
            ImageReader reader = readers.next();
            format = reader.getFormatName().toLowerCase(Locale.ROOT);
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > maxPixels) {
                    throw new DecodeException(String.format(Locale.ROOT, "%s: image is %d x %d = %.1f megapixels, over the limit of %.1f",
                            name, width, height, width * height / 1e6, maxPixels / 1e6), true);
                }
                List<String> readerWarnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> readerWarnings.add(warning));
                // Decoding into our own image keeps the rows read so far when the data ends early.
                ImageReadParam param = reader.getDefaultReadParam();
                Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                BufferedImage destination = types.hasNext() ? types.next().createBufferedImage((int) width, (int) height) : null;
                boolean lumaOnly = luma && destination != null && "jpeg".equals(format) && JpegMarkers.lumaIsGray(bytes);
                if (lumaOnly) {
                    // The JDK's JPEG reader then asks libjpeg for the luma channel alone (out_color_space GRAYSCALE).
                    destination = new BufferedImage((int) width, (int) height, BufferedImage.TYPE_BYTE_GRAY);
                }
                param.setDestination(destination);
                String truncated = null;
                try {
                    image = reader.read(0, param);
                    truncated = readerWarnings.stream().filter(ImageDecoder::meansTruncated).findFirst().orElse(null);
                } catch (IOException e) {
                    if (destination == null || !endedEarly(e)) {
                        throw e;
                    }
                    image = destination;
                    truncated = e.getMessage() + (e.getCause() != null && e.getCause().getMessage() != null
                            ? ": " + e.getCause().getMessage() : "");
                }
                if (truncated != null) {
                    String what = String.format(Locale.ROOT, "truncated image: the file ends after %,d bytes, before its %d x %d "
                            + "pixels are complete (%s)", bytes.length, width, height, truncated);
                    if (!allowTruncated) {
                        throw new DecodeException(name + ": " + what + "; --allow-truncated decodes what is there", false);
                    }
                    warnings.add(what + "; decoded what was there, the rest is blank");
                }
            } finally {
                reader.dispose();
            }
        } catch (DecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DecodeException(name + ": corrupt or truncated image (" + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")", false);
        }
        if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
            throw new DecodeException(name + ": the image has no pixels", false);
        }
        BufferedImage upright = orient(image, orientation(bytes, format));
        return new Decoded(luma && upright.getType() == BufferedImage.TYPE_BYTE_GRAY ? upright : toBgr(upright), warnings);
    }

    /** The JPEG decoder's words for data that stops before the image does. */
    private static boolean meansTruncated(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("truncated") || w.contains("premature end");
    }

    /** Whether a decoder failed because the data ran out (an EOFException somewhere in the chain). */
    private static boolean endedEarly(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    /**
     * EXIF orientation 1..8, or 1 when there is none. Only the EXIF data is read. PNG and WebP chunk sizes come from
     * the file, so they are read with metadata-extractor's byte-array readers, which check a size against the data
     * before allocating it (its stream readers allocate first: 128 MB for a 737-byte WebP); JPEG segments are at most
     * 64 KB, so a stream is safe there.
     */
    private static int orientation(byte[] bytes, String format) {
        try {
            Metadata metadata = new Metadata();
            switch (format) {
                case "jpeg" -> metadata = JpegMetadataReader.readMetadata(new ByteArrayInputStream(bytes), List.of(new ExifReader()));
                case "webp" -> new RiffReader().processRiff(new SequentialByteArrayReader(bytes), new WebpRiffHandler(metadata));
                case "png" -> {
                    for (PngChunk chunk : new PngChunkReader().extract(new SequentialByteArrayReader(bytes), Set.of(PngChunkType.eXIf))) {
                        new ExifReader().extract(new ByteArrayReader(chunk.getBytes()), metadata);
                    }
                }
                default -> {
                    return 1; // BMP and GIF carry no EXIF
                }
            }
            ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (exif != null && exif.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                return exif.getInt(ExifIFD0Directory.TAG_ORIENTATION);
            }
        } catch (Exception e) {
            // No readable metadata: the pixels are shown as stored.
        }
        return 1;
    }

    /** Applies an EXIF orientation so that the image is upright. */
    static BufferedImage orient(BufferedImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = orientation >= 5;
        // Maps stored pixels to upright ones: AffineTransform(m00, m10, m01, m11, m02, m12).
        AffineTransform t = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);   // mirror left-right
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);  // rotate 180
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);   // mirror top-bottom
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);    // transpose
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);   // rotate 90 clockwise
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);  // transverse
            default -> new AffineTransform(0, -1, 1, 0, 0, w);  // 8: rotate 90 counter-clockwise
        };
        // A gray image stays gray (its levels are copied, not colour-managed); anything else becomes BGR.
        int type = image.getType() == BufferedImage.TYPE_BYTE_GRAY ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, type);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, t, null);
        g.dispose();
        return out;
    }

    static BufferedImage toBgr(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, java.awt.Color.WHITE, null);
        g.dispose();
        return out;
    }
}

package io.github.fer4j.vision;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/** Conversions between Java images and OpenCV matrices. */
public final class Images {
    private Images() {
    }

    /**
     * An image as an 8-bit gray matrix (OpenCV's weights 0.299 R + 0.587 G + 0.114 B, like FER2013's tools). A gray
     * image ({@link ImageDecoder#decodeLuma}) is copied as it is: drawing it into BGR first, as any other type is,
     * would only repeat each level three times.
     */
    public static Mat gray(BufferedImage bgr) {
        if (bgr.getType() == BufferedImage.TYPE_BYTE_GRAY && bgr.getRaster().getParent() == null
                && bgr.getSampleModel() instanceof ComponentSampleModel sm && sm.getScanlineStride() == bgr.getWidth()
                && sm.getPixelStride() == 1 && ((DataBufferByte) bgr.getRaster().getDataBuffer()).getOffset() == 0) {
            byte[] levels = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
            if (levels.length == bgr.getWidth() * bgr.getHeight()) {
                return gray(levels, bgr.getWidth(), bgr.getHeight());
            }
        }
        BufferedImage image = ImageDecoder.toBgr(bgr);
        byte[] bytes = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        Mat color = new Mat(image.getHeight(), image.getWidth(), opencv_core.CV_8UC3);
        color.data().put(bytes);
        Mat gray = new Mat();
        opencv_imgproc.cvtColor(color, gray, opencv_imgproc.COLOR_BGR2GRAY);
        return gray;
    }

    /** A gray matrix from row-major bytes. */
    static Mat gray(byte[] pixels, int width, int height) {
        Mat m = new Mat(height, width, opencv_core.CV_8UC1);
        m.data().put(pixels);
        return m;
    }

    static byte[] bytes(Mat gray) {
        byte[] out = new byte[gray.cols() * gray.rows()];
        Mat continuous = gray.isContinuous() ? gray : gray.clone();
        BytePointer data = continuous.data();
        data.get(out);
        return out;
    }
}

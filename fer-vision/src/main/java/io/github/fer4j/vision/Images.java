package io.github.fer4j.vision;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/** Conversions between Java images and OpenCV matrices. */
public final class Images {
    private Images() {
    }

    /** A BGR image as an 8-bit gray matrix (OpenCV's weights 0.299 R + 0.587 G + 0.114 B, like FER2013's tools). */
    public static Mat gray(BufferedImage bgr) {
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

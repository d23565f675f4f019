package io.github.fer4j.video;

import io.github.fer4j.vision.RecognizedFace;

/** A face in one frame with the id it keeps across the frames of a video (from 1). */
public record TrackedFace(int id, RecognizedFace face) {
}

package io.github.fer4j.data;

/** Receives progress of a long load: how much of the input has been read so far, out of how much. */
@FunctionalInterface
public interface LoadProgress {
    LoadProgress NONE = (done, total) -> { };

    void update(long done, long total);
}

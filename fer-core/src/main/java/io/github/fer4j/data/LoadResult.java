package io.github.fer4j.data;

import java.util.List;

/**
 * What a reader gives back: the faces, whether the source said which split each face belongs to, and the
 * bad rows or files it skipped (only when asked to skip them).
 */
public record LoadResult(FaceSet faces, boolean hadSplits, int skippedRows, List<String> skippedReasons) { }

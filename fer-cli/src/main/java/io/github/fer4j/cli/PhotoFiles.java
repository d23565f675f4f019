package io.github.fer4j.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import io.github.fer4j.vision.ImageDecoder;

/**
 * Expands what a user names on the command line (files, folders, glob patterns) into photo files. A folder scan takes
 * every file whose name ends in a suffix the decoder reads (ImageIO's readers: JPEG, PNG, BMP, GIF, WBMP, TIFF and
 * WebP here) and counts the files it passes over, by suffix, so that nothing is skipped silently.
 */
final class PhotoFiles {
    /** The photos found, the arguments that matched nothing, and the files a folder scan passed over by suffix. */
    record Expanded(List<Path> photos, List<String> unmatched, SortedMap<String, Integer> skipped) {
        /** One line on the files passed over, or empty when there were none. */
        Optional<String> skippedLine() {
            if (skipped.isEmpty()) {
                return Optional.empty();
            }
            int total = skipped.values().stream().mapToInt(Integer::intValue).sum();
            List<String> parts = new ArrayList<>();
            skipped.forEach((suffix, n) -> parts.add(n + " " + suffix));
            return Optional.of(String.format(Locale.ROOT, "skipped %d file%s in the folders given, not images by their names "
                    + "(%s); name a file directly to try it anyway", total, total == 1 ? "" : "s", String.join(", ", parts)));
        }
    }

    private PhotoFiles() {
    }

    static boolean isPhoto(Path p) {
        return ImageDecoder.readableSuffixes().contains(suffix(p));
    }

    /** The lower-case suffix after the last dot ("" when there is none). */
    private static String suffix(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    static Expanded expand(List<String> arguments) throws IOException {
        List<Path> photos = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        SortedMap<String, Integer> skipped = new TreeMap<>();
        for (String argument : arguments) {
            Path path = Path.of(argument);
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        if (isPhoto(file)) {
                            photos.add(file);
                        } else {
                            skipped.merge(suffix(file).isEmpty() ? "without a suffix" : "." + suffix(file), 1, Integer::sum);
                        }
                    }
                }
            } else if (Files.exists(path)) {
                photos.add(path);
            } else if (argument.chars().anyMatch(c -> c == '*' || c == '?' || c == '[')) {
                List<Path> matched = glob(argument);
                if (matched.isEmpty()) {
                    unmatched.add(argument);
                }
                photos.addAll(matched);
            } else {
                unmatched.add(argument);
            }
        }
        return new Expanded(photos, unmatched, skipped);
    }

    /**
     * Where a glob's fixed folder ends: the last separator before its first wildcard ({@code before}), -1 when there is
     * none. '/' everywhere; on Windows ({@code separator} '\\') also '\\', so that {@code C:\\shots\\*.jpg} searches
     * {@code C:\\shots\\}. A drive with no folder ({@code C:*.jpg}) is a prefix too.
     */
    static int lastSeparator(String pattern, int before, char separator) {
        int slash = pattern.lastIndexOf('/', before);
        if (separator == '\\') {
            slash = Math.max(slash, pattern.lastIndexOf('\\', before));
            if (slash < 0 && pattern.length() >= 2 && Character.isLetter(pattern.charAt(0)) && pattern.charAt(1) == ':'
                    && before >= 2) {
                slash = 1;
            }
        }
        return slash;
    }

    /** Files matching a glob such as {@code photos/*.jpg} or {@code shots/**.png}, searched from its fixed prefix. */
    private static List<Path> glob(String pattern) throws IOException {
        int firstWild = pattern.length();
        for (char c : new char[] {'*', '?', '['}) {
            int i = pattern.indexOf(c);
            if (i >= 0) {
                firstWild = Math.min(firstWild, i);
            }
        }
        int slash = lastSeparator(pattern, firstWild, java.io.File.separatorChar);
        Path base = slash < 0 ? Path.of(".") : Path.of(pattern.substring(0, slash + 1));
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        try (Stream<Path> files = Files.walk(base)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> matcher.matches(slash < 0 ? base.relativize(p) : p))
                    .sorted().toList();
        }
    }
}

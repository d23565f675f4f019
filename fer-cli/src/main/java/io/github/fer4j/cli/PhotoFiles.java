package io.github.fer4j.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Expands what a user names on the command line (files, folders, glob patterns) into photo files. */
final class PhotoFiles {
    static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp");

    /** The photos found, and the arguments that matched nothing. */
    record Expanded(List<Path> photos, List<String> unmatched) { }

    private PhotoFiles() {
    }

    static boolean isPhoto(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    static Expanded expand(List<String> arguments) throws IOException {
        List<Path> photos = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (String argument : arguments) {
            Path path = Path.of(argument);
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    files.filter(Files::isRegularFile).filter(PhotoFiles::isPhoto).sorted().forEach(photos::add);
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
        return new Expanded(photos, unmatched);
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
        int slash = pattern.lastIndexOf('/', firstWild);
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

package io.github.fer4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Where a photo glob's fixed folder ends, on Linux and on Windows: only Linux runs here, so the separator is passed in
 * and the Windows forms (backslashes, drive letters) are worked by hand.
 */
class PhotoFilesTest {
    private static int split(String pattern, char separator) {
        int firstWild = pattern.indexOf('*') >= 0 ? pattern.indexOf('*') : pattern.length();
        return PhotoFiles.lastSeparator(pattern, firstWild, separator);
    }

    @Test
    void slashesEndTheFolderEverywhere() {
        assertEquals(6, split("photos/*.jpg", '/'));            // "photos/" is searched
        assertEquals(11, split("/data/shots/**.png", '/'));     // "/data/shots/"
        assertEquals(-1, split("*.jpg", '/'));                  // the working folder
        assertEquals(6, split("photos/*.jpg", '\\'));           // Windows takes '/' too
    }

    @Test
    void onWindowsBackslashesAndDrivesEndItToo() {
        assertEquals(8, split("C:\\shots\\*.jpg", '\\'));        // "C:\shots\"
        assertEquals(2, split("C:\\*.jpg", '\\'));               // "C:\"
        assertEquals(1, split("C:*.jpg", '\\'));                 // "C:", the drive's current folder
        assertEquals(10, split("\\\\server\\p\\*.png", '\\'));  // "\\server\p\"
        assertEquals(-1, split("C:\\shots\\*.jpg", '/'), "on Linux a backslash is part of a file name");
    }
}

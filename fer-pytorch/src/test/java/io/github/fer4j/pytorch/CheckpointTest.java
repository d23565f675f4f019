package io.github.fer4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fer4j.data.InvalidInputException;
import io.github.fer4j.model.ModelFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged checkpoint is an InvalidInputException naming the file, whatever is wrong in it. */
class CheckpointTest {
    @TempDir
    Path dir;

    private Path checkpoint(String name, byte[] state) throws IOException {
        Path file = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            ModelFile.put(zip, "state.json", state);
            for (String entry : new String[] {"parameters.djl", "best.djl", "optimizer.bin"}) {
                ModelFile.put(zip, entry, new byte[] {1, 2, 3});
            }
        }
        return file;
    }

    private String message(String name, String state) throws IOException {
        Path file = checkpoint(name, state.getBytes(StandardCharsets.UTF_8));
        String message = assertThrows(InvalidInputException.class, () -> Checkpoint.read(file)).getMessage();
        assertTrue(message.startsWith(file + ": "), message);
        return message.substring(file.toString().length() + 2);
    }

    @Test
    void stateFieldsOfTheWrongTypeAreRefused() throws IOException {
        String head = "{\"format\": \"fer4j-cnn-checkpoint\", ";
        // Each of these escaped as ClassCastException, NumberFormatException or a null run before.
        assertTrue(message("run.ckpt", head + "\"run\": 1, \"history\": []}").startsWith("damaged checkpoint state.json: "));
        assertEquals("damaged checkpoint state.json: no run settings", message("norun.ckpt", head + "\"history\": []}"));
        assertTrue(message("epoch.ckpt", head + "\"run\": {}, \"history\": [], \"epoch\": \"two\"}")
                .startsWith("damaged checkpoint state.json: "));
        assertEquals("damaged checkpoint state.json: an empty history row",
                message("row.ckpt", head + "\"run\": {}, \"history\": [null]}"));
    }

    @Test
    void aStateThatInflatesFarBeyondItsSizeIsRefused() throws IOException {
        Path bomb = checkpoint("bomb.ckpt", new byte[50 << 20]);
        String message = assertThrows(InvalidInputException.class, () -> Checkpoint.read(bomb)).getMessage();
        assertTrue(message.startsWith(bomb + ": cannot read checkpoint: entries inflate to over 100 times"), message);
    }
}

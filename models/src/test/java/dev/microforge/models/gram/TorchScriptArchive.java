package dev.microforge.models.gram;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript model file ({@code torch.jit.save} format) from TorchScript source, without Python: the test
 * environment has no PyTorch, so the tests build their model the way libtorch reads one (PyTorch's
 * {@code torch/csrc/jit/docs/serialization.md}): a zip archive (entries stored, under one top folder) holding
 * {@code version}, {@code code/__torch__.py} (the class, with its attributes declared and its methods in
 * TorchScript), {@code data.pkl} (the module object pickled with protocol 2: an instance of {@code
 * __torch__.<Class>} whose state is {@code {"training": False}}) and {@code constants.pkl} (an empty tuple: the
 * module holds no tensors; its weights are computed in {@code forward}).
 */
final class TorchScriptArchive {

    private TorchScriptArchive() {}

    /**
     * Writes the archive.
     *
     * @param file the {@code .pt} file
     * @param className the module's class name (a Python identifier)
     * @param methods the class body after the attribute declarations: TorchScript methods indented by two spaces
     * @throws IOException if the file cannot be written
     */
    static void write(Path file, String className, String methods) throws IOException {
        String folder = "archive/";
        String code = "class " + className + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + methods;
        try (OutputStream raw = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(raw)) {
            stored(zip, folder + "data.pkl", modulePickle(className));
            stored(zip, folder + "code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            stored(zip, folder + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', 'q', 0, '.'});
            stored(zip, folder + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Pickle protocol 2 of {@code __torch__.<className>()} with state {@code {"training": False}}. */
    private static byte[] modulePickle(String className) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80); // PROTO 2
        out.write(2);
        out.write('c'); // GLOBAL module \n name \n
        out.writeBytes(("__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
        out.write('q'); // BINPUT 0
        out.write(0);
        out.write(')'); // EMPTY_TUPLE
        out.write(0x81); // NEWOBJ
        out.write('q'); // BINPUT 1
        out.write(1);
        out.write('}'); // EMPTY_DICT
        out.write('q'); // BINPUT 2
        out.write(2);
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        out.write('X'); // BINUNICODE, 4-byte little-endian length
        out.write(key.length);
        out.write(0);
        out.write(0);
        out.write(0);
        out.writeBytes(key);
        out.write('q'); // BINPUT 3
        out.write(3);
        out.write(0x89); // NEWFALSE
        out.write('s'); // SETITEM
        out.write('b'); // BUILD
        out.write('.'); // STOP
        return out.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}

package dev.microforge.datasets.io;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import dev.microforge.datasets.MemoryBudget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * A zip archive holding exactly one TIFF stack (how the TauFactor 500³ benchmark volume ships). macOS resource
 * entries ({@code __MACOSX/}, {@code ._name}) and folders are ignored. The entry is inflated into memory when its
 * size is known and fits the heap (one extra copy of the file: 125 MB for 500³), otherwise into a temporary file
 * that is deleted afterwards.
 */
public final class ZippedTiff {
    private ZippedTiff() {
    }

    /**
     * Reads the single TIFF inside {@code zip}.
     *
     * @throws VolumeFormatException when the archive is corrupt or holds no TIFF or several
     */
    public static Samples read(Path zip, ProgressListener progress) throws IOException {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            List<ZipEntry> tiffs = new ArrayList<>();
            Enumeration<? extends ZipEntry> entries = archive.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                String base = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
                if (e.isDirectory() || name.startsWith("__MACOSX/") || base.startsWith("._")) {
                    continue;
                }
                if (base.endsWith(".tif") || base.endsWith(".tiff")) {
                    tiffs.add(e);
                }
            }
            if (tiffs.size() != 1) {
                List<String> names = new ArrayList<>();
                tiffs.forEach(t -> names.add(t.getName()));
                throw new VolumeFormatException(zip + (tiffs.isEmpty()
                        ? ": zip holds no .tif/.tiff file; put exactly one TIFF stack in it"
                        : ": zip holds " + tiffs.size() + " TIFF files " + names
                                + "; unzip it and read the one you want"));
            }
            ZipEntry entry = tiffs.get(0);
            String source = zip + "!" + entry.getName();
            long size = entry.getSize();
            if (size >= 0 && size <= MemoryBudget.MAX_ARRAY_LENGTH && size < MemoryBudget.availableBytes() / 3) {
                byte[] data = new byte[(int) size];
                try (InputStream in = archive.getInputStream(entry)) {
                    int read = 0;
                    while (read < data.length) {
                        int n = in.read(data, read, Math.min(1 << 22, data.length - read));
                        if (n < 0) {
                            throw new VolumeFormatException(source + ": zip entry ends after " + read + " of "
                                    + size + " bytes");
                        }
                        read += n;
                        progress.progress("inflating " + entry.getName(), read, size);
                    }
                }
                try (ImageInputStream in = new ByteArrayImageInputStream(data)) {
                    return TiffCodec.read(in, source, progress);
                }
            }
            Path tmp = Files.createTempFile("microforge-", ".tif");
            try {
                try (InputStream in = archive.getInputStream(entry)) {
                    Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                try (ImageInputStream in = new FileImageInputStream(tmp.toFile())) {
                    return TiffCodec.read(in, source, progress);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (ZipException e) {
            throw new VolumeFormatException(zip + ": corrupt zip archive: " + e.getMessage(), e);
        }
    }
}

package dev.microforge.datasets.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import javax.imageio.stream.ImageInputStream;

/**
 * Checks the layout of a TIFF or BigTIFF file before it is decoded: the IFD chain (every directory inside the file,
 * no loops) and every strip or tile (offset + byte count inside the file). This is the part TwelveMonkeys does not
 * do: on a truncated file it silently returns fewer pages, or zero-fills a strip cut short, where a volume reader
 * must say the file is damaged. Cost: reads only the directories and the offset tables, not the pixel data.
 *
 * <p>Format: TIFF 6.0 (Adobe, 1992), section 2 (header, IFD entries of 12 bytes, 4-byte offsets) and BigTIFF
 * (Aware Systems, 2004: magic 43, 8-byte offsets, 20-byte entries).
 */
final class TiffStructure {
    private static final int MAX_PAGES = 1 << 20;

    private TiffStructure() {
    }

    /**
     * Walks the file and returns its number of pages (IFDs).
     *
     * @param name the source, for messages
     * @throws VolumeFormatException naming the page and byte offset of the first fault
     */
    static int check(ImageInputStream in, String name) throws IOException {
        long length = in.length();
        ByteOrder saved = in.getByteOrder();
        try {
            in.seek(0);
            int b0 = in.read();
            int b1 = in.read();
            if (b0 == 'I' && b1 == 'I') {
                in.setByteOrder(ByteOrder.LITTLE_ENDIAN);
            } else if (b0 == 'M' && b1 == 'M') {
                in.setByteOrder(ByteOrder.BIG_ENDIAN);
            } else {
                throw new VolumeFormatException(name + ": not a TIFF file (no II/MM byte-order mark)");
            }
            int magic = in.readUnsignedShort();
            boolean big;
            long first;
            if (magic == 42) {
                big = false;
                first = in.readUnsignedInt();
            } else if (magic == 43) {
                big = true;
                int offsetSize = in.readUnsignedShort();
                in.readUnsignedShort();
                if (offsetSize != 8) {
                    throw new VolumeFormatException(name + ": BigTIFF header declares " + offsetSize
                            + "-byte offsets; only 8 is defined");
                }
                first = in.readLong();
            } else {
                throw new VolumeFormatException(name + ": TIFF magic number is " + magic + ", expected 42 or 43");
            }
            if (first == 0) {
                throw new VolumeFormatException(name + ": TIFF holds no image (first directory offset is 0)");
            }
            Set<Long> seen = new HashSet<>();
            int page = 0;
            for (long ifd = first; ifd != 0; page++) {
                if (page >= MAX_PAGES) {
                    throw new VolumeFormatException(name + ": more than " + MAX_PAGES + " pages; the file is damaged");
                }
                if (!seen.add(ifd)) {
                    throw new VolumeFormatException(String.format(Locale.ROOT,
                            "%s: the directory of page %d points back to offset %d (a loop); the file is damaged",
                            name, page, ifd));
                }
                ifd = checkDirectory(in, name, page, ifd, big, length);
            }
            return page;
        } catch (EOFException e) {
            throw new VolumeFormatException(name + ": TIFF ends inside a directory (truncated file)", e);
        } finally {
            in.setByteOrder(saved);
            in.seek(0);
        }
    }

    /** Checks one IFD and its data; returns the offset of the next IFD (0 at the end). */
    private static long checkDirectory(ImageInputStream in, String name, int page, long ifd, boolean big, long length)
            throws IOException {
        int entrySize = big ? 20 : 12;
        int countSize = big ? 8 : 2;
        int nextSize = big ? 8 : 4;
        if (ifd < 8 || (length >= 0 && ifd + countSize > length)) {
            throw truncated(name, page, "its directory at offset " + ifd, length);
        }
        in.seek(ifd);
        long entries = big ? in.readLong() : in.readUnsignedShort();
        long end = ifd + countSize + entries * entrySize + nextSize;
        if (entries < 0 || entries > 65535 || (length >= 0 && end > length)) {
            throw truncated(name, page, "its directory of " + entries + " entries at offset " + ifd, length);
        }
        long[] stripOffsets = null;
        long[] stripCounts = null;
        long[] tileOffsets = null;
        long[] tileCounts = null;
        for (int e = 0; e < entries; e++) {
            long at = ifd + countSize + (long) e * entrySize;
            in.seek(at);
            int tag = in.readUnsignedShort();
            int type = in.readUnsignedShort();
            long count = big ? in.readLong() : in.readUnsignedInt();
            if (tag == 273 || tag == 279 || tag == 324 || tag == 325) {
                long[] values = readIntegers(in, name, page, tag, type, count, big, at + (big ? 12 : 8), length);
                switch (tag) {
                    case 273: stripOffsets = values; break;
                    case 279: stripCounts = values; break;
                    case 324: tileOffsets = values; break;
                    default: tileCounts = values; break;
                }
            }
        }
        checkData(name, page, "strip", stripOffsets, stripCounts, length);
        checkData(name, page, "tile", tileOffsets, tileCounts, length);
        in.seek(ifd + countSize + entries * entrySize);
        return big ? in.readLong() : in.readUnsignedInt();
    }

    private static long[] readIntegers(ImageInputStream in, String name, int page, int tag, int type, long count,
            boolean big, long valueField, long length) throws IOException {
        int size;
        switch (type) {
            case 3: size = 2; break;   // SHORT
            case 4: size = 4; break;   // LONG
            case 16: size = 8; break;  // LONG8 (BigTIFF)
            default:
                throw new VolumeFormatException(String.format(Locale.ROOT,
                        "%s: page %d: tag %d has type %d where offsets and byte counts must be integers",
                        name, page, tag, type));
        }
        if (count < 0 || count > (1 << 24)) {
            throw new VolumeFormatException(String.format(Locale.ROOT,
                    "%s: page %d: tag %d declares %d values; the file is damaged", name, page, tag, count));
        }
        long bytes = count * size;
        long offset = valueField;
        if (bytes > (big ? 8 : 4)) {
            in.seek(valueField);
            offset = big ? in.readLong() : in.readUnsignedInt();
            if (length >= 0 && (offset < 0 || offset + bytes > length)) {
                throw truncated(name, page, "the table of tag " + tag + " at offset " + offset, length);
            }
        }
        in.seek(offset);
        long[] values = new long[(int) count];
        for (int i = 0; i < count; i++) {
            values[i] = size == 2 ? in.readUnsignedShort() : size == 4 ? in.readUnsignedInt() : in.readLong();
        }
        return values;
    }

    private static void checkData(String name, int page, String kind, long[] offsets, long[] counts, long length)
            throws VolumeFormatException {
        if (offsets == null || counts == null || length < 0) {
            return;
        }
        if (offsets.length != counts.length) {
            throw new VolumeFormatException(String.format(Locale.ROOT,
                    "%s: page %d has %d %s offsets but %d byte counts; the file is damaged", name, page,
                    offsets.length, kind, counts.length));
        }
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] < 0 || counts[i] < 0 || offsets[i] + counts[i] > length) {
                throw truncated(name, page, String.format(Locale.ROOT, "%s %d (bytes %d..%d)", kind, i, offsets[i],
                        offsets[i] + counts[i]), length);
            }
        }
    }

    private static VolumeFormatException truncated(String name, int page, String what, long length) {
        return new VolumeFormatException(String.format(Locale.ROOT,
                "%s: page %d: %s lies beyond the end of the file (%d bytes); the file is truncated or damaged",
                name, page, what, length));
    }
}

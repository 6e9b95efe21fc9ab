package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import picocli.CommandLine;

/**
 * A box of voxels given on the command line as {@code x0,y0,z0,sx,sy,sz}: origin and size in voxels.
 *
 * @param x0 first x
 * @param y0 first y
 * @param z0 first z
 * @param sx size along x
 * @param sy size along y
 * @param sz size along z
 */
record CropBox(int x0, int y0, int z0, int sx, int sy, int sz) {

    /**
     * Parses {@code x0,y0,z0,sx,sy,sz}.
     *
     * @throws IllegalArgumentException naming the text when it is not six integers, an origin is negative or a
     *     size is below 1
     */
    static CropBox parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(",", -1);
        int[] v = new int[6];
        boolean ok = parts.length == 6;
        for (int i = 0; ok && i < 6; i++) {
            try {
                v[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("'" + text + "' is not six integers x0,y0,z0,sx,sy,sz "
                    + "(origin and size in voxels, e.g. --crop 0,0,0,64,64,64)");
        }
        if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 1 || v[4] < 1 || v[5] < 1) {
            throw new IllegalArgumentException("'" + text + "' needs an origin of at least 0 and sizes of at "
                    + "least 1 (x0,y0,z0,sx,sy,sz)");
        }
        return new CropBox(v[0], v[1], v[2], v[3], v[4], v[5]);
    }

    /** The part of {@code volume} inside this box; the message names {@code source} when the box sticks out. */
    Volume apply(Volume volume, String source) {
        try {
            return volume.crop(x0, y0, z0, sx, sy, sz);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage() + "; fix --crop x0,y0,z0,sx,sy,sz", e);
        }
    }

    /** picocli converter, so that a malformed box is a usage error reported before any file is read. */
    static final class Converter implements CommandLine.ITypeConverter<CropBox> {
        @Override
        public CropBox convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}

package dev.microforge.datasets.io;

import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageWriterSpi;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeTooLargeException;
import dev.microforge.datasets.VoxelSize;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferFloat;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferShort;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.IIOImage;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.FileImageOutputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * Multi-page TIFF stacks: one page per z, rows = y, columns = x, so the file's sample order is the {@link Volume}
 * order.
 *
 * <p><b>Reading</b> uses TwelveMonkeys {@code imageio-tiff} 3.15, which passes every file of the reference data
 * (including a big-endian file that tifffile 2023.2 cannot parse) and covers 1-bit bilevel, 8- and 16-bit unsigned,
 * signed 8/16-bit, 32-bit float; uncompressed, PackBits, Deflate (compression 8 and 32946), LZW with or without the
 * horizontal predictor; strips and tiles; both byte orders; BigTIFF. This class adds what a volume reader needs on
 * top: every page must have the size and sample type of the first; sizes are checked against the heap before
 * anything is allocated; colour (RGB) pages are refused with a message; and any failure of the decoder on a corrupt
 * file, whatever its exception type, is reported as a {@link VolumeFormatException} naming the file and page.
 *
 * <p>Voxel size is read only from ImageJ metadata (an {@code ImageDescription} starting {@code ImageJ=} with
 * {@code unit=micron|um|nm|mm}, {@code spacing=} for z and {@code XResolution}/{@code YResolution} in pixels per
 * unit), which is what this class writes. Other resolution tags are ignored: most writers put a default 72 dpi
 * there, and the voxel size is never guessed.
 *
 * <p><b>Writing</b> produces an 8-bit greyscale stack (Deflate by default) with ImageJ metadata, so ImageJ/Fiji
 * opens it as a z-stack with the voxel size in micrometres. Memory: one page buffer ({@code nx * ny} bytes) beside
 * the volume.
 */
public final class TiffCodec {
    private static final Pattern IMAGEJ_UNIT = Pattern.compile("(?m)^unit=(\\S+)");
    private static final Pattern IMAGEJ_SPACING = Pattern.compile("(?m)^spacing=([0-9.eE+-]+)");

    private TiffCodec() {
    }

    /** Compression of written TIFF stacks. */
    public enum Compression {
        NONE("None"), DEFLATE("Deflate"), PACKBITS("PackBits"), LZW("LZW");

        private final String imageIoName;

        Compression(String imageIoName) {
            this.imageIoName = imageIoName;
        }

        /**
         * Parses {@code none}, {@code deflate}, {@code packbits}, {@code lzw} (any case).
         *
         * @throws IllegalArgumentException listing the choices
         */
        public static Compression parse(String text) {
            for (Compression c : values()) {
                if (c.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                    return c;
                }
            }
            throw new IllegalArgumentException("TIFF compression must be none, deflate, packbits or lzw, got '"
                    + text + "'");
        }
    }

    /** Reads a TIFF file; see the class comment for what is supported. */
    public static Samples read(Path file, ProgressListener progress) throws IOException {
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            return read(in, file.toString(), progress);
        }
    }

    /**
     * Reads a TIFF from an image stream (a file, or bytes inflated from a zip).
     *
     * @param name the source, for messages
     */
    public static Samples read(ImageInputStream in, String name, ProgressListener progress) throws IOException {
        ImageReader reader = new TIFFImageReaderSpi().createReaderInstance();
        int page = -1;
        try {
            int pages = TiffStructure.check(in, name);
            reader.setInput(in, false, false);
            int decoded = reader.getNumImages(true);
            if (decoded != pages) {
                throw new VolumeFormatException(String.format(Locale.ROOT,
                        "%s: the file links %d pages but the decoder finds %d; the file is damaged", name, pages,
                        decoded));
            }
            int nx = reader.getWidth(0);
            int ny = reader.getHeight(0);
            for (page = 1; page < pages; page++) {
                int w = reader.getWidth(page);
                int h = reader.getHeight(page);
                if (w != nx || h != ny) {
                    throw new VolumeFormatException(String.format(Locale.ROOT,
                            "%s: page %d is %d x %d but page 0 is %d x %d; the pages of a volume must all have one "
                                    + "size (split the file or crop its pages)", name, page, w, h, nx, ny));
                }
            }
            page = 0;
            IIOMetadata metadata = reader.getImageMetadata(0);
            Node tree = metadata.getAsTree(metadata.getNativeMetadataFormatName());
            int sampleFormat = (int) firstNumber(tree, 339, 1);
            VoxelSize voxelSize = imageJVoxelSize(tree);

            Samples samples = null;
            for (page = 0; page < pages; page++) {
                // readRaster gives the stored samples; read() would pass them through a colour model, which
                // clamps float samples to [0, 1] and inverts min-is-white images
                Raster raster = reader.readRaster(page, null);
                SampleType type = sampleType(raster, sampleFormat, name, page);
                if (samples == null) {
                    samples = Samples.allocate(nx, ny, pages, type, voxelSize);
                } else if (type != samples.type()) {
                    throw new VolumeFormatException(String.format(Locale.ROOT,
                            "%s: page %d holds %s samples but page 0 holds %s", name, page, type.numpyName(),
                            samples.type().numpyName()));
                }
                copyPage(raster, samples, page);
                progress.progress("reading " + name, page + 1, pages);
            }
            return samples;
        } catch (VolumeFormatException | VolumeTooLargeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // TwelveMonkeys reports corrupt input with IIOException, EOFException, or, on some damaged files,
            // with runtime exceptions (index, argument, arithmetic): all mean the same thing to the user.
            String where = page >= 0 ? " (page " + page + ")" : "";
            throw new VolumeFormatException(name + ": unreadable or corrupt TIFF" + where + ": " + describe(e), e);
        } catch (OutOfMemoryError e) {
            // Only reachable when a damaged header declares a huge strip or tile the decoder buffers.
            throw new VolumeFormatException(name + ": TIFF declares data too large to decode (" + e.getMessage()
                    + "); the file is damaged or needs a larger heap (-Xmx)", null);
        } finally {
            reader.dispose();
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    static SampleType sampleType(Raster raster, int sampleFormat, String name, int page)
            throws VolumeFormatException {
        if (raster.getNumBands() != 1) {
            throw new VolumeFormatException(String.format(Locale.ROOT,
                    "%s: page %d has %d samples per pixel (colour); volumes need one greyscale or label sample per "
                            + "voxel: convert it to 8-bit greyscale first (e.g. ImageJ Image > Type > 8-bit)",
                    name, page, raster.getNumBands()));
        }
        int bits = raster.getSampleModel().getSampleSize(0);
        switch (raster.getDataBuffer().getDataType()) {
            case DataBuffer.TYPE_BYTE:
                if (bits == 1) {
                    return SampleType.BOOL;
                }
                if (bits < 8) {
                    return SampleType.UINT8;
                }
                return sampleFormat == 2 ? SampleType.INT8 : SampleType.UINT8;
            case DataBuffer.TYPE_USHORT:
                return SampleType.UINT16;
            case DataBuffer.TYPE_SHORT:
                return SampleType.INT16;
            case DataBuffer.TYPE_INT:
                return SampleType.INT32;
            case DataBuffer.TYPE_FLOAT:
                return SampleType.FLOAT32;
            default:
                throw new VolumeFormatException(String.format(Locale.ROOT,
                        "%s: page %d holds %d-bit samples of a type this program does not read (64-bit float?); "
                                + "supported: 1, 8, 16-bit integers, 32-bit integers and floats", name, page, bits));
        }
    }

    /** Copies one page into z-slab {@code page} of {@code samples}: a single array copy for 8/16/32-bit pages. */
    static void copyPage(Raster raster, Samples samples, int page) {
        int nx = samples.nx();
        int ny = samples.ny();
        int plane = nx * ny;
        int offset = page * plane;
        DataBuffer buffer = raster.getDataBuffer();
        boolean packed = raster.getSampleModel().getSampleSize(0) < 8;
        boolean contiguous = raster.getMinX() == 0 && raster.getMinY() == 0 && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0 && buffer.getNumBanks() == 1 && buffer.getSize() == plane
                && raster.getSampleModel() instanceof java.awt.image.ComponentSampleModel
                && ((java.awt.image.ComponentSampleModel) raster.getSampleModel()).getScanlineStride() == nx;
        if (!packed && contiguous) {
            switch (samples.type()) {
                case UINT8:
                case INT8:
                    System.arraycopy(((DataBufferByte) buffer).getData(), 0, samples.bytes(), offset, plane);
                    return;
                case UINT16:
                    System.arraycopy(((DataBufferUShort) buffer).getData(), 0, samples.shorts(), offset, plane);
                    return;
                case INT16:
                    System.arraycopy(((DataBufferShort) buffer).getData(), 0, samples.shorts(), offset, plane);
                    return;
                case INT32:
                    System.arraycopy(((DataBufferInt) buffer).getData(), 0, samples.ints(), offset, plane);
                    return;
                case FLOAT32:
                    System.arraycopy(((DataBufferFloat) buffer).getData(), 0, samples.floats(), offset, plane);
                    return;
                default:
                    break;
            }
        }
        // Bit-packed (1, 2, 4-bit) or unusual layouts: row by row through the raster's sample model.
        int[] row = new int[nx];
        float[] frow = samples.type() == SampleType.FLOAT32 ? new float[nx] : null;
        int x0 = raster.getMinX();
        int y0 = raster.getMinY();
        for (int y = 0; y < ny; y++) {
            int base = offset + y * nx;
            if (frow != null) {
                raster.getSamples(x0, y0 + y, nx, 1, 0, frow);
                System.arraycopy(frow, 0, samples.floats(), base, nx);
                continue;
            }
            raster.getSamples(x0, y0 + y, nx, 1, 0, row);
            for (int x = 0; x < nx; x++) {
                switch (samples.type()) {
                    case UINT16:
                    case INT16:
                        samples.shorts()[base + x] = (short) row[x];
                        break;
                    case INT32:
                        samples.ints()[base + x] = row[x];
                        break;
                    default:
                        samples.bytes()[base + x] = (byte) row[x];
                        break;
                }
            }
        }
    }

    /**
     * Writes {@code volume} as an 8-bit TIFF stack to {@code file} (use through {@link AtomicFile#writeVia}).
     *
     * @param task what progress calls this write, e.g. "writing out.tif" (the file itself is a temporary name)
     */
    public static void write(Volume volume, Path file, Compression compression, String task,
            ProgressListener progress) throws IOException {
        ImageWriter writer = new TIFFImageWriterSpi().createWriterInstance();
        int nx = volume.nx();
        int ny = volume.ny();
        int nz = volume.nz();
        try (ImageOutputStream out = new FileImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType(compression.imageIoName);
            BufferedImage page = new BufferedImage(nx, ny, BufferedImage.TYPE_BYTE_GRAY);
            byte[] pixels = ((DataBufferByte) page.getRaster().getDataBuffer()).getData();
            ImageTypeSpecifier spec = ImageTypeSpecifier.createFromRenderedImage(page);
            writer.prepareWriteSequence(null);
            for (int z = 0; z < nz; z++) {
                volume.copySlab(z, 1, pixels, 0);
                IIOMetadata metadata = writer.getDefaultImageMetadata(spec, param);
                metadata.mergeTree(metadata.getNativeMetadataFormatName(), imageJTree(volume, z == 0));
                writer.writeToSequence(new IIOImage(page, null, metadata), param);
                progress.progress(task, z + 1, nz);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    /** Native TIFF metadata with ImageJ's description (first page) and the in-plane resolution in pixels/um. */
    private static IIOMetadataNode imageJTree(Volume volume, boolean firstPage) {
        IIOMetadataNode root = new IIOMetadataNode("com_sun_media_imageio_plugins_tiff_image_1.0");
        IIOMetadataNode ifd = new IIOMetadataNode("TIFFIFD");
        root.appendChild(ifd);
        VoxelSize size = volume.voxelSize();
        if (firstPage) {
            StringBuilder d = new StringBuilder("ImageJ=1.54f\n");
            d.append("images=").append(volume.nz()).append('\n');
            d.append("slices=").append(volume.nz()).append('\n');
            if (size.isKnown()) {
                d.append("unit=micron\n");
                d.append("spacing=").append(size.dz()).append('\n');
            }
            d.append("loop=false\n");
            ifd.appendChild(asciiField(270, "ImageDescription", d.toString()));
            ifd.appendChild(asciiField(305, "Software", "Microforge"));
        }
        if (size.isKnown()) {
            ifd.appendChild(rationalField(282, "XResolution", 1.0 / size.dx()));
            ifd.appendChild(rationalField(283, "YResolution", 1.0 / size.dy()));
            ifd.appendChild(shortField(296, "ResolutionUnit", 1));
        }
        return root;
    }

    private static IIOMetadataNode asciiField(int number, String name, String value) {
        IIOMetadataNode field = field(number, name);
        IIOMetadataNode list = new IIOMetadataNode("TIFFAsciis");
        IIOMetadataNode v = new IIOMetadataNode("TIFFAscii");
        v.setAttribute("value", value);
        list.appendChild(v);
        field.appendChild(list);
        return field;
    }

    private static IIOMetadataNode rationalField(int number, String name, double value) {
        // pixels per micrometre as a rational of two unsigned 32-bit integers with the largest power-of-ten
        // denominator that fits: 0.398 um reads back as 0.398 after rounding to 9 significant digits
        long denominator = 1_000_000_000L;
        while (denominator > 1 && value * denominator > 4.0e9) {
            denominator /= 10;
        }
        long numerator = Math.round(value * denominator);
        IIOMetadataNode field = field(number, name);
        IIOMetadataNode list = new IIOMetadataNode("TIFFRationals");
        IIOMetadataNode v = new IIOMetadataNode("TIFFRational");
        v.setAttribute("value", numerator + "/" + denominator);
        list.appendChild(v);
        field.appendChild(list);
        return field;
    }

    private static IIOMetadataNode shortField(int number, String name, int value) {
        IIOMetadataNode field = field(number, name);
        IIOMetadataNode list = new IIOMetadataNode("TIFFShorts");
        IIOMetadataNode v = new IIOMetadataNode("TIFFShort");
        v.setAttribute("value", String.valueOf(value));
        list.appendChild(v);
        field.appendChild(list);
        return field;
    }

    private static IIOMetadataNode field(int number, String name) {
        IIOMetadataNode field = new IIOMetadataNode("TIFFField");
        field.setAttribute("number", String.valueOf(number));
        field.setAttribute("name", name);
        return field;
    }

    /** The voxel size stated by ImageJ metadata, or unknown. */
    private static VoxelSize imageJVoxelSize(Node tree) {
        String description = firstString(tree, 270);
        if (description == null || !description.startsWith("ImageJ=")) {
            return VoxelSize.UNKNOWN;
        }
        Matcher unit = IMAGEJ_UNIT.matcher(description);
        if (!unit.find()) {
            return VoxelSize.UNKNOWN;
        }
        double toMicrometres;
        switch (unit.group(1).toLowerCase(Locale.ROOT)) {
            case "micron":
            case "microns":
            case "um":
            case "\u00b5m":
            case "\\u00b5m":
                toMicrometres = 1;
                break;
            case "nm":
                toMicrometres = 1e-3;
                break;
            case "mm":
                toMicrometres = 1e3;
                break;
            default:
                return VoxelSize.UNKNOWN;
        }
        double xres = firstNumber(tree, 282, Double.NaN);
        double yres = firstNumber(tree, 283, Double.NaN);
        Matcher spacing = IMAGEJ_SPACING.matcher(description);
        double dx = toMicrometres / xres;
        double dy = toMicrometres / yres;
        double dz = spacing.find() ? Double.parseDouble(spacing.group(1)) * toMicrometres : dx;
        if (!(dx > 0 && dy > 0 && dz > 0) || !Double.isFinite(dx + dy + dz)) {
            return VoxelSize.UNKNOWN;
        }
        return new VoxelSize(round(dx), round(dy), round(dz));
    }

    /** Rounds to 9 significant digits so that a size written as a rational reads back as typed. */
    private static double round(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(9)).doubleValue();
    }

    private static Node fieldNode(Node tree, int number) {
        Node ifd = tree.getFirstChild();
        for (Node f = ifd == null ? null : ifd.getFirstChild(); f != null; f = f.getNextSibling()) {
            Node n = f.getAttributes() == null ? null : f.getAttributes().getNamedItem("number");
            if (n != null && String.valueOf(number).equals(n.getNodeValue())) {
                return f;
            }
        }
        return null;
    }

    private static String firstValue(Node tree, int number) {
        Node field = fieldNode(tree, number);
        if (field == null || field.getFirstChild() == null || field.getFirstChild().getFirstChild() == null) {
            return null;
        }
        Node value = field.getFirstChild().getFirstChild().getAttributes().getNamedItem("value");
        return value == null ? null : value.getNodeValue();
    }

    private static String firstString(Node tree, int number) {
        return firstValue(tree, number);
    }

    private static double firstNumber(Node tree, int number, double fallback) {
        String v = firstValue(tree, number);
        if (v == null) {
            return fallback;
        }
        try {
            int slash = v.indexOf('/');
            if (slash > 0) {
                return Double.parseDouble(v.substring(0, slash)) / Double.parseDouble(v.substring(slash + 1));
            }
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}

package dev.microforge.generator.sampling;

import dev.microforge.datasets.MemoryBudget;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeTooLargeException;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.generator.LevelCut;
import dev.microforge.models.LatentDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Samples labelled volumes of any size from a trained generator with a spatial latent ({@link LatentDecoder}):
 * latent in, {@link Volume} out.
 *
 * <p>Size: a generator turns a latent of {@code l} voxels into {@code l * s} output voxels per axis ({@code s =
 * sizeStep()}, e.g. 4 for two x2 levels). For an output of {@code n} voxels the latent has {@code ceil(n / s)}
 * voxels and the output is cut to its first {@code n} voxels (Gayon-Lombardo et al., npj Comput. Mater. 6 (2020)
 * 82: larger spatial latents give larger volumes from the same generator).
 *
 * <p>Margin: the latent is padded by {@code m = latentMargin()} voxels on every side, decoded, and {@code m * s}
 * voxels are cut off each side. An output voxel depends only on latent voxels within {@code m} of its own ({@link
 * LatentDecoder}), so no kept voxel comes from the generator's zero padding. Periodic ({@code periodic}): the
 * padding is circular ({@link Latent#padCircular}), so the kept block equals one period of the decode of the
 * infinitely tiled latent: opposite faces continue each other and the volume tiles space (the circular padding of
 * the latent of Gayon-Lombardo et al.); sizes must then be multiples of {@code s}. Otherwise the padding mirrors the
 * latent ({@link Latent#padMirror}): the faces are decoded like the interior, which is what a GAN trained on
 * cropped interiors ({@code WganGpTrainer}) learned.
 *
 * <p>Memory: a decode needs {@code LatentDecoder.workingBytes} of native memory (about 40 bytes per output voxel for
 * the default GAN). When a volume's decode would exceed {@code workingBytes}, it is decoded in z-slabs of the latent,
 * each extended by {@code m} latent voxels where the latent goes on and cut back after decoding; by the same
 * locality the slabs join into exactly the whole decode. Small volumes are decoded several at a time (up to
 * {@code maxBatch} per forward pass) when they fit. The output volume and each slab's labels are checked against
 * the Java heap ({@link MemoryBudget}) before they are allocated.
 *
 * <p>Fractions ({@link Options#fractions}): instead of every voxel's most probable phase, the decoder's logits
 * ({@link LatentDecoder#decodeLogits}, 4 bytes per phase and voxel, slabs joined as above) are cut to the given phase
 * fractions by {@link LevelCut#toFractions(float[][], int, int, int, double[], VoxelSize)}: the argmax after
 * per-phase offsets chosen for each volume, so the voxels that change phase are those with the closest logits. The
 * cut applies the same function at every voxel, so a periodic volume stays periodic; it needs about {@code 4 P + 10}
 * bytes of heap per output voxel.
 */
public final class ModelSampling {
    private ModelSampling() {
    }

    /**
     * Options.
     *
     * @param nx output size along x in voxels, at least 1 (likewise ny, nz)
     * @param ny output size along y
     * @param nz output size along z
     * @param periodic whether the output must tile space (sizes then multiples of the generator's size step)
     * @param workingBytes native memory one forward pass may use, bytes (at least 1 MiB)
     * @param maxBatch most volumes per forward pass, at least 1
     * @param fractions null for the most probable phase of every voxel; else the volume fraction of each phase
     *     (as many as the model's phases, summing to 1), which every sample is cut to exactly: the labels are the
     *     argmax of the logits plus per-phase offsets ({@link LevelCut#toFractions(float[][], int, int, int,
     *     double[], VoxelSize)}), chosen per sample
     */
    public record Options(int nx, int ny, int nz, boolean periodic, long workingBytes, int maxBatch,
            double[] fractions) {
        /** Default working memory of a forward pass: 1 GiB. */
        public static final long DEFAULT_WORKING_BYTES = 1L << 30;

        public Options {
            Volume.checkDimensions(nx, ny, nz, 1);
            if (workingBytes < (1 << 20)) {
                throw new IllegalArgumentException("workingBytes must be at least 1 MiB, got " + workingBytes);
            }
            if (maxBatch < 1) {
                throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
            }
            if (fractions != null) {
                LevelCut.checkFractions(fractions);
                fractions = fractions.clone();
            }
        }

        @Override
        public double[] fractions() {
            return fractions == null ? null : fractions.clone();
        }

        /** Non-periodic, 1 GiB working memory, batches of up to 8. */
        public static Options defaults(int nx, int ny, int nz) {
            return new Options(nx, ny, nz, false, DEFAULT_WORKING_BYTES, 8, null);
        }

        public Options withPeriodic(boolean value) {
            return new Options(nx, ny, nz, value, workingBytes, maxBatch, fractions);
        }

        public Options withWorkingBytes(long value) {
            return new Options(nx, ny, nz, periodic, value, maxBatch, fractions);
        }

        public Options withMaxBatch(int value) {
            return new Options(nx, ny, nz, periodic, workingBytes, value, fractions);
        }

        /** Samples cut to these phase fractions, or null for the most probable phases. */
        public Options withFractions(double[] value) {
            return new Options(nx, ny, nz, periodic, workingBytes, maxBatch, value);
        }
    }

    /** Receives progress in decode steps (slabs or batches) over the whole request. */
    @FunctionalInterface
    public interface Listener {
        /** No progress reports. */
        Listener NONE = (done, total) -> {
        };

        void progress(int done, int total);
    }

    /**
     * Sampled volumes.
     *
     * @param volumes one per latent, labels {@code 0..phases-1}, voxel size unknown
     * @param batch volumes per forward pass (1 when slabbed)
     * @param slabs forward passes per volume (1 when whole)
     * @param seconds wall time of the decodes
     */
    public record Result(List<Volume> volumes, int batch, int slabs, double seconds) {
    }

    /**
     * The latent size {@code {lx, ly, lz}} for the requested output.
     *
     * @throws IllegalArgumentException for a periodic size that is not a multiple of the size step (the message
     *     gives the nearest ones)
     */
    public static int[] latentSize(LatentDecoder decoder, Options options) {
        int s = requireDecoder(decoder).sizeStep();
        int[] n = {options.nx(), options.ny(), options.nz()};
        int[] l = new int[3];
        for (int i = 0; i < 3; i++) {
            if (options.periodic() && n[i] % s != 0) {
                int below = Math.max(s, n[i] / s * s);
                throw new IllegalArgumentException(String.format(Locale.ROOT, "a periodic volume must be a multiple "
                        + "of the generator's size step %d along each axis (a cut would break the wrap), got %d x %d "
                        + "x %d; use %d or %d", s, n[0], n[1], n[2], below, below + s));
            }
            l[i] = (n[i] + s - 1) / s;
        }
        return l;
    }

    /** A standard-normal latent of the size the output needs ({@link Latent#gaussian}). */
    public static Latent latent(LatentDecoder decoder, Options options, long seed) {
        int[] l = latentSize(decoder, options);
        return Latent.gaussian(decoder.latentChannels(), l[0], l[1], l[2], seed);
    }

    /** Samples one volume from {@code latent}. */
    public static Volume generate(LatentDecoder decoder, Latent latent, Options options) {
        return generate(decoder, List.of(latent), options, Listener.NONE).volumes().get(0);
    }

    /**
     * Samples one volume per latent. Each latent must have the decoder's channels and cover the output: at least
     * {@code ceil(n / s)} voxels per axis (exactly {@code n / s} when periodic); a larger latent is cut.
     *
     * @throws IllegalArgumentException for a latent of the wrong channels or size (naming both)
     * @throws VolumeTooLargeException when the output or a slab of one latent layer does not fit the memory
     */
    public static Result generate(LatentDecoder decoder, List<Latent> latents, Options options, Listener listener) {
        requireDecoder(decoder);
        if (latents == null || latents.isEmpty() || options == null) {
            throw new IllegalArgumentException("at least one latent and options are required");
        }
        Listener progress = listener == null ? Listener.NONE : listener;
        int[] need = latentSize(decoder, options);
        for (Latent z : latents) {
            checkLatent(decoder, z, need, options);
            if (!z.sameShape(latents.get(0))) {
                throw new IllegalArgumentException("latents of one request must have the same shape, got "
                        + latents.get(0).shapeText() + " and " + z.shapeText());
            }
        }
        int s = decoder.sizeStep();
        checkFractions(decoder, options);
        int planes = planes(decoder, options);
        if (options.periodic() && decoder.latentMargin() < 1) {
            throw new IllegalArgumentException("this " + decoder.kind() + " model has no spatial locality (each "
                    + "output voxel depends on the whole latent), so it cannot make periodic volumes");
        }
        // both modes decode a padded latent and cut the margin: circular padding for periodic volumes, mirror
        // padding otherwise (so that no output voxel comes from the generator's zero padding)
        int m = decoder.latentMargin();
        Latent first = latents.get(0);
        int wx = first.nx() + 2 * m;
        int wy = first.ny() + 2 * m;
        int wz = first.nz() + 2 * m;
        int margin = decoder.latentMargin();
        // retained latent layers along z: [keep0, keep1) of the working latent
        int keep0 = m;
        int keep1 = m + (options.nz() + s - 1) / s;
        int keepLayers = keep1 - keep0;
        long budget = options.workingBytes();
        int slabLayers;
        int batch;
        if (decoder.workingBytes(1, wx, wy, wz) <= budget) {
            slabLayers = keepLayers;
            batch = 1;
            while (batch < Math.min(options.maxBatch(), latents.size())
                    && decoder.workingBytes(batch + 1, wx, wy, wz) <= budget) {
                batch++;
            }
        } else {
            if (margin < 1) {
                throw new VolumeTooLargeException(String.format(Locale.ROOT, "a %d x %d x %d volume from this %s "
                        + "model needs %,d bytes of working memory but %,d are allowed, and the model cannot be "
                        + "decoded in slabs; allow more (--working-memory)", options.nx(), options.ny(), options.nz(),
                        decoder.kind(), decoder.workingBytes(1, wx, wy, wz), budget));
            }
            if (decoder.workingBytes(1, wx, wy, 1 + 2 * margin) > budget) {
                throw new VolumeTooLargeException(String.format(Locale.ROOT, "one slab of a %d x %d x %d volume "
                        + "(%d latent layers) needs %,d bytes of working memory but %,d are allowed; allow more "
                        + "(--working-memory) or generate a smaller cross-section", options.nx(), options.ny(),
                        options.nz(), 1 + 2 * margin, decoder.workingBytes(1, wx, wy, 1 + 2 * margin), budget));
            }
            slabLayers = 1;
            while (slabLayers < keepLayers && decoder.workingBytes(1, wx, wy, slabLayers + 1 + 2 * margin) <= budget) {
                slabLayers++;
            }
            batch = 1;
        }
        int slabs = (keepLayers + slabLayers - 1) / slabLayers;
        // cut to fractions: per output voxel the phases' logits, and the level cut's margin, index and flag
        MemoryBudget.require((long) options.nx() * options.ny() * options.nz() * Math.min(batch, latents.size()),
                planes == 1 ? 1 : 4 * planes + 10, String.format(Locale.ROOT, "%d generated %dx%dx%d volume(s)",
                        batch, options.nx(), options.ny(), options.nz()));
        int steps = batch > 1 ? (latents.size() + batch - 1) / batch : latents.size() * slabs;
        List<Volume> volumes = new ArrayList<>(latents.size());
        long t0 = System.nanoTime();
        int done = 0;
        progress.progress(0, steps);
        if (batch > 1) {
            for (int start = 0; start < latents.size(); start += batch) {
                List<Latent> group = latents.subList(start, Math.min(latents.size(), start + batch));
                volumes.addAll(decodeWhole(decoder, group, options, m));
                progress.progress(++done, steps);
            }
        } else {
            for (Latent z : latents) {
                Latent w = pad(z, m, options.periodic());
                Object[] out = outputPlanes(options, planes);
                for (int a = keep0; a < keep1; a += slabLayers) {
                    int b = Math.min(keep1, a + slabLayers);
                    int from = Math.max(0, a - margin);
                    int to = Math.min(w.nz(), b + margin);
                    Latent slab = from == 0 && to == w.nz() ? w : w.slabZ(from, to);
                    long slabVoxels = (long) slab.nx() * s * slab.ny() * s * slab.nz() * s;
                    MemoryBudget.require(slabVoxels, planes == 1 ? 1 : 4 * planes, "the output of one decoded slab");
                    Object decoded = decode(decoder, options, slab.values(), 1, slab.nx(), slab.ny(), slab.nz());
                    // output z rows [a*s, b*s) of the working volume, shifted by the periodic cut m*s
                    int z0 = a * s - m * s;
                    int z1 = Math.min(options.nz(), b * s - m * s);
                    for (int q = 0; q < planes; q++) {
                        copyRows(decoded, Math.toIntExact(q * slabVoxels), slab.nx() * s, slab.ny() * s,
                                (a - from) * s, z0, z1, m * s, out[q], options);
                    }
                    progress.progress(++done, steps);
                }
                volumes.add(volume(options, out));
            }
        }
        return new Result(List.copyOf(volumes), batch, slabs, (System.nanoTime() - t0) / 1e9);
    }

    private static Latent pad(Latent z, int m, boolean periodic) {
        return m == 0 ? z : periodic ? z.padCircular(m) : z.padMirror(m);
    }

    private static List<Volume> decodeWhole(LatentDecoder decoder, List<Latent> group, Options options, int m) {
        int s = decoder.sizeStep();
        Latent w0 = pad(group.get(0), m, options.periodic());
        int per = w0.size();
        float[] all = new float[Math.toIntExact((long) per * group.size())];
        for (int i = 0; i < group.size(); i++) {
            Latent w = i == 0 ? w0 : pad(group.get(i), m, options.periodic());
            System.arraycopy(w.values(), 0, all, i * per, per);
        }
        int ox = w0.nx() * s;
        int oy = w0.ny() * s;
        int oz = w0.nz() * s;
        long perVolume = (long) ox * oy * oz;
        int planes = planes(decoder, options);
        MemoryBudget.require(perVolume * group.size(), planes == 1 ? 1 : 4 * planes, "the output of "
                + group.size() + " decoded volumes");
        Object decoded = decode(decoder, options, all, group.size(), w0.nx(), w0.ny(), w0.nz());
        List<Volume> out = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            Object[] one = outputPlanes(options, planes);
            for (int q = 0; q < planes; q++) {
                copyRows(decoded, Math.toIntExact((i * planes + q) * perVolume), ox, oy, m * s, 0, options.nz(),
                        m * s, one[q], options);
            }
            out.add(volume(options, one));
        }
        return out;
    }

    /** Refuses fractions for a decoder without logits or of another number of phases. */
    private static void checkFractions(LatentDecoder decoder, Options options) {
        double[] f = options.fractions();
        if (f == null) {
            return;
        }
        if (!decoder.hasLogits()) {
            throw new IllegalArgumentException("a " + decoder.kind() + " model does not give its phase logits, so "
                    + "its samples cannot be cut to given fractions; leave the fractions out");
        }
        if (f.length != decoder.phases()) {
            throw new IllegalArgumentException(f.length + " fractions given for a model of " + decoder.phases()
                    + " phases " + decoder.phaseLabels() + "; give one per phase");
        }
    }

    /** Arrays per decoded voxel: 1 (the labels), or one per phase (the logits) when cutting to fractions. */
    private static int planes(LatentDecoder decoder, Options options) {
        return options.fractions() == null ? 1 : decoder.phases();
    }

    /** The labels, or with fractions the logits {@code (batch, phases, ...)}, of a decode. */
    private static Object decode(LatentDecoder decoder, Options options, float[] latents, int batch, int lx, int ly,
            int lz) {
        return options.fractions() == null ? decoder.decode(latents, batch, lx, ly, lz)
                : decoder.decodeLogits(latents, batch, lx, ly, lz);
    }

    /** One output volume's arrays: its labels, or its logits per phase. */
    private static Object[] outputPlanes(Options o, int planes) {
        int n = Math.toIntExact((long) o.nx() * o.ny() * o.nz());
        Object[] out = new Object[planes];
        for (int q = 0; q < planes; q++) {
            out[q] = o.fractions() == null ? new byte[n] : new float[n];
        }
        return out;
    }

    /** The volume of an output's arrays: the labels as they are, or the logits cut to the fractions. */
    private static Volume volume(Options o, Object[] planes) {
        if (o.fractions() == null) {
            return Volume.of(o.nx(), o.ny(), o.nz(), (byte[]) planes[0], VoxelSize.UNKNOWN);
        }
        float[][] scores = new float[planes.length][];
        for (int q = 0; q < planes.length; q++) {
            scores[q] = (float[]) planes[q];
        }
        return LevelCut.toFractions(scores, o.nx(), o.ny(), o.nz(), o.fractions(), VoxelSize.UNKNOWN);
    }

    /**
     * Copies output z rows {@code [z0, z1)} from a decoded block {@code (bz, by, bx)} (x fastest) starting at
     * {@code base} in {@code block}, whose row {@code blockZ} holds output row {@code z0}; x and y are cut at
     * {@code cut} (the periodic margin). Cost: one {@code nx}-byte copy per output row.
     */
    private static void copyRows(Object block, int base, int bx, int by, int blockZ, int z0, int z1, int cut,
            Object out, Options o) {
        for (int z = z0; z < z1; z++) {
            int bz = blockZ + (z - z0);
            for (int y = 0; y < o.ny(); y++) {
                System.arraycopy(block, base + cut + bx * (y + cut + by * bz), out, o.nx() * (y + o.ny() * z),
                        o.nx());
            }
        }
    }

    private static void checkLatent(LatentDecoder decoder, Latent z, int[] need, Options options) {
        if (z == null) {
            throw new IllegalArgumentException("latent is null");
        }
        if (z.channels() != decoder.latentChannels()) {
            throw new IllegalArgumentException("latent " + z.shapeText() + " has " + z.channels() + " channels but "
                    + "the model takes " + decoder.latentChannels());
        }
        int[] have = {z.nx(), z.ny(), z.nz()};
        for (int i = 0; i < 3; i++) {
            boolean ok = options.periodic() ? have[i] == need[i] : have[i] >= need[i];
            if (!ok) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "latent %s gives a %d x %d x %d "
                        + "volume, which %s the requested %d x %d x %d%s", z.shapeText(), have[0] * decoder.sizeStep(),
                        have[1] * decoder.sizeStep(), have[2] * decoder.sizeStep(),
                        options.periodic() ? "is not" : "is smaller than", options.nx(), options.ny(), options.nz(),
                        options.periodic() ? " (a periodic volume uses its latent whole)" : ""));
            }
        }
    }

    private static LatentDecoder requireDecoder(LatentDecoder decoder) {
        if (decoder == null) {
            throw new IllegalArgumentException("a decoder (a loaded model) is required");
        }
        return decoder;
    }
}

package dev.microforge.training.gram;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.models.Engines;
import dev.microforge.models.Scalars;
import dev.microforge.models.gram.FeatureExtractor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Gram-matrix texture loss of a volume of phase logits against an {@link Exemplar}, differentiable with
 * respect to the logits (Gatys et al. 2015; for 2D-to-3D, Li et al., Sci. Rep. 8 (2018) 13461 and Bostanabad,
 * "Reconstruction of 3D microstructures from 2D images via transfer learning", Comput.-Aided Des. 128 (2020)
 * 102906):
 *
 * <pre>
 *   L(theta) = (1 / |A|) sum_{a in A} [ sum_l (1 / |S_a|) sum_{s in S_a} ||G_l(p_s) - G*_{a,l}||_F^2 / ||G*_{a,l}||_F^2
 *                                      + (mu / 2) sum_{d in rows, columns} mean_{k, r} (S2_{d,k}(r) - S2*_{a,d,k}(r))^2 ]
 *            + lambda sum_k (mean(p_k) - phi_k)^2,        p = softmax(theta) over phases
 * </pre>
 *
 * where {@code A} are the axes whose slices are at least the extractor's minimum size (x, y, z for a volume; z only
 * for a 2D output), {@code S_a} the slices normal to {@code a} taken this step, {@code p_s} such a slice as an image
 * {@code (phases, rows, columns)} oriented as in {@link Exemplar} and cut to a window at a random shift, {@code G_l(p)
 * = F_l F_l^T / (h_l w_l)} the Gram matrix of layer {@code l}'s feature map {@code F_l} (channels x pixels), {@code
 * G*_{a,l}} the mean Gram matrix of windows of the same size of the exemplar for axis {@code a}, and {@code phi} the
 * target phase fractions. Each slice is matched on its own (the sum over slices of Li et al.), not only the average
 * over slices; the relative error per layer puts layers of different magnitudes on an equal footing. The second line
 * is our addition (weight {@code mu}, 0 to leave it out): the two-point correlation {@code S2_{d,k}(r)} of phase
 * {@code k} along the rows and along the columns of the slices taken, at the lags of {@link #lagSet} (no
 * wrap-around), against the exemplar's.
 *
 * <p>Layout: logits {@code (1, phases, D, H, W)} with D = z, H = y, W = x (the {@link Volume} order). A volume
 * extractor ({@link FeatureExtractor#spatialDimensions()} 3) is applied to the whole volume instead of slices, and
 * matched against the Gram matrices of the 3D exemplar.
 *
 * <p>Exemplar statistics are computed once per instance, at the given pooling factor (the exemplar averaged over
 * {@code f x f} pixel blocks: the targets of a coarse level of a multi-resolution reconstruction). Owns native
 * memory; close it.
 */
public final class GramLoss implements AutoCloseable {

    /** Most exemplar windows averaged for one axis's targets. */
    public static final int MAX_WINDOWS = 48;
    /** Exemplar windows per forward pass when the targets are computed. */
    private static final int TARGET_BATCH = 16;

    /**
     * Slices normal to one axis taken in a step, {@code start, start + step, ...}, and where their window starts:
     * each slice is cut to {@link #window(int[])} pixels from row {@code rowShift} and column {@code columnShift}
     * (0 .. {@link #shiftRange(Axis, int[])}). Shifting the window at random from step to step keeps the pooling grid
     * of the feature network from printing itself onto the volume (a fixed grid favours structures aligned with
     * its blocks).
     *
     * @param start first slice, >= 0
     * @param step distance between slices, >= 1
     * @param rowShift first row of the window, >= 0
     * @param columnShift first column of the window, >= 0
     */
    public record Slices(long start, long step, int rowShift, int columnShift) {
        /** Validates. */
        public Slices {
            if (start < 0 || step < 1 || rowShift < 0 || columnShift < 0) {
                throw new IllegalArgumentException("slices need start >= 0, step >= 1 and shifts >= 0, got " + start
                        + ", " + step + ", " + rowShift + ", " + columnShift);
            }
        }

        /** Every slice, window at the origin. */
        public static final Slices ALL = new Slices(0, 1, 0, 0);
    }

    /** Largest window shift, pixels. */
    public static final int MAX_SHIFT = 7;

    /**
     * Returns the window matched in a slice of shape {@code {rows, columns}}: the slice less a margin of {@code
     * min(7, min / 8)} pixels for the random shift, rounded down to the extractor's {@link
     * FeatureExtractor#sizeMultiple()} (the margin shrinks when that would leave less than one multiple).
     *
     * @param sliceShape rows and columns of a slice
     * @return rows and columns of the window
     */
    public int[] window(int[] sliceShape) {
        int multiple = extractor.sizeMultiple();
        int margin = Math.min(MAX_SHIFT, Math.min(sliceShape[0], sliceShape[1]) / 8);
        int[] w = new int[2];
        for (int d = 0; d < 2; d++) {
            int q = (sliceShape[d] - margin) / multiple * multiple;
            w[d] = q >= multiple ? q : sliceShape[d] / multiple * multiple;
        }
        return w;
    }

    /**
     * Returns how far the window of a slice normal to {@code axis} may shift, in rows and columns.
     *
     * @param axis the normal
     * @param size the output size {@code {nx, ny, nz}}
     * @return the largest row and column shift
     */
    public int[] shiftRange(Axis axis, int[] size) {
        int[] slice = sliceShape(axis, size);
        int[] w = window(slice);
        return new int[] {slice[0] - w[0], slice[1] - w[1]};
    }

    private final FeatureExtractor extractor;
    private final NDManager manager;
    /** Per axis (or, for a volume extractor, under Z only), layer name -> target Gram {@code (1, C, C)}. */
    private final Map<Axis, Map<String, NDArray>> targets = new EnumMap<>(Axis.class);
    private final Map<Axis, Map<String, Double>> targetNorms = new EnumMap<>(Axis.class);
    private final Map<Axis, Integer> windows = new EnumMap<>(Axis.class);
    /** Per axis, the exemplar's two-point correlation along the slice rows and columns, each {@code (phases, lags)}. */
    private final Map<Axis, NDArray[]> correlationTargets = new EnumMap<>(Axis.class);
    private final Map<Axis, int[]> lagsUsed = new EnumMap<>(Axis.class);
    private double correlationWeight;
    private int lags;
    private final double[] fractions;
    private final double fractionWeight;
    private final int phases;

    private GramLoss(FeatureExtractor extractor, double[] fractions, double fractionWeight, int phases) {
        this.extractor = extractor;
        this.manager = Engines.pytorch().newBaseManager(Engines.device());
        this.fractions = fractions.clone();
        this.fractionWeight = fractionWeight;
        this.phases = phases;
    }

    /**
     * Computes the exemplar's target Gram matrices for an output of the given size.
     *
     * <p>The targets are mean Gram matrices over windows of the exemplar exactly the size of the output's slices
     * (tiled over the exemplar, at most {@value #MAX_WINDOWS} per axis, evenly spread), so that the zero padding
     * at the border of a slice affects exemplar and output alike. An exemplar smaller than a slice is taken whole.
     *
     * @param extractor the feature network (not closed by this loss)
     * @param exemplar the exemplar
     * @param poolFactor the exemplar is averaged over {@code f x f} (or {@code f³}) blocks first, f >= 1
     * @param size the output size {@code {nx, ny, nz}} at this pooling factor
     * @param symmetrise average an isotropic image's statistics over the symmetries of the square (the 8
     *     rotations and reflections for square slices, the 4 that keep the shape otherwise)
     * @param fractions target phase fractions (one per phase)
     * @param fractionWeight lambda, >= 0
     * @param correlationWeight mu, weight of the two-point correlation term, >= 0 (0: none)
     * @param maxLag largest lag of that term in pixels at this pooling factor, >= 1
     * @return the loss (close it)
     */
    public static GramLoss create(FeatureExtractor extractor, Exemplar exemplar, int poolFactor, int[] size,
            boolean symmetrise, double[] fractions, double fractionWeight, double correlationWeight, int maxLag) {
        if (extractor.channels() != exemplar.phases()) {
            throw new IllegalArgumentException("the feature extractor takes " + extractor.channels()
                    + " phases but the exemplar has " + exemplar.phases());
        }
        if (fractions.length != exemplar.phases()) {
            throw new IllegalArgumentException(fractions.length + " fractions for " + exemplar.phases() + " phases");
        }
        if (poolFactor < 1) {
            throw new IllegalArgumentException("poolFactor must be >= 1, got " + poolFactor);
        }
        if (!(correlationWeight >= 0) || maxLag < 1) {
            throw new IllegalArgumentException("correlationWeight must be >= 0 and maxLag >= 1, got "
                    + correlationWeight + ", " + maxLag);
        }
        GramLoss loss = new GramLoss(extractor, fractions, fractionWeight, exemplar.phases());
        loss.correlationWeight = extractor.spatialDimensions() == 2 ? correlationWeight : 0;
        loss.lags = maxLag;
        try {
            if (extractor.spatialDimensions() == 3) {
                if (exemplar.volume() == null) {
                    throw new IllegalArgumentException("this feature extractor works on 3D volumes ("
                            + extractor.description() + "): give a 3D exemplar, or use a 2D (image) extractor"
                            + " for 2D exemplars");
                }
                loss.addTargets(Axis.Z, List.of(exemplar.volume()), poolFactor, new int[] {size[2], size[1], size[0]},
                        false);
                return loss;
            }
            Map<String, Axis> done = new LinkedHashMap<>();
            for (Axis a : loss.axes(size[0], size[1], size[2])) {
                int[] window = loss.window(sliceShape(a, size));
                String key = exemplar.volume() == null
                        ? System.identityHashCode(exemplar.images().get(a)) + "/" + window[0] + "x" + window[1] : null;
                if (key != null && done.containsKey(key)) {
                    Axis same = done.get(key);
                    loss.targets.put(a, loss.targets.get(same));
                    loss.targetNorms.put(a, loss.targetNorms.get(same));
                    loss.windows.put(a, loss.windows.get(same));
                    if (loss.correlationTargets.containsKey(same)) {
                        loss.correlationTargets.put(a, loss.correlationTargets.get(same));
                    }
                    loss.lagsUsed.put(a, loss.lagsUsed.get(same));
                    continue;
                }
                List<Volume> sources = new ArrayList<>();
                if (exemplar.volume() != null) {
                    Volume v = exemplar.volume();
                    int n = v.size(a);
                    int take = Math.min(n, MAX_WINDOWS);
                    for (int i = 0; i < take; i++) {
                        sources.add(v.slice(a, (int) ((long) i * n / take)));
                    }
                } else {
                    sources.add(exemplar.images().get(a));
                }
                loss.addTargets(a, sources, poolFactor, window, symmetrise && exemplar.isotropic());
                if (key != null) {
                    done.put(key, a);
                }
            }
            return loss;
        } catch (RuntimeException e) {
            loss.close();
            throw e;
        }
    }

    /** Rows and columns of the slices normal to {@code axis} of a volume {@code {nx, ny, nz}}. */
    static int[] sliceShape(Axis axis, int[] size) {
        switch (axis) {
            case Z:
                return new int[] {size[1], size[0]};
            case Y:
                return new int[] {size[2], size[0]};
            default:
                return new int[] {size[2], size[1]};
        }
    }

    /**
     * Mean Gram matrices over windows of {@code sources} (2D images, or one 3D volume for a volume extractor) of
     * {@code window} pixels ({rows, columns} or {depth, rows, columns}), after pooling.
     */
    private void addTargets(Axis axis, List<Volume> sources, int poolFactor, int[] window, boolean symmetrise) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        int count = 0;
        List<long[]> corners = new ArrayList<>();
        double[][] correlationSums = new double[2][];
        try (NDManager sub = manager.newSubManager()) {
            List<NDArray> pooled = new ArrayList<>();
            for (Volume source : sources) {
                pooled.add(pool(oneHot(sub, source), poolFactor));
            }
            long[] extent = pooled.get(0).getShape().slice(2).getShape();
            long[] w = new long[extent.length];
            for (int d = 0; d < w.length; d++) {
                w[d] = Math.min(window[d], extent[d]);
            }
            // windows: a grid of corners over each source; at most MAX_WINDOWS in all, evenly spread
            List<long[]> all = new ArrayList<>();
            for (int k = 0; k < pooled.size(); k++) {
                addCorners(all, k, extent, w);
            }
            int take = Math.min(all.size(), MAX_WINDOWS);
            for (int i = 0; i < take; i++) {
                corners.add(all.get((int) ((long) i * all.size() / take)));
            }
            boolean square = w.length == 2 && w[0] == w[1];
            int[] lagSet = w.length == 2 ? lagSet((int) Math.min(lags, Math.min(w[0], w[1]) - 1)) : new int[0];
            int symmetries = !symmetrise ? 1 : square ? 8 : 4;
            int perWindow = Math.max(1, (symmetries + corners.size() - 1) / corners.size());
            List<NDArray> images = new ArrayList<>();
            for (int i = 0; i < corners.size(); i++) {
                long[] c = corners.get(i);
                NDArray x = crop(pooled.get((int) c[0]), c, w);
                for (int r = 0; r < perWindow; r++) {
                    images.add(symmetry(x, (i * perWindow + r) % symmetries));
                }
            }
            for (int from = 0; from < images.size(); from += TARGET_BATCH) {
                List<NDArray> part = images.subList(from, Math.min(images.size(), from + TARGET_BATCH));
                try (NDManager one = sub.newSubManager()) {
                    NDArray batch = NDArrays.concat(new NDList(part), 0);
                    batch.attach(one);
                    int n = part.size();
                    if (correlationWeight > 0 && lagSet.length > 0) {
                        for (int d = 0; d < 2; d++) {
                            float[] s2 = twoPoint(batch, 2 + d, lagSet).toType(DataType.FLOAT32, false)
                                    .toFloatArray();
                            if (correlationSums[d] == null) {
                                correlationSums[d] = new double[s2.length];
                            }
                            for (int j = 0; j < s2.length; j++) {
                                correlationSums[d][j] += (double) s2[j] * n;
                            }
                        }
                    }
                    // features are taken as if for training (input requiring a gradient, inside a collector,
                    // nothing differentiated): libtorch then skips its NNPACK probe, which on CPUs NNPACK does not
                    // support prints a warning for every inference-only convolution
                    NDArray input = batch.duplicate();
                    input.setRequiresGradient(true);
                    NDList features;
                    try (GradientCollector ignored = Engines.pytorch().newGradientCollector()) {
                        features = extractor.features(input, axis);
                    }
                    for (NDArray f : features) {
                        NDArray g = gram(f.stopGradient()).sum(new int[] {0}, true);
                        float[] values = g.toType(DataType.FLOAT32, false).toFloatArray();
                        double[] sum = sums.computeIfAbsent(f.getName(), k -> new double[values.length]);
                        shapes.putIfAbsent(f.getName(), g.getShape().getShape());
                        for (int j = 0; j < values.length; j++) {
                            sum[j] += values[j];
                        }
                    }
                    count += n;
                }
            }
            lagsUsed.put(axis, lagSet);
        }
        if (sums.isEmpty()) {
            throw new IllegalArgumentException("the exemplar is too small for the feature extractor ("
                    + extractor.description() + ") at pooling factor " + poolFactor);
        }
        Map<String, NDArray> t = new LinkedHashMap<>();
        Map<String, Double> n = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double[] s = e.getValue();
            float[] mean = new float[s.length];
            double norm = 0;
            for (int i = 0; i < s.length; i++) {
                mean[i] = (float) (s[i] / count);
                norm += (double) mean[i] * mean[i];
            }
            long[] shape = shapes.get(e.getKey());
            NDArray target = manager.create(mean, new Shape(1, shape[1], shape[2]));
            target.setName(e.getKey());
            t.put(e.getKey(), target);
            n.put(e.getKey(), Math.max(norm, 1e-30));
        }
        targets.put(axis, t);
        targetNorms.put(axis, n);
        windows.put(axis, count);
        if (correlationSums[0] != null) {
            NDArray[] c = new NDArray[2];
            for (int d = 0; d < 2; d++) {
                float[] mean = new float[correlationSums[d].length];
                for (int j = 0; j < mean.length; j++) {
                    mean[j] = (float) (correlationSums[d][j] / count);
                }
                c[d] = manager.create(mean, new Shape(phases, mean.length / phases));
            }
            correlationTargets.put(axis, c);
        }
    }

    private static void addCorners(List<long[]> out, int source, long[] extent, long[] w) {
        if (extent.length == 2) {
            for (long r = 0; r + w[0] <= extent[0]; r += w[0]) {
                for (long c = 0; c + w[1] <= extent[1]; c += w[1]) {
                    out.add(new long[] {source, r, c});
                }
            }
        } else {
            for (long d = 0; d + w[0] <= extent[0]; d += w[0]) {
                for (long r = 0; r + w[1] <= extent[1]; r += w[1]) {
                    for (long c = 0; c + w[2] <= extent[2]; c += w[2]) {
                        out.add(new long[] {source, d, r, c});
                    }
                }
            }
        }
    }

    private static NDArray crop(NDArray x, long[] corner, long[] w) {
        StringBuilder index = new StringBuilder(":, :");
        for (int d = 0; d < w.length; d++) {
            index.append(", ").append(corner[d + 1]).append(':').append(corner[d + 1] + w[d]);
        }
        return x.get(index.toString());
    }

    /**
     * One-hot encoding of a labelled image or volume: {@code (1, phases, H, W)} for {@code nz = 1} with an image
     * extractor, else {@code (1, phases, D, H, W)}.
     */
    private NDArray oneHot(NDManager sub, Volume v) {
        int n = (int) v.voxelCount();
        float[] data = new float[phases * n];
        for (int i = 0; i < n; i++) {
            data[v.get(i) * n + i] = 1f;
        }
        Shape shape = extractor.spatialDimensions() == 2
                ? new Shape(1, phases, v.ny() * (long) v.nz(), v.nx())
                : new Shape(1, phases, v.nz(), v.ny(), v.nx());
        return sub.create(data, shape);
    }

    private static NDArray pool(NDArray x, int f) {
        if (f == 1) {
            return x;
        }
        if (x.getShape().dimension() == 4) {
            return Pool.avgPool2d(x, new Shape(f, f), new Shape(f, f), new Shape(0, 0), false, true);
        }
        return Pool.avgPool3d(x, new Shape(f, f, f), new Shape(f, f, f), new Shape(0, 0, 0), false, true);
    }

    /**
     * Symmetry {@code k} of the square applied to images {@code (N, C, H, W)}: 0 identity, 1-3 reflections (rows,
     * columns, both), 4-7 the transpose followed by the same (only for square images). Volumes are returned as
     * they are.
     */
    private static NDArray symmetry(NDArray x, int k) {
        if (x.getShape().dimension() != 4 || k == 0) {
            return x;
        }
        NDArray t = k >= 4 ? x.transpose(0, 1, 3, 2) : x;
        switch (k % 4) {
            case 1:
                return t.flip(2);
            case 2:
                return t.flip(3);
            case 3:
                return t.flip(2, 3);
            default:
                return t;
        }
    }

    /**
     * The lags the two-point term matches up to {@code max}: every lag to 6, then steps of about 20 %
     * (1..6, 7, 8, 10, 12, 14, 17, 20, 24, 29, ...), {@code max} itself last. S2 is smooth, so these pin the curve
     * down at a third of the cost of every lag.
     *
     * @param max largest lag, >= 0
     * @return ascending lags, empty when {@code max < 1}
     */
    static int[] lagSet(int max) {
        List<Integer> out = new ArrayList<>();
        int r = 1;
        while (r <= max) {
            out.add(r);
            r = r < 6 ? r + 1 : Math.max(r + 1, (int) Math.round(r * 1.2));
        }
        if (!out.isEmpty() && out.get(out.size() - 1) != max) {
            out.add(max);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Two-point correlation of images {@code (N, P, rows, columns)} along rows ({@code dim} 2) or columns (3), per
     * phase, at the given lags: {@code S2_k(r) = mean p_k(u) p_k(u + r)} over all pairs inside the images (no
     * wrap-around), as {@code (P, lags)}. For one-hot images this is the usual S2 of each phase.
     *
     * @param images phase probabilities
     * @param dim 2 or 3
     * @param lags lags, each less than the size along {@code dim}
     * @return the correlations
     */
    static NDArray twoPoint(NDArray images, int dim, int[] lags) {
        long n = images.getShape().get(dim);
        NDList columns = new NDList();
        for (int r : lags) {
            String head = dim == 2 ? ":, :, 0:" + (n - r) + ", :" : ":, :, :, 0:" + (n - r);
            String tail = dim == 2 ? ":, :, " + r + ":, :" : ":, :, :, " + r + ":";
            NDArray product = images.get(head).mul(images.get(tail));
            long pairs = product.getShape().size() / product.getShape().get(1);
            columns.add(Scalars.over(product.sum(new int[] {0, 2, 3}), pairs));
        }
        return NDArrays.stack(columns, 1);
    }

    /**
     * Gram matrices of feature maps: {@code (N, C, ...)} to {@code (N, C, C)}, {@code G = F F^T / pixels}.
     *
     * @param features feature maps, at least rank 3
     * @return the Gram matrices
     */
    public static NDArray gram(NDArray features) {
        Shape s = features.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long pixels = s.size() / (n * c);
        NDArray f = features.reshape(n, c, pixels);
        return Scalars.over(f.batchMatMul(f.transpose(0, 2, 1)), pixels);
    }

    /**
     * Returns the axes whose slices this loss matches for an output of the given size.
     *
     * @param nx output size along x
     * @param ny along y
     * @param nz along z
     * @return the matched axes (for a volume extractor: {@code Z}, standing for the whole volume)
     */
    public List<Axis> axes(int nx, int ny, int nz) {
        if (extractor.spatialDimensions() == 3) {
            return List.of(Axis.Z);
        }
        int m = extractor.minimumSize();
        List<Axis> out = new java.util.ArrayList<>();
        if (ny >= m && nz >= m) {
            out.add(Axis.X);
        }
        if (nx >= m && nz >= m) {
            out.add(Axis.Y);
        }
        if (nx >= m && ny >= m) {
            out.add(Axis.Z);
        }
        return out;
    }

    /**
     * Evaluates the loss.
     *
     * @param logits {@code (1, phases, D, H, W)}, float32 or float64
     * @param slices per matched axis, the slices taken (a missing axis is skipped)
     * @return the scalar loss, differentiable with respect to {@code logits} inside a gradient collector
     */
    public NDArray evaluate(NDArray logits, Map<Axis, Slices> slices) {
        Shape s = logits.getShape();
        if (s.dimension() != 5 || s.get(0) != 1 || s.get(1) != phases) {
            throw new IllegalArgumentException("expected logits (1, " + phases + ", D, H, W), got " + s);
        }
        NDArray p = logits.softmax(1);
        NDArray total = null;
        int axes = 0;
        for (Map.Entry<Axis, Slices> e : slices.entrySet()) {
            NDArray images = extractor.spatialDimensions() == 3 ? p : slices(p, e.getKey(), e.getValue());
            Axis key = extractor.spatialDimensions() == 3 ? Axis.Z : e.getKey();
            NDArray term = textureTerm(images, key);
            total = total == null ? term : total.add(term);
            axes++;
        }
        if (total == null) {
            throw new IllegalArgumentException("no axis to match for logits " + s);
        }
        total = Scalars.over(total, axes);
        if (fractionWeight > 0) {
            NDArray mean = Scalars.over(p.sum(new int[] {0, 2, 3, 4}), s.size() / phases);
            NDArray target = logits.getManager().create(toFloats(fractions)).toType(logits.getDataType(), false);
            total = total.add(Scalars.times(mean.sub(target).square().sum(), fractionWeight));
        }
        return total;
    }

    /** {@code sum_l mean_slices ||G - G*||^2 / ||G*||^2} for a batch of images or one volume. */
    private NDArray textureTerm(NDArray images, Axis axis) {
        Map<String, NDArray> t = targets.get(axis);
        Map<String, Double> norms = targetNorms.get(axis);
        NDList features = extractor.features(images, axis);
        NDArray sum = null;
        for (NDArray f : features) {
            NDArray target = t.get(f.getName());
            if (target == null) {
                continue;
            }
            NDArray g = gram(f);
            NDArray d = Scalars.over(g.sub(target.toType(g.getDataType(), false)).square().sum(),
                    norms.get(f.getName()) * g.getShape().get(0));
            sum = sum == null ? d : sum.add(d);
        }
        if (sum == null) {
            throw new IllegalArgumentException("no feature layer fits slices of shape " + images.getShape());
        }
        NDArray[] c = correlationTargets.get(axis);
        if (correlationWeight > 0 && c != null) {
            for (int d = 0; d < 2; d++) {
                NDArray s2 = twoPoint(images, 2 + d, lagsUsed.get(axis));
                NDArray err = Scalars.times(s2.sub(c[d].toType(s2.getDataType(), false)).square().mean(),
                        correlationWeight / 2);
                sum = sum.add(err);
            }
        }
        return sum;
    }

    /**
     * Slices of a probability volume {@code (1, P, D, H, W)} normal to {@code axis} as images {@code (n, P, rows,
     * columns)}: normal to z (rows y, columns x), to y (rows z, columns x), to x (rows z, columns y).
     *
     * @param p probabilities
     * @param axis the normal
     * @param slices which slices
     * @return the images
     */
    NDArray slices(NDArray p, Axis axis, Slices slices) {
        String pick = slices.start() + "::" + slices.step();
        NDArray images;
        switch (axis) {
            case Z:
                images = p.get("0, :, " + pick + ", :, :").transpose(1, 0, 2, 3);
                break;
            case Y:
                images = p.get("0, :, :, " + pick + ", :").transpose(2, 0, 1, 3);
                break;
            default:
                images = p.get("0, :, :, :, " + pick).transpose(3, 0, 1, 2);
                break;
        }
        int[] shape = {(int) images.getShape().get(2), (int) images.getShape().get(3)};
        int[] w = window(shape);
        if (w[0] == shape[0] && w[1] == shape[1]) {
            return images;
        }
        int r = Math.min(slices.rowShift(), shape[0] - w[0]);
        int c = Math.min(slices.columnShift(), shape[1] - w[1]);
        return images.get(":, :, " + r + ":" + (r + w[0]) + ", " + c + ":" + (c + w[1]));
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Override
    public void close() {
        manager.close();
    }
}

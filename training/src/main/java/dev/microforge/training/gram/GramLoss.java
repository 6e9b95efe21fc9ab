package dev.microforge.training.gram;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.models.Engines;
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
 *   L(theta) = (1 / |A|) sum_{a in A} (1 / |S_a|) sum_{s in S_a} sum_l ||G_l(p_s) - G*_{a,l}||_F^2 / ||G*_{a,l}||_F^2
 *            + lambda sum_k (mean(p_k) - phi_k)^2,        p = softmax(theta) over phases
 * </pre>
 *
 * where {@code A} are the axes whose slices are at least the extractor's minimum size (x, y, z for a volume; z only
 * for a 2D output), {@code S_a} the slices normal to {@code a} taken this step, {@code p_s} such a slice as an image
 * {@code (phases, rows, columns)} oriented as in {@link Exemplar}, {@code G_l(p) = F_l F_l^T / (h_l w_l)} the Gram
 * matrix of layer {@code l}'s feature map {@code F_l} (channels x pixels), {@code G*_{a,l}} the mean Gram matrix of
 * the exemplar for axis {@code a}, and {@code phi} the target phase fractions. Each slice is matched on its own (the
 * sum over slices of Li et al.), not only the average over slices. The relative error per layer puts layers of
 * different magnitudes on an equal footing.
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

    /** Slices normal to one axis taken in a step: {@code start, start + step, ...}. */
    public record Slices(long start, long step) {
        /** Validates. */
        public Slices {
            if (start < 0 || step < 1) {
                throw new IllegalArgumentException("slices need start >= 0 and step >= 1, got " + start + ", " + step);
            }
        }

        /** Every slice. */
        public static final Slices ALL = new Slices(0, 1);
    }

    private final FeatureExtractor extractor;
    private final NDManager manager;
    /** Per axis (or, for a volume extractor, under Z only), layer name -> target Gram {@code (1, C, C)}. */
    private final Map<Axis, Map<String, NDArray>> targets = new EnumMap<>(Axis.class);
    private final Map<Axis, Map<String, Double>> targetNorms = new EnumMap<>(Axis.class);
    private final Map<Axis, Integer> windows = new EnumMap<>(Axis.class);
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
     * @return the loss (close it)
     */
    public static GramLoss create(FeatureExtractor extractor, Exemplar exemplar, int poolFactor, int[] size,
            boolean symmetrise, double[] fractions, double fractionWeight) {
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
        GramLoss loss = new GramLoss(extractor, fractions, fractionWeight, exemplar.phases());
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
                int[] window = sliceShape(a, size);
                String key = exemplar.volume() == null
                        ? System.identityHashCode(exemplar.images().get(a)) + "/" + window[0] + "x" + window[1] : null;
                if (key != null && done.containsKey(key)) {
                    Axis same = done.get(key);
                    loss.targets.put(a, loss.targets.get(same));
                    loss.targetNorms.put(a, loss.targetNorms.get(same));
                    loss.windows.put(a, loss.windows.get(same));
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
            int symmetries = !symmetrise ? 1 : square ? 8 : 4;
            int perWindow = Math.max(1, (symmetries + corners.size() - 1) / corners.size());
            for (int i = 0; i < corners.size(); i++) {
                long[] c = corners.get(i);
                NDArray x = crop(pooled.get((int) c[0]), c, w);
                for (int r = 0; r < perWindow; r++) {
                    int symmetry = (i * perWindow + r) % symmetries;
                    try (NDManager one = sub.newSubManager()) {
                        x.tempAttach(one);
                        NDList features = extractor.features(symmetry(x, symmetry));
                        for (NDArray f : features) {
                            NDArray g = gram(f);
                            float[] values = g.toType(DataType.FLOAT32, false).toFloatArray();
                            double[] sum = sums.computeIfAbsent(f.getName(), k -> new double[values.length]);
                            shapes.putIfAbsent(f.getName(), g.getShape().getShape());
                            for (int j = 0; j < values.length; j++) {
                                sum[j] += values[j];
                            }
                        }
                        count++;
                    }
                }
            }
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
        return f.batchMatMul(f.transpose(0, 2, 1)).div((float) pixels);
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
        total = total.div((float) axes);
        if (fractionWeight > 0) {
            NDArray mean = p.sum(new int[] {0, 2, 3, 4}).div((float) (s.size() / phases));
            NDArray target = logits.getManager().create(toFloats(fractions)).toType(logits.getDataType(), false);
            total = total.add(mean.sub(target).square().sum().mul((float) fractionWeight));
        }
        return total;
    }

    /** {@code sum_l mean_slices ||G - G*||^2 / ||G*||^2} for a batch of images or one volume. */
    private NDArray textureTerm(NDArray images, Axis axis) {
        Map<String, NDArray> t = targets.get(axis);
        Map<String, Double> norms = targetNorms.get(axis);
        NDList features = extractor.features(images);
        NDArray sum = null;
        for (NDArray f : features) {
            NDArray target = t.get(f.getName());
            if (target == null) {
                continue;
            }
            NDArray g = gram(f);
            NDArray d = g.sub(target.toType(g.getDataType(), false)).square().sum()
                    .div((float) (norms.get(f.getName()) * g.getShape().get(0)));
            sum = sum == null ? d : sum.add(d);
        }
        if (sum == null) {
            throw new IllegalArgumentException("no feature layer fits slices of shape " + images.getShape());
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
    static NDArray slices(NDArray p, Axis axis, Slices slices) {
        String pick = slices.start() + "::" + slices.step();
        switch (axis) {
            case Z:
                return p.get("0, :, " + pick + ", :, :").transpose(1, 0, 2, 3);
            case Y:
                return p.get("0, :, :, " + pick + ", :").transpose(2, 0, 1, 3);
            default:
                return p.get("0, :, :, :, " + pick).transpose(3, 0, 1, 2);
        }
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

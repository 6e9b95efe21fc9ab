package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.generator.LevelCut;
import dev.microforge.models.gram.FeatureExtractor;
import dev.microforge.models.gram.FeatureExtractors;
import dev.microforge.training.gram.Exemplar;
import dev.microforge.training.gram.GramReconstruction;
import java.util.List;
import java.util.SortedMap;

/**
 * Gram-matrix reconstruction end to end, shared by {@code reconstruct gram} and {@code bench gram}: compact the
 * exemplar labels, open the feature extractor, optimise the phase probabilities ({@link GramReconstruction}, in
 * {@code training}), cut them to the target fractions ({@link LevelCut}, in {@code generator}: the two modules may
 * not call each other) and give the phases back the exemplar's label values.
 */
public final class GramPipeline {

    private GramPipeline() {
    }

    /**
     * The outcome.
     *
     * @param volume the labelled volume, with the exemplar's label values
     * @param result the optimisation's result (probabilities, loss history)
     * @param labels the exemplar label value of each phase, in phase order
     * @param extractor the extractor's description
     */
    public record Outcome(Volume volume, GramReconstruction.Result result, int[] labels, String extractor) {
    }

    /**
     * Reads the phases of exemplar images or volumes: every distinct label value among them, in increasing order,
     * is one phase.
     *
     * @param exemplars one 2D image, three orthogonal 2D images (normal to x, y, z), or one 3D volume
     * @return the label value of each phase
     */
    public static int[] phaseLabels(List<Volume> exemplars) {
        java.util.TreeSet<Integer> values = new java.util.TreeSet<>();
        for (Volume v : exemplars) {
            SortedMap<Integer, Long> h = v.labelHistogram();
            values.addAll(h.keySet());
        }
        if (values.size() < 2) {
            throw new IllegalArgumentException("the exemplar has " + values.size() + " label value " + values
                    + "; a reconstruction needs at least 2 phases");
        }
        if (values.size() > 16) {
            throw new IllegalArgumentException("the exemplar has " + values.size() + " label values; a Gram"
                    + " reconstruction takes labelled images of at most 16 phases (segment greyscale images first,"
                    + " e.g. with convert --otsu)");
        }
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Builds the exemplar with labels compacted to phases {@code 0..P-1}.
     *
     * @param exemplars one 2D image, three orthogonal 2D images (normal to x, y, z), or one 3D volume
     * @param labels the label value of each phase ({@link #phaseLabels})
     * @return the exemplar
     */
    public static Exemplar exemplar(List<Volume> exemplars, int[] labels) {
        int[] lookup = new int[256];
        java.util.Arrays.fill(lookup, -1);
        for (int k = 0; k < labels.length; k++) {
            lookup[labels[k]] = k;
        }
        List<Volume> compact = exemplars.stream().map(v -> v.remap(lookup)).toList();
        if (compact.size() == 3) {
            return Exemplar.orthogonal(compact.get(0), compact.get(1), compact.get(2));
        }
        if (compact.size() != 1) {
            throw new IllegalArgumentException("give one exemplar or three orthogonal ones, got " + compact.size());
        }
        Volume v = compact.get(0);
        return v.nz() == 1 ? Exemplar.image(v) : Exemplar.volume(v);
    }

    /**
     * Runs the reconstruction.
     *
     * @param exemplars one 2D image, three orthogonal 2D images (normal to x, y, z), or one 3D volume
     * @param extractorSpec {@code random}, a model directory or a TorchScript file
     * @param layers layers of a TorchScript model (may be empty otherwise)
     * @param options reconstruction options (fractions in phase order, or null for the exemplar's)
     * @param voxel voxel size of the output
     * @param listener progress
     * @return the outcome
     */
    public static Outcome run(List<Volume> exemplars, String extractorSpec, List<String> layers,
            GramReconstruction.Options options, VoxelSize voxel, GramReconstruction.Listener listener) {
        int[] labels = phaseLabels(exemplars);
        Exemplar exemplar = exemplar(exemplars, labels);
        GramReconstruction.Result result;
        String description;
        try (FeatureExtractor extractor = FeatureExtractors.open(extractorSpec, labels.length, layers,
                options.seed())) {
            description = extractor.description();
            result = GramReconstruction.reconstruct(exemplar, extractor, options, listener);
        }
        float[][] scores = new float[labels.length][];
        for (int k = 0; k < labels.length; k++) {
            float[] p = result.probabilities()[k];
            float[] s = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                s[i] = (float) Math.log(Math.max(p[i], 1e-30f));
            }
            scores[k] = s;
        }
        Volume phases = LevelCut.toFractions(scores, result.nx(), result.ny(), result.nz(), result.fractions(), voxel);
        int[] back = new int[256];
        for (int k = 0; k < labels.length; k++) {
            back[k] = labels[k];
        }
        return new Outcome(phases.remap(back), result, labels, description);
    }
}

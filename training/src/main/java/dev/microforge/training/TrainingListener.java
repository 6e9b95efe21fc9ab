package dev.microforge.training;

/** Receives progress from a GAN training loop; never prints (DESIGN §1: loops report through listeners). */
@FunctionalInterface
public interface TrainingListener {

    /** A listener that ignores everything. */
    TrainingListener NONE = (iteration, criticLoss, generatorLoss, gradientPenalty) -> {};

    /**
     * Called after each generator step.
     *
     * @param iteration 1-based generator iteration
     * @param criticLoss last critic loss {@code E[C(fake)] - E[C(real)] + lambda * GP}
     * @param generatorLoss generator loss {@code -E[C(G(z))]}
     * @param gradientPenalty last gradient penalty {@code E[(||grad C(x^)|| - 1)^2]} (unweighted)
     */
    void onIteration(int iteration, double criticLoss, double generatorLoss, double gradientPenalty);
}

package dev.microforge.training;

import ai.djl.ndarray.NDArray;
import dev.microforge.models.Scalars;

/**
 * The negative evidence lower bound of a VAE with a beta-weighted KL term (Kingma and Welling 2014;
 * Higgins et al. 2017), per sample:
 *
 * <pre>
 *   L = sum over voxels v and phases c of  -y[c, v] * log softmax(logits)[c, v]      (reconstruction, nats)
 *     + beta * 0.5 * sum over latent entries j of (mu_j^2 + exp(s_j) - 1 - s_j)     (KL(q(z|x) || N(0, I)), nats)
 * </pre>
 *
 * with {@code y} the one-hot target, {@code mu} the posterior mean and {@code s} its log-variance.
 * The reconstruction is the categorical cross-entropy summed over voxels (not averaged), so that beta
 * = 1 is the true ELBO; divide by the voxel count for nats per voxel.
 */
public final class ElboLoss {

    private ElboLoss() {}

    /**
     * KL divergence of {@code N(mean, exp(logVariance))} from {@code N(0, I)}, per sample.
     *
     * @param mean {@code (N, L)}
     * @param logVariance {@code (N, L)}, natural log of the variances
     * @return {@code (N)} nats
     */
    public static NDArray kl(NDArray mean, NDArray logVariance) {
        return Scalars.times(mean.square().add(logVariance.exp()).sub(1f).sub(logVariance).sum(new int[] {1}), 0.5);
    }

    /**
     * Categorical cross-entropy of per-voxel phase logits against one-hot targets, summed over voxels
     * and phases, per sample.
     *
     * @param logits {@code (N, phases, ...)} unnormalised log-probabilities
     * @param oneHot same shape, one-hot over axis 1
     * @return {@code (N)} nats
     */
    public static NDArray reconstruction(NDArray logits, NDArray oneHot) {
        if (!logits.getShape().equals(oneHot.getShape())) {
            throw new IllegalArgumentException(
                    "logits " + logits.getShape() + " and targets " + oneHot.getShape() + " differ in shape");
        }
        long n = logits.getShape().get(0);
        return logits.logSoftmax(1).mul(oneHot).reshape(n, -1).sum(new int[] {1}).neg();
    }

    /**
     * The batch-mean loss {@code mean(reconstruction + beta * kl)}.
     *
     * @param reconstruction per-sample reconstruction {@code (N)}
     * @param kl per-sample KL {@code (N)}
     * @param beta KL weight
     * @return a scalar
     */
    public static NDArray total(NDArray reconstruction, NDArray kl, double beta) {
        return reconstruction.add(Scalars.times(kl, beta)).mean();
    }
}

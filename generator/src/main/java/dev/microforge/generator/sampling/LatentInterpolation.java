package dev.microforge.generator.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A path of latents from {@code a} to {@code b}, to morph one generated microstructure into another: linear,
 * {@code z(t) = (1 - t) a + t b}, or spherical (slerp, Shoemake, SIGGRAPH 1985; recommended for Gaussian latents by
 * White, "Sampling Generative Networks", arXiv:1609.04468, because linear midpoints of two independent draws have
 * about 0.71 times their norm, a region the generator never saw in training),
 * <pre>
 *   z(t) = sin((1 - t) w) / sin(w) a + sin(t w) / sin(w) b,   cos(w) = a.b / (|a| |b|)
 * </pre>
 * over the whole flattened latent; slerp falls back to linear when {@code sin(w) < 1e-6}. The {@code steps} values
 * of {@code t} are {@code i / (steps - 1)}, so the first latent is {@code a} and the last {@code b}, exactly.
 */
public final class LatentInterpolation {
    private LatentInterpolation() {
    }

    /** How to interpolate. */
    public enum Method {
        /** Straight line. */
        LINEAR,
        /** Great circle (slerp). */
        SPHERICAL;

        /** {@code linear} or {@code spherical} (also {@code slerp}), case-insensitive. */
        public static Method parse(String text) {
            String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
            switch (t) {
                case "linear":
                case "lerp":
                    return LINEAR;
                case "spherical":
                case "slerp":
                    return SPHERICAL;
                default:
                    throw new IllegalArgumentException("interpolation method must be linear or spherical, got '"
                            + text + "'");
            }
        }
    }

    /**
     * Options.
     *
     * @param steps latents on the path including both ends, at least 2
     * @param method linear or spherical
     */
    public record Options(int steps, Method method) {
        public Options {
            if (steps < 2 || steps > 10000) {
                throw new IllegalArgumentException("steps must be 2..10000 (both ends included), got " + steps);
            }
            if (method == null) {
                throw new IllegalArgumentException("method is required: LINEAR or SPHERICAL");
            }
        }

        /** 8 steps, spherical. */
        public static Options defaults() {
            return new Options(8, Method.SPHERICAL);
        }
    }

    /**
     * The path.
     *
     * @param latents {@code steps} latents, the first equal to {@code a} and the last to {@code b}
     * @param t the interpolation parameter of each, 0 to 1
     * @param angle the angle {@code w} between {@code a} and {@code b}, radians
     */
    public record Result(List<Latent> latents, double[] t, double angle) {
    }

    /**
     * Interpolates from {@code a} to {@code b}.
     *
     * @throws IllegalArgumentException when the latents differ in shape (naming both)
     */
    public static Result path(Latent a, Latent b, Options options) {
        if (a == null || b == null || options == null) {
            throw new IllegalArgumentException("two latents and options are required");
        }
        if (!a.sameShape(b)) {
            throw new IllegalArgumentException("cannot interpolate between latents of different shapes "
                    + a.shapeText() + " and " + b.shapeText());
        }
        double angle = angle(a.values(), b.values());
        int n = options.steps();
        List<Latent> out = new ArrayList<>(n);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i / (double) (n - 1);
            if (i == 0) {
                out.add(copy(a));
            } else if (i == n - 1) {
                out.add(copy(b));
            } else {
                out.add(at(a, b, t[i], options.method(), angle));
            }
        }
        return new Result(List.copyOf(out), t, angle);
    }

    /** The latent at {@code t} (0 gives {@code a}, 1 gives {@code b}). */
    public static Latent at(Latent a, Latent b, double t, Method method) {
        if (!a.sameShape(b)) {
            throw new IllegalArgumentException("cannot interpolate between latents of different shapes "
                    + a.shapeText() + " and " + b.shapeText());
        }
        return at(a, b, t, method, angle(a.values(), b.values()));
    }

    private static Latent at(Latent a, Latent b, double t, Method method, double angle) {
        double wa = 1 - t;
        double wb = t;
        double s = Math.sin(angle);
        if (method == Method.SPHERICAL && s >= 1e-6) {
            wa = Math.sin((1 - t) * angle) / s;
            wb = Math.sin(t * angle) / s;
        }
        float[] va = a.values();
        float[] vb = b.values();
        float[] v = new float[va.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (wa * va[i] + wb * vb[i]);
        }
        return new Latent(a.channels(), a.nx(), a.ny(), a.nz(), v);
    }

    /** The angle between two vectors, radians (0 when either is zero). */
    static double angle(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        if (aa == 0 || bb == 0) {
            return 0;
        }
        return Math.acos(Math.max(-1, Math.min(1, ab / Math.sqrt(aa * bb))));
    }

    private static Latent copy(Latent l) {
        return new Latent(l.channels(), l.nx(), l.ny(), l.nz(), l.values().clone());
    }
}

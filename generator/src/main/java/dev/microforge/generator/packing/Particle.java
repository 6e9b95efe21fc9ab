package dev.microforge.generator.packing;

import java.util.Arrays;

/**
 * One packed ellipsoid (a sphere when its three semi-axes are equal). Centre {@code (x, y, z)} and semi-axes in
 * micrometres, in the volume's frame: x along the fastest voxel index, z along the slowest; the box spans
 * {@code [0, n*voxel]} per axis and voxel {@code (i, j, k)} has its centre at {@code ((i+0.5), (j+0.5), (k+0.5)) * voxel}.
 * {@code rotation} is a 3 x 3 row-major matrix whose column {@code m} is the unit direction of semi-axis {@code m}
 * ({@code semiA}, {@code semiB}, {@code semiC}) in the box frame. A point p is inside when
 * {@code sum_m ((R^T (p - c))_m / s_m)^2 <= 1}.
 */
public record Particle(double x, double y, double z, double semiA, double semiB, double semiC, double[] rotation) {
    public Particle {
        if (rotation == null || rotation.length != 9) {
            throw new IllegalArgumentException("rotation must be a 3 x 3 row-major matrix (9 values), got "
                    + (rotation == null ? "null" : rotation.length + " values"));
        }
        rotation = rotation.clone();
    }

    @Override
    public double[] rotation() {
        return rotation.clone();
    }

    /** Unit direction of semi-axis {@code m} (0 = A, 1 = B, 2 = C) in the box frame. */
    public double[] axis(int m) {
        return new double[] {rotation[m], rotation[3 + m], rotation[6 + m]};
    }

    /** Diameter of the sphere of equal volume, micrometres: {@code 2 (abc)^(1/3)}. */
    public double equivalentDiameter() {
        return 2 * Math.cbrt(semiA * semiB * semiC);
    }

    /** Volume in cubic micrometres: {@code 4/3 pi abc}. */
    public double volume() {
        return 4.0 / 3.0 * Math.PI * semiA * semiB * semiC;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Particle p && x == p.x && y == p.y && z == p.z && semiA == p.semiA && semiB == p.semiB
                && semiC == p.semiC && Arrays.equals(rotation, p.rotation);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(new double[] {x, y, z, semiA, semiB, semiC}) + Arrays.hashCode(rotation);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "Particle[centre=(%.4g, %.4g, %.4g) um, semi-axes=(%.4g, %.4g, %.4g) um]",
                x, y, z, semiA, semiB, semiC);
    }
}

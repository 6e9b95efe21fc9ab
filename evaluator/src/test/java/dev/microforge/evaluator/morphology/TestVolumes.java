package dev.microforge.evaluator.morphology;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeBuilder;
import java.util.Random;

/** Seeded test structures: balls, Boolean models of overlapping spheres, random volumes. */
final class TestVolumes {
    private TestVolumes() {
    }

    /** Random labels 0/1 with P(1) = p. */
    static Volume random(int nx, int ny, int nz, double p, long seed) {
        Random r = new Random(seed);
        return Volume.generate(nx, ny, nz, (x, y, z) -> r.nextDouble() < p ? 1 : 0);
    }

    /** Paints label 1 into the ball |v - c| <= radius (voxel centres), optionally wrapping around every axis. */
    static void paintBall(VolumeBuilder b, double cx, double cy, double cz, double radius, boolean periodic) {
        int r = (int) Math.ceil(radius) + 1;
        double r2 = radius * radius;
        for (int z = (int) Math.floor(cz) - r; z <= (int) Math.ceil(cz) + r; z++) {
            for (int y = (int) Math.floor(cy) - r; y <= (int) Math.ceil(cy) + r; y++) {
                for (int x = (int) Math.floor(cx) - r; x <= (int) Math.ceil(cx) + r; x++) {
                    double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz);
                    if (d2 > r2) {
                        continue;
                    }
                    int xx = x;
                    int yy = y;
                    int zz = z;
                    if (periodic) {
                        xx = Math.floorMod(x, b.nx());
                        yy = Math.floorMod(y, b.ny());
                        zz = Math.floorMod(z, b.nz());
                    } else if (x < 0 || y < 0 || z < 0 || x >= b.nx() || y >= b.ny() || z >= b.nz()) {
                        continue;
                    }
                    b.set(xx, yy, zz, 1);
                }
            }
        }
    }

    /**
     * Boolean model: {@code count} balls of {@code radius} with uniform random real centres in a periodic cube of
     * edge {@code n}; label 1 inside a ball (solid), 0 outside (void).
     */
    static Volume booleanSpheres(int n, double radius, int count, long seed) {
        Random r = new Random(seed);
        VolumeBuilder b = VolumeBuilder.create(n, n, n);
        for (int i = 0; i < count; i++) {
            paintBall(b, r.nextDouble() * n, r.nextDouble() * n, r.nextDouble() * n, radius, true);
        }
        return b.build();
    }
}

package dev.microforge.generator.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeAssert;
import dev.microforge.datasets.VolumeTooLargeException;
import dev.microforge.models.LatentDecoder;
import dev.microforge.models.gan.GanArchitecture;
import dev.microforge.models.gan.GanDecoder;
import dev.microforge.models.gan.GanModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sampling from a GAN of the default architecture (two x2 levels: size step 4) with its initial weights: sizes,
 * labels, determinism, agreement with {@code GanModel.generate}, slabs and batches against whole decodes, exact
 * periodicity, latent files and interpolation.
 */
class ModelSamplingTest {
    private static GanDecoder decoder;

    @BeforeAll
    static void createModel() {
        // a larger weight scale than the initialiser's would make the untrained labels more varied; the initial
        // weights already give all three phases (checked below), which is what the tests need
        decoder = new GanDecoder(GanModel.create(GanArchitecture.defaults(3), List.of("pore", "active", "cbd"), 5));
    }

    @AfterAll
    static void close() {
        decoder.close();
    }

    private static ModelSampling.Options size(int nx, int ny, int nz) {
        return ModelSampling.Options.defaults(nx, ny, nz);
    }

    @Test
    void givesTheRequestedSizeAndPhaseLabelsAndIsDeterministicUnderASeed() {
        ModelSampling.Options o = size(22, 13, 9); // not multiples of 4: latent 6 x 4 x 3, cut
        assertEquals(List.of(6, 4, 3), List.of(ModelSampling.latentSize(decoder, o)[0],
                ModelSampling.latentSize(decoder, o)[1], ModelSampling.latentSize(decoder, o)[2]));
        Volume a = ModelSampling.generate(decoder, ModelSampling.latent(decoder, o, 42), o);
        Volume b = ModelSampling.generate(decoder, ModelSampling.latent(decoder, o, 42), o);
        Volume c = ModelSampling.generate(decoder, ModelSampling.latent(decoder, o, 43), o);
        assertEquals(List.of(22, 13, 9), List.of(a.nx(), a.ny(), a.nz()));
        VolumeAssert.assertVolumeEquals(a, b);
        assertNotEquals(a, c);
        assertTrue(a.labelHistogram().keySet().stream().allMatch(l -> l >= 0 && l < 3), a.labelHistogram()::toString);
        assertEquals(3, a.labelHistogram().size(), "initial weights give every phase: " + a.labelHistogram());
    }

    @Test
    void agreesWithTheModelsOwnGenerateForACubicLatent() {
        ModelSampling.Options o = size(16, 16, 16);
        Volume ours = ModelSampling.generate(decoder, ModelSampling.latent(decoder, o, 9), o);
        VolumeAssert.assertVolumeEquals(decoder.model().generate(4, 9), ours);
    }

    @Test
    void theFacesOfAPlainVolumeAreDecodedLikeTheInterior() {
        // the latent padded by its mirror image and decoded as a larger volume: its middle block is the volume, so
        // no kept voxel came from the generator's zero padding (which reaches less than one latent voxel)
        Latent z = Latent.gaussian(16, 3, 2, 2, 5);
        int s = decoder.sizeStep();
        Volume plain = ModelSampling.generate(decoder, z, size(3 * s, 2 * s, 2 * s));
        Volume big = ModelSampling.generate(decoder, z.padMirror(1), size(5 * s, 4 * s, 4 * s));
        VolumeAssert.assertVolumeEquals(big.crop(s, s, s, 3 * s, 2 * s, 2 * s), plain);
        // negative control: the raw decode of the latent (zero padding at the faces) differs at the faces
        byte[] raw = decoder.decode(z.values(), 1, 3, 2, 2);
        assertFalse(java.util.Arrays.equals(raw, plain.toArray()), "the margin must change the face voxels");
    }

    @Test
    void aSmallerSizeIsTheCutOfTheFullDecode() {
        Latent z = Latent.gaussian(16, 5, 3, 3, 1);
        Volume full = ModelSampling.generate(decoder, z, size(20, 12, 12));
        Volume cut = ModelSampling.generate(decoder, z, size(19, 10, 9));
        VolumeAssert.assertVolumeEquals(full.crop(0, 0, 0, 19, 10, 9), cut);
    }

    /** The test's GAN with a simple memory model: 500 bytes per output voxel, nothing fixed. */
    private static LatentDecoder metered() {
        return metered(decoder.latentMargin(), true);
    }

    /** The same with another declared locality margin. */
    private static LatentDecoder metered(int margin) {
        return metered(margin, true);
    }

    /** The same, with or without its logits. */
    private static LatentDecoder metered(int margin, boolean logits) {
        return new LatentDecoder() {
            public String kind() {
                return decoder.kind();
            }

            public int phases() {
                return decoder.phases();
            }

            public List<String> phaseLabels() {
                return decoder.phaseLabels();
            }

            public int latentChannels() {
                return decoder.latentChannels();
            }

            public int sizeStep() {
                return decoder.sizeStep();
            }

            public int latentMargin() {
                return margin;
            }

            public long workingBytes(int batch, int lx, int ly, int lz) {
                return 500L * batch * lx * ly * lz * 64;
            }

            public byte[] decode(float[] latents, int batch, int lx, int ly, int lz) {
                return decoder.decode(latents, batch, lx, ly, lz);
            }

            public boolean hasLogits() {
                return logits;
            }

            public float[] decodeLogits(float[] latents, int batch, int lx, int ly, int lz) {
                return logits ? decoder.decodeLogits(latents, batch, lx, ly, lz)
                        : LatentDecoder.super.decodeLogits(latents, batch, lx, ly, lz);
            }

            public void close() {
            }
        };
    }

    @Test
    void slabsAndBatchesEqualOneWholeDecode() {
        LatentDecoder d = metered();
        ModelSampling.Options whole = size(24, 20, 32).withMaxBatch(1);
        List<Latent> latents = List.of(ModelSampling.latent(d, whole, 3), ModelSampling.latent(d, whole, 4),
                ModelSampling.latent(d, whole, 5));
        ModelSampling.Result one = ModelSampling.generate(d, latents, whole, null);
        assertEquals(1, one.slabs());
        assertEquals(1, one.batch());
        // one padded latent layer decodes to 32 * 28 * 4 voxels, 1,792,000 bytes here: 5.5 MB allow 3 layers, 1 kept
        // per slab and its two neighbours (8 slabs); 9 MB allow 5 layers, 3 kept (3 slabs)
        List<Latent> first = latents.subList(0, 1);
        ModelSampling.Result thin = ModelSampling.generate(d, first, whole.withWorkingBytes(5_500_000), null);
        assertEquals(8, thin.slabs());
        ModelSampling.Result slabs = ModelSampling.generate(d, first, whole.withWorkingBytes(9_000_000)
                .withMaxBatch(8), null);
        assertEquals(3, slabs.slabs());
        assertEquals(1, slabs.batch());
        VolumeAssert.assertVolumeEquals(one.volumes().get(0), thin.volumes().get(0));
        VolumeAssert.assertVolumeEquals(one.volumes().get(0), slabs.volumes().get(0));
        ModelSampling.Result batched = ModelSampling.generate(d, latents, whole.withMaxBatch(8), null);
        assertEquals(3, batched.batch());
        for (int i = 0; i < 3; i++) {
            VolumeAssert.assertVolumeEquals(one.volumes().get(i), batched.volumes().get(i));
        }
        // periodic slabs too (the padded latent layer decodes to 32 * 28 * 4 voxels, 1,792,000 bytes: 3 layers fit)
        ModelSampling.Options periodic = whole.withPeriodic(true);
        Latent z = ModelSampling.latent(d, periodic, 8);
        ModelSampling.Result p = ModelSampling.generate(d, List.of(z), periodic.withWorkingBytes(5_500_000), null);
        assertEquals(8, p.slabs());
        VolumeAssert.assertVolumeEquals(ModelSampling.generate(d, z, periodic), p.volumes().get(0));
    }

    @Test
    void fractionsAreMetExactlyAndTheArgmaxsOwnFractionsGiveTheArgmax() {
        LatentDecoder d = metered();
        ModelSampling.Options o = size(24, 20, 30).withMaxBatch(1);
        Latent z = ModelSampling.latent(d, o, 3);
        Volume plain = ModelSampling.generate(d, z, o);
        long n = plain.voxelCount();
        long[] counts = plain.labelCounts();
        double[] own = {(double) counts[0] / n, (double) counts[1] / n, 1 - (double) (counts[0] + counts[1]) / n};
        VolumeAssert.assertVolumeEquals(plain, ModelSampling.generate(d, z, o.withFractions(own)));
        double[] target = {0.3, 0.5, 0.2};
        ModelSampling.Options cut = o.withFractions(target);
        Volume whole = ModelSampling.generate(d, z, cut);
        long[] got = whole.labelCounts();
        for (int k = 0; k < 3; k++) {
            assertEquals(target[k] * n, got[k], 1.0, "phase " + k + " of " + java.util.Arrays.toString(got));
        }
        // slabs and batches are cut the same way
        ModelSampling.Result thin = ModelSampling.generate(d, List.of(z), cut.withWorkingBytes(5_500_000), null);
        assertTrue(thin.slabs() > 1, "slabbed");
        VolumeAssert.assertVolumeEquals(whole, thin.volumes().get(0));
        Latent z2 = ModelSampling.latent(d, o, 4);
        ModelSampling.Result batched = ModelSampling.generate(d, List.of(z2, z), cut.withMaxBatch(8), null);
        assertEquals(2, batched.batch());
        VolumeAssert.assertVolumeEquals(whole, batched.volumes().get(1));
        VolumeAssert.assertVolumeEquals(ModelSampling.generate(d, z2, cut), batched.volumes().get(0));
    }

    @Test
    void fractionsNeedLogitsAndOnePerPhase() {
        ModelSampling.Options o = size(16, 16, 16).withFractions(new double[] {0.4, 0.6});
        Latent z = ModelSampling.latent(decoder, o, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSampling.generate(decoder, z, o))
                .getMessage().contains("2 fractions given for a model of 3 phases"));
        ModelSampling.Options three = o.withFractions(new double[] {0.4, 0.4, 0.2});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSampling.generate(metered(1, false), z,
                three)).getMessage().contains("does not give its phase logits"));
        assertThrows(IllegalArgumentException.class, () -> o.withFractions(new double[] {0.4, 0.4, 0.4}));
        assertThrows(IllegalArgumentException.class, () -> o.withFractions(new double[] {-0.1, 0.6, 0.5}));
    }

    @Test
    void aModelWithoutLocalityIsDecodedWholeAndNeverPeriodic() {
        LatentDecoder global = metered(0);
        ModelSampling.Options o = size(16, 16, 16);
        Latent z = ModelSampling.latent(global, o, 2);
        // no margin: the latent is decoded as it is
        VolumeAssert.assertVolumeEquals(Volume.of(16, 16, 16, decoder.decode(z.values(), 1, 4, 4, 4)),
                ModelSampling.generate(global, z, o));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSampling.generate(global, z,
                o.withPeriodic(true))).getMessage().contains("cannot make periodic volumes"));
        assertThrows(VolumeTooLargeException.class, () -> ModelSampling.generate(global, z,
                o.withWorkingBytes(1 << 20)));
    }

    @Test
    void aPeriodicVolumeIsOnePeriodOfTheTiledLatentsDecode() {
        ModelSampling.Options o = size(16, 12, 8).withPeriodic(true);
        Latent z = ModelSampling.latent(decoder, o, 21);
        Volume periodic = ModelSampling.generate(decoder, z, o);
        // the latent tiled 3 x 3 x 3, decoded without any padding trick: its middle block is surrounded by copies of
        // itself, so it continues across every face; the periodic volume must be exactly that block
        Latent tiled = tile3(z);
        Volume big = ModelSampling.generate(decoder, tiled, size(48, 36, 24));
        Volume middle = big.crop(16, 12, 8, 16, 12, 8);
        VolumeAssert.assertVolumeEquals(middle, periodic);
        // and it wraps: the block shifted by half a period equals the big decode's block shifted likewise
        VolumeAssert.assertVolumeEquals(big.crop(24, 18, 12, 16, 12, 8), roll(periodic, 8, 6, 4));
        // negative control: the plain decode of the same latent does not continue across its faces
        Volume plain = ModelSampling.generate(decoder, z, o.withPeriodic(false));
        assertFalse(plain.equals(periodic), "mirror padding at the faces must change the border voxels");
        // away from the faces (4 voxels, one latent voxel, or more) the two decodes agree
        VolumeAssert.assertVolumeEquals(plain.crop(4, 4, 4, 8, 4, 1), periodic.crop(4, 4, 4, 8, 4, 1));
    }

    @Test
    void periodicSizesMustBeMultiplesOfTheSizeStep() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelSampling.latentSize(decoder, size(18, 16, 16).withPeriodic(true)));
        assertTrue(e.getMessage().contains("use 16 or 20"), e.getMessage());
    }

    @Test
    void badLatentsAndTooLittleMemoryAreRefused() {
        ModelSampling.Options o = size(16, 16, 16);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSampling.generate(decoder,
                Latent.gaussian(8, 4, 4, 4, 1), o)).getMessage().contains("8 channels but the model takes 16"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSampling.generate(decoder,
                Latent.gaussian(16, 4, 3, 4, 1), o)).getMessage().contains("smaller than the requested 16 x 16 x 16"));
        assertThrows(IllegalArgumentException.class, () -> ModelSampling.generate(decoder,
                Latent.gaussian(16, 5, 4, 4, 1), o.withPeriodic(true)));
        // a 1024 x 1024 cross-section: one latent layer alone needs 1024 * 1024 * 4 voxels * ~300 bytes
        ModelSampling.Options huge = size(1024, 1024, 8).withWorkingBytes(64L << 20);
        assertThrows(VolumeTooLargeException.class, () -> ModelSampling.generate(decoder,
                ModelSampling.latent(decoder, huge, 1), huge));
        assertThrows(IllegalArgumentException.class, () -> o.withWorkingBytes(1000));
        assertThrows(IllegalArgumentException.class, () -> o.withMaxBatch(0));
        assertThrows(IllegalArgumentException.class, () -> size(0, 4, 4));
    }

    @Test
    void aLatentWrittenAndReadBackGivesTheSameVolume(@TempDir Path dir) throws Exception {
        ModelSampling.Options o = size(12, 8, 16);
        Latent z = ModelSampling.latent(decoder, o, 77);
        Path file = dir.resolve("z.npy");
        z.write(file, false);
        Latent back = Latent.read(file);
        assertEquals(z, back);
        assertEquals("(16, 4, 2, 3)", back.shapeText());
        VolumeAssert.assertVolumeEquals(ModelSampling.generate(decoder, z, o), ModelSampling.generate(decoder, back,
                o));
    }

    @Test
    void interpolationEndsAtTheTwoLatentsVolumes() {
        ModelSampling.Options o = size(16, 16, 8);
        Latent a = ModelSampling.latent(decoder, o, 1);
        Latent b = ModelSampling.latent(decoder, o, 2);
        for (LatentInterpolation.Method m : LatentInterpolation.Method.values()) {
            LatentInterpolation.Result path = LatentInterpolation.path(a, b, new LatentInterpolation.Options(5, m));
            assertEquals(5, path.latents().size());
            ModelSampling.Result r = ModelSampling.generate(decoder, path.latents(), o, null);
            VolumeAssert.assertVolumeEquals(ModelSampling.generate(decoder, a, o), r.volumes().get(0));
            VolumeAssert.assertVolumeEquals(ModelSampling.generate(decoder, b, o), r.volumes().get(4));
            assertNotEquals(r.volumes().get(0), r.volumes().get(2));
        }
    }

    private static Latent tile3(Latent z) {
        int c = z.channels();
        int nx = 3 * z.nx();
        int ny = 3 * z.ny();
        int nz = 3 * z.nz();
        float[] v = new float[c * nx * ny * nz];
        int i = 0;
        for (int k = 0; k < c; k++) {
            for (int zz = 0; zz < nz; zz++) {
                for (int y = 0; y < ny; y++) {
                    for (int x = 0; x < nx; x++) {
                        v[i++] = z.get(k, x % z.nx(), y % z.ny(), zz % z.nz());
                    }
                }
            }
        }
        return new Latent(c, nx, ny, nz, v);
    }

    /** {@code v} shifted so that voxel {@code (dx, dy, dz)} comes to the origin, wrapping around. */
    private static Volume roll(Volume v, int dx, int dy, int dz) {
        return Volume.generate(v.nx(), v.ny(), v.nz(), (x, y, z) -> v.get((x + dx) % v.nx(), (y + dy) % v.ny(),
                (z + dz) % v.nz()));
    }

    @Test
    void interpolationMethodsFollowTheirFormulas() {
        Latent a = new Latent(2, 1, 1, 1, new float[] {1, 0});
        Latent b = new Latent(2, 1, 1, 1, new float[] {0, 1});
        Latent lin = LatentInterpolation.at(a, b, 0.5, LatentInterpolation.Method.LINEAR);
        Latent sph = LatentInterpolation.at(a, b, 0.5, LatentInterpolation.Method.SPHERICAL);
        assertEquals(0.5f, lin.values()[0]);
        assertEquals(0.5f, lin.values()[1]);
        assertEquals((float) Math.sqrt(0.5), sph.values()[0], 1e-7);
        assertEquals((float) Math.sqrt(0.5), sph.values()[1], 1e-7);
        // slerp keeps the norm of unit vectors all along the great circle
        for (double t = 0; t <= 1; t += 0.125) {
            float[] v = LatentInterpolation.at(a, b, t, LatentInterpolation.Method.SPHERICAL).values();
            assertEquals(1.0, Math.hypot(v[0], v[1]), 1e-6);
        }
        assertThrows(IllegalArgumentException.class, () -> LatentInterpolation.path(a,
                new Latent(2, 2, 1, 1, new float[4]), LatentInterpolation.Options.defaults()));
        assertThrows(IllegalArgumentException.class, () -> new LatentInterpolation.Options(1,
                LatentInterpolation.Method.LINEAR));
        assertEquals(LatentInterpolation.Method.SPHERICAL, LatentInterpolation.Method.parse("slerp"));
        assertThrows(IllegalArgumentException.class, () -> LatentInterpolation.Method.parse("cubic"));
    }
}

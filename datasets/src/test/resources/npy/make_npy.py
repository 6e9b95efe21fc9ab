#!/usr/bin/env python3
"""Writes the small .npy reference files that NpyCodecTest reads.

Run from this folder:  python3 make_npy.py   (numpy >= 1.17; the committed files were made with numpy 2.4)

Valid files (shape (nz, ny, nx) = (2, 3, 4), value at x, y, z = x + 10*y + 100*z, so every value fits int8):
  pattern_<dtype>_<C|F>.npy   one per dtype and memory order; <dtype> is the NumPy descr without '|'
                              (b1, u1, i1, lu2, bu2, li2, bi2, li4, bi4, lf4, bf4; l = little, b = big endian).
                              bool files hold (x + y + z) % 2.
  pattern2d_u1_C.npy, pattern2d_u1_F.npy   shape (ny, nx) = (3, 4), value x + 10*y
  pattern_u1_v2.npy, pattern_u1_v3.npy     format versions 2.0 and 3.0 of the u1 C-order file
Files the reader must refuse:
  bad_f8.npy (float64), bad_i8.npy (int64), bad_object.npy (object array), bad_1d.npy (shape (5,)),
  bad_4d.npy (shape (1, 2, 3, 4)), bad_zero.npy (shape (0, 3, 4))
"""
import numpy as np

NZ, NY, NX = 2, 3, 4
z, y, x = np.meshgrid(np.arange(NZ), np.arange(NY), np.arange(NX), indexing="ij")
pattern = x + 10 * y + 100 * z
parity = (x + y + z) % 2

DTYPES = {"b1": "|b1", "u1": "|u1", "i1": "|i1", "lu2": "<u2", "bu2": ">u2", "li2": "<i2", "bi2": ">i2",
          "li4": "<i4", "bi4": ">i4", "lf4": "<f4", "bf4": ">f4"}


def save(name, arr, version=None):
    with open(name, "wb") as f:
        np.lib.format.write_array(f, arr, version=version, allow_pickle=True)


for key, descr in DTYPES.items():
    src = parity if key == "b1" else pattern
    arr = src.astype(np.dtype(descr))
    save(f"pattern_{key}_C.npy", np.ascontiguousarray(arr))
    save(f"pattern_{key}_F.npy", np.asfortranarray(arr))

p2 = (x + 10 * y)[0].astype(np.uint8)
save("pattern2d_u1_C.npy", np.ascontiguousarray(p2))
save("pattern2d_u1_F.npy", np.asfortranarray(p2))
save("pattern_u1_v2.npy", pattern.astype(np.uint8), version=(2, 0))
save("pattern_u1_v3.npy", pattern.astype(np.uint8), version=(3, 0))

save("bad_f8.npy", pattern.astype(np.float64))
save("bad_i8.npy", pattern.astype(np.int64))
save("bad_object.npy", np.array([[[1, "a"]]], dtype=object))
save("bad_1d.npy", np.arange(5, dtype=np.uint8))
save("bad_4d.npy", np.zeros((1, 2, 3, 4), dtype=np.uint8))
save("bad_zero.npy", np.zeros((0, 3, 4), dtype=np.uint8))

# Float arrays of any rank (NpyCodec.readFloatArray / writeFloatArray, e.g. a generator latent (channels, nz, ny, nx)):
# shape (2, 2, 3, 4), value c*1000 + x + 10*y + 100*z + 0.5 at channel c
c4 = np.arange(2).reshape(2, 1, 1, 1)
latent = (c4 * 1000 + pattern[None] + 0.5)
save("latent_lf4_C.npy", np.ascontiguousarray(latent.astype("<f4")))
save("latent_bf8_C.npy", np.ascontiguousarray(latent.astype(">f8")))

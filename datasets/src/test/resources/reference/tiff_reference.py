#!/usr/bin/env python3
"""Reference shapes and label counts of the real TIFF files in ../real, decoded independently of Microforge.

Each file is first rewritten uncompressed, little-endian, one strip per page by libtiff's `tiffcp -c none -L -r N`
(libtiff 4.5.0, Debian bookworm package libtiff-tools); the plain strips are then read here with struct + NumPy
(NumPy 2.4.6) and counted. Output: tiff_reference.json (shape as NumPy (pages, rows, cols) and counts per label
value, signed int8 values reported as their unsigned byte).
Run from this folder: python3 tiff_reference.py
"""
import glob
import json
import os
import struct
import subprocess
import tempfile
import zipfile

import numpy as np


def pages_of(path):
    b = open(path, "rb").read()
    assert b[:2] == b"II", path
    off = struct.unpack_from("<I", b, 4)[0]
    while off:
        n = struct.unpack_from("<H", b, off)[0]
        tags = {}
        for i in range(n):
            tag, typ, cnt = struct.unpack_from("<HHI", b, off + 2 + 12 * i)
            size = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8}.get(typ, 1) * cnt
            voff = off + 2 + 12 * i + 8
            if size > 4:
                voff = struct.unpack_from("<I", b, voff)[0]
            fmt = {1: "B", 2: "B", 3: "H", 4: "I"}.get(typ)
            if fmt and typ != 2:
                tags[tag] = struct.unpack_from("<%d%s" % (cnt, fmt), b, voff)
        w, h = tags[256][0], tags[257][0]
        bits = tags.get(258, (1,))[0]
        data = b"".join(b[o:o + c] for o, c in zip(tags[273], tags[279]))
        if bits == 1:
            rows = np.frombuffer(data, np.uint8).reshape(h, -1)
            img = np.unpackbits(rows, axis=1)[:, :w]
        else:
            img = np.frombuffer(data, np.uint8 if bits == 8 else np.uint16).reshape(h, w)
        yield img
        off = struct.unpack_from("<I", b, off + 2 + 12 * n)[0]


def reference(path):
    with tempfile.TemporaryDirectory() as tmp:
        src = path
        if path.endswith(".zip"):
            with zipfile.ZipFile(path) as z:
                name = [n for n in z.namelist() if n.endswith(".tiff") and not n.startswith("__MACOSX")][0]
                z.extract(name, tmp)
                src = os.path.join(tmp, name)
        plain = os.path.join(tmp, "plain.tif")
        subprocess.run(["tiffcp", "-c", "none", "-L", "-r", "100000", src, plain], check=True)
        vol = np.stack(list(pages_of(plain)))
    values, counts = np.unique(vol, return_counts=True)
    return {"shape": list(vol.shape), "labels": {str(int(v)): int(c) for v, c in zip(values, counts)}}


out = {}
for f in sorted(glob.glob("../real/*/*")):
    if f.endswith((".tif", ".tiff", ".zip")):
        out[os.path.relpath(f, "../real")] = reference(f)
json.dump(out, open("tiff_reference.json", "w"), indent=1, sort_keys=True)
print(json.dumps(out, indent=1))

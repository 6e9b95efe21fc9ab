#!/usr/bin/env python3
"""Builds the TIFF test files of TiffCodecTest.

Base stacks are written by hand below (uncompressed, little-endian, one strip per page) so that their pixel values
are known exactly; every compressed, tiled, big-endian and BigTIFF variant is then made from them by libtiff's
`tiffcp`, an independent implementation. Run from this folder: python3 make_tiffs.py (needs tiffcp on PATH).
"""
import struct
import subprocess

NX, NY, NZ = 37, 23, 3


def v8(x, y, z):
    return ((x * 7 + y * 3 + z * 11) % 5) * 50


def v16(x, y, z):
    return x * 1000 + y * 10 + z


def v1(x, y, z):
    return 1 if (x * y + z) % 3 == 0 else 0


def write_ifds_first(path, pages, bits):
    """Like ImageJ: header, all IFDs, then the strips (so a truncated file keeps its IFDs but loses data)."""
    n_entries = 9
    ifd_size = 2 + 12 * n_entries + 4
    data_start = 8 + ifd_size * len(pages)
    out = bytearray(b"II*\x00") + struct.pack("<I", 8)
    offset = data_start
    for i, (w, h, data) in enumerate(pages):
        nxt = 8 + ifd_size * (i + 1) if i + 1 < len(pages) else 0
        entries = [(256, 4, 1, w), (257, 4, 1, h), (258, 3, 1, bits), (259, 3, 1, 1), (262, 3, 1, 1),
                   (273, 4, 1, offset), (277, 3, 1, 1), (278, 4, 1, h), (279, 4, 1, len(data))]
        out += struct.pack("<H", n_entries)
        for tag, typ, count, value in entries:
            if typ == 3:
                out += struct.pack("<HHIHH", tag, typ, count, value, 0)
            else:
                out += struct.pack("<HHII", tag, typ, count, value)
        out += struct.pack("<I", nxt)
        offset += len(data)
    for (w, h, data) in pages:
        out += data
    open(path, "wb").write(out)


def write_tiff(path, pages, bits, sample_format=1, samples_per_pixel=1):
    """pages: list of (width, height, bytes). Classic little-endian TIFF, one strip per page."""
    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    ifd_offsets = []
    data_offsets = []
    for (w, h, data) in pages:
        data_offsets.append(len(out))
        out += data
        if len(out) % 2:
            out += b"\x00"
    for i, (w, h, data) in enumerate(pages):
        entries = [
            (256, 4, 1, w), (257, 4, 1, h), (258, 3, 1, bits), (259, 3, 1, 1),
            (262, 3, 1, 2 if samples_per_pixel == 3 else 1), (273, 4, 1, data_offsets[i]),
            (277, 3, 1, samples_per_pixel), (278, 4, 1, h), (279, 4, 1, len(data)),
            (284, 3, 1, 1), (339, 3, 1, sample_format),
        ]
        if samples_per_pixel == 3:
            # BitsPerSample needs three values: store them out of line
            bps_offset = len(out)
            out += struct.pack("<3H", bits, bits, bits) + b"\x00\x00"
            entries[2] = (258, 3, 3, bps_offset)
            sf_offset = len(out)
            out += struct.pack("<3H", sample_format, sample_format, sample_format) + b"\x00\x00"
            entries[10] = (339, 3, 3, sf_offset)
        ifd_offsets.append(len(out))
        out += struct.pack("<H", len(entries))
        for tag, typ, count, value in entries:
            if typ == 3 and count == 1:
                out += struct.pack("<HHIHH", tag, typ, count, value, 0)
            else:
                out += struct.pack("<HHII", tag, typ, count, value)
        out += b"\x00\x00\x00\x00"  # next IFD, patched below
    struct.pack_into("<I", out, 4, ifd_offsets[0])
    for i in range(len(ifd_offsets) - 1):
        n = struct.unpack_from("<H", out, ifd_offsets[i])[0]
        struct.pack_into("<I", out, ifd_offsets[i] + 2 + 12 * n, ifd_offsets[i + 1])
    open(path, "wb").write(out)


def page8(z, w=NX, h=NY):
    return (w, h, bytes(v8(x, y, z) for y in range(h) for x in range(w)))


def page16(z):
    return (NX, NY, b"".join(struct.pack("<H", v16(x, y, z)) for y in range(NY) for x in range(NX)))


def page1(z):
    rows = bytearray()
    for y in range(NY):
        byte, nbits = 0, 0
        for x in range(NX):
            byte = (byte << 1) | v1(x, y, z)
            nbits += 1
            if nbits == 8:
                rows.append(byte)
                byte, nbits = 0, 0
        if nbits:
            rows.append(byte << (8 - nbits))
    return (NX, NY, bytes(rows))


def pagef(z):
    return (NX, NY, b"".join(struct.pack("<f", x + 0.5 * y + 0.25 * z) for y in range(NY) for x in range(NX)))


def page_i8(z):
    return (NX, NY, bytes(((x - y) % 256) for y in range(NY) for x in range(NX)))


def page_rgb(z):
    return (NX, NY, bytes(c for y in range(NY) for x in range(NX) for c in (x, y, z)))


def tiffcp(args, src, dst):
    subprocess.run(["tiffcp"] + args + [src, dst], check=True)


write_tiff("base8.tif", [page8(z) for z in range(NZ)], 8)
write_tiff("base16.tif", [page16(z) for z in range(NZ)], 16)
write_tiff("base1.tif", [page1(z) for z in range(NZ)], 1)
write_tiff("float32.tif", [pagef(z) for z in range(NZ)], 32, sample_format=3)
write_tiff("int8.tif", [page_i8(z) for z in range(NZ)], 8, sample_format=2)
write_tiff("rgb.tif", [page_rgb(z) for z in range(NZ)], 8, samples_per_pixel=3)
write_ifds_first("ifds_first8.tif", [page8(z) for z in range(NZ)], 8)
write_tiff("mixed_sizes.tif", [page8(0), page8(1, w=NX - 1)], 8)

tiffcp(["-c", "none", "-B"], "base8.tif", "be_none8.tif")
tiffcp(["-c", "packbits"], "base8.tif", "packbits8.tif")
tiffcp(["-c", "zip", "-r", "5"], "base8.tif", "deflate_strips8.tif")
tiffcp(["-c", "lzw"], "base8.tif", "lzw8.tif")
tiffcp(["-c", "lzw:2"], "base8.tif", "lzw_predictor8.tif")
tiffcp(["-c", "zip", "-t", "-w", "16", "-l", "16"], "base8.tif", "tiled_deflate8.tif")
tiffcp(["-8", "-c", "zip"], "base8.tif", "bigtiff_deflate8.tif")
tiffcp(["-8", "-B", "-c", "packbits", "-t", "-w", "16", "-l", "16"], "base8.tif", "bigtiff_be_tiled_packbits8.tif")
tiffcp(["-c", "lzw:2"], "base16.tif", "lzw_predictor16.tif")
tiffcp(["-B", "-c", "zip"], "base16.tif", "be_deflate16.tif")
tiffcp(["-8", "-t", "-w", "16", "-l", "16", "-c", "lzw:2"], "base16.tif", "bigtiff_tiled_lzw16.tif")
tiffcp(["-c", "packbits"], "base1.tif", "packbits1.tif")
tiffcp(["-B", "-c", "zip"], "base1.tif", "be_deflate1.tif")

# Old-style Deflate: identical data, Compression tag 32946 instead of 8.
data = bytearray(open("deflate_strips8.tif", "rb").read())
assert data[:2] == b"II"
off = struct.unpack_from("<I", data, 4)[0]
while off:
    n = struct.unpack_from("<H", data, off)[0]
    for i in range(n):
        e = off + 2 + 12 * i
        if struct.unpack_from("<H", data, e)[0] == 259:
            assert struct.unpack_from("<H", data, e + 8)[0] == 8
            struct.pack_into("<H", data, e + 8, 32946)
    off = struct.unpack_from("<I", data, off + 2 + 12 * n)[0]
open("deflate32946_8.tif", "wb").write(bytes(data))

#!/usr/bin/env python3
"""Checks the pixel fixtures (Fixtures/pixels) against their manifest, or a cleaned file against its original.

    python3 Scripts/check-pixel-fixtures.py [--manifest Fixtures/pixels/manifest.json] [FILE...]
        Decodes every fixture (or the named ones) and checks that the burned-in text is where
        manifest.json says: each text rectangle holds text-valued pixels and is tight around them,
        no text-valued pixel lies outside the rectangles, the blank area covers the text, and the
        header agrees with the manifest (transfer syntax, photometric, size, frames, bits, Burned In
        Annotation, US regions, bytes and SHA-256).

    python3 Scripts/check-pixel-fixtures.py --blank-check ORIGINAL CLEANED [--area blank|text|whole]
        ORIGINAL is a fixture (found in the manifest by its file name). Exit 0 when every pixel inside
        the entry's rectangles (default: its "blank" area, what the expected cleaning blanks) is the
        blank value in CLEANED and every pixel outside is unchanged; otherwise one line per problem on
        stdout and exit 1 (exit 2: usage or decoding error).
        Exact for native, RLE, JPEG-LS and JPEG 2000. JPEG Baseline/Extended: inside, luma must be
        <= 2 (a DC-only block decodes to about the black level); outside, luma is compared exactly
        outside the MCUs that intersect a rectangle, chroma also outside a 2-pixel margin in each
        subsampled direction (the decoder's fancy upsampling blends neighbouring chroma samples).
        YBR_FULL_422 native: the blank area is widened to whole pixel pairs (they share Cb/Cr).

Decoders: pydicom 3 for native and RLE; dcmtk `dcmdjpeg +cn` (no colour conversion), `dcmdjpls` and
GDCM `gdcmconv --raw` turn JPEG, JPEG-LS and JPEG 2000 into native first. Needs numpy.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import warnings

import numpy as np
import pydicom
from pydicom.pixels import pixel_array

REPO = Path(__file__).resolve().parent.parent
DEFAULT_MANIFEST = REPO / "Fixtures" / "pixels" / "manifest.json"

NATIVE = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.5"}
JPEG_LOSSY = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51"}
DECODER = {
    "1.2.840.10008.1.2.4.50": ["dcmdjpeg", "+cn"], "1.2.840.10008.1.2.4.51": ["dcmdjpeg", "+cn"],
    "1.2.840.10008.1.2.4.57": ["dcmdjpeg", "+cn"], "1.2.840.10008.1.2.4.70": ["dcmdjpeg", "+cn"],
    "1.2.840.10008.1.2.4.80": ["dcmdjpls"], "1.2.840.10008.1.2.4.81": ["dcmdjpls"],
    "1.2.840.10008.1.2.4.90": ["gdcmconv", "--raw"], "1.2.840.10008.1.2.4.91": ["gdcmconv", "--raw"],
}
LOSSY_TEXT_THRESHOLD = 200  # JPEG: luma at or above this is text (backgrounds stay at or below ~200 before coding)
LOSSY_MARGIN = 2  # JPEG: ringing may lift pixels next to a glyph; text rectangles are widened by this when looking outside
LOSSY_BLACK_TOLERANCE = 2


class DecodeError(Exception):
    pass


def decode(path: Path) -> tuple[Any, pydicom.Dataset]:
    """Stored values as (frames, rows, columns, samples), no colour conversion or LUT; and the data set."""
    ds = pydicom.dcmread(path)
    ts = str(ds.file_meta.TransferSyntaxUID)
    src = ds
    if ts not in NATIVE:
        tool = DECODER.get(ts)
        if tool is None:
            raise DecodeError(f"{path.name}: no decoder for transfer syntax {ts}")
        with tempfile.TemporaryDirectory(prefix="pixcheck-") as tmp:
            out = Path(tmp) / "native.dcm"
            proc = subprocess.run(tool + [str(path), str(out)], capture_output=True, text=True)
            if proc.returncode != 0 or not out.exists():
                message = "; ".join(line.strip() for line in (proc.stderr or proc.stdout).splitlines() if line.strip())
                raise DecodeError(f"{path.name}: {tool[0]} failed: {message}")
            src = pydicom.dcmread(out)
            src.PixelData  # noqa: B018 - load before the folder goes
    try:
        arr = pixel_array(src, raw=True)
    except Exception as e:  # pydicom raises many kinds
        raise DecodeError(f"{path.name}: pydicom cannot decode: {e}") from e
    frames = int(src.get("NumberOfFrames", 1) or 1)
    samples = int(src.SamplesPerPixel)
    return arr.reshape(frames, int(src.Rows), int(src.Columns), samples).astype(np.int64), ds


def rect_mask(rows: int, cols: int, rects: list[dict[str, int]], margin: int = 0) -> Any:
    m = np.zeros((rows, cols), dtype=bool)
    for r in rects:
        y0, x0 = max(0, r["y"] - margin), max(0, r["x"] - margin)
        m[y0:r["y"] + r["h"] + margin, x0:r["x"] + r["w"] + margin] = True
    return m


def ink(entry: dict[str, Any], frame: Any) -> Any:
    """Text-valued pixels of one decoded frame (rows, cols, samples)."""
    tv = entry["textValue"]
    if entry["lossy"]:
        return frame[..., 0] >= LOSSY_TEXT_THRESHOLD
    if entry["photometric"].startswith("YBR"):
        return frame[..., 0] == tv[0]
    return np.all(frame == np.array(tv), axis=-1)


def where(mask: Any) -> str:
    ys, xs = np.nonzero(mask)
    return f"x={int(xs[0])} y={int(ys[0])}"


def validate(entry: dict[str, Any], path: Path) -> list[str]:
    problems: list[str] = []
    data = path.read_bytes()
    if len(data) != entry["bytes"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
        problems.append(f"bytes/sha256 differ from the manifest ({len(data)} bytes)")
    arr, ds = decode(path)
    header = {"transferSyntax": str(ds.file_meta.TransferSyntaxUID), "photometric": ds.PhotometricInterpretation,
              "rows": ds.Rows, "columns": ds.Columns, "frames": int(ds.get("NumberOfFrames", 1) or 1),
              "bitsAllocated": ds.BitsAllocated, "bitsStored": ds.BitsStored,
              "pixelRepresentation": ds.PixelRepresentation, "samplesPerPixel": ds.SamplesPerPixel,
              "burnedInAnnotation": ds.get("BurnedInAnnotation")}
    for k, v in header.items():
        if entry[k] != v:
            problems.append(f"header {k} is {v!r}, manifest says {entry[k]!r}")
    regions = [{"x0": r.RegionLocationMinX0, "y0": r.RegionLocationMinY0, "x1": r.RegionLocationMaxX1,
                "y1": r.RegionLocationMaxY1} for r in ds.get("SequenceOfUltrasoundRegions", [])]
    if entry["cleaning"]["method"] == "us-regions" and regions != entry["cleaning"]["regions"]:
        problems.append(f"Sequence of Ultrasound Regions {regions} differs from the manifest")
    if arr.shape[0] != len(entry["text"]):
        problems.append(f"{arr.shape[0]} frames decoded, manifest lists {len(entry['text'])}")
        return problems
    rows, cols = arr.shape[1:3]
    for f, (texts, blanks) in enumerate(zip(entry["text"], entry["blank"])):
        m = ink(entry, arr[f])
        for r in texts:
            inside = m[r["y"]:r["y"] + r["h"], r["x"]:r["x"] + r["w"]]
            label = f"frame {f}: rectangle ({r['x']},{r['y']},{r['w']},{r['h']}) {r['text']!r}"
            if not inside.any():
                problems.append(f"{label} holds no text-valued pixel")
                continue
            if not entry["lossy"]:
                ys, xs = np.nonzero(inside)
                if (ys.min(), xs.min(), ys.max(), xs.max()) != (0, 0, r["h"] - 1, r["w"] - 1):
                    problems.append(f"{label} is not tight around its text pixels")
        margin = LOSSY_MARGIN if entry["lossy"] else 0
        outside = m & ~rect_mask(rows, cols, texts, margin)
        if outside.any():
            problems.append(f"frame {f}: {int(outside.sum())} text-valued pixels outside the text rectangles, "
                            f"first at {where(outside)}")
        uncovered = rect_mask(rows, cols, texts) & ~rect_mask(rows, cols, blanks)
        if uncovered.any():
            problems.append(f"frame {f}: blank area misses text rectangle pixels, first at {where(uncovered)}")
    return problems


def jpeg_mcu(ds: pydicom.Dataset) -> tuple[int, int, bool]:
    """(MCU width, MCU height, chroma subsampled?) from the first frame's SOF marker."""
    from pydicom.encaps import generate_frames
    frame = next(generate_frames(ds.PixelData, number_of_frames=int(ds.get("NumberOfFrames", 1) or 1)))
    i = 2
    while i + 4 <= len(frame):
        if frame[i] != 0xFF:
            raise DecodeError("JPEG: marker expected")
        marker, length = frame[i + 1], int.from_bytes(frame[i + 2:i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            n = frame[i + 9]
            hv = [(frame[i + 11 + 3 * c] >> 4, frame[i + 11 + 3 * c] & 15) for c in range(n)]
            hmax, vmax = max(h for h, _ in hv), max(v for _, v in hv)
            return 8 * hmax, 8 * vmax, any(h != hmax or v != vmax for h, v in hv)
        i += 2 + length
    raise DecodeError("JPEG: no SOF marker")


def blank_check(entry: dict[str, Any], original: Path, cleaned: Path, area: str) -> list[str]:
    a, ods = decode(original)
    b, _ = decode(cleaned)
    if a.shape != b.shape:
        return [f"decoded shape {b.shape} (frames, rows, columns, samples) differs from the original's {a.shape}"]
    frames, rows, cols, samples = a.shape
    ts = str(ods.file_meta.TransferSyntaxUID)
    lossy = ts in JPEG_LOSSY
    blank = np.array(entry["blankValue"])
    problems = []
    for f in range(frames):
        if area == "whole":
            m = np.ones((rows, cols), dtype=bool)
        else:
            m = rect_mask(rows, cols, entry[area][f])
        if entry["photometric"] == "YBR_FULL_422" and not lossy:
            m = m.reshape(rows, cols // 2, 2).any(axis=2).repeat(2, axis=1)
        if lossy:
            mw, mh, sub = jpeg_mcu(ods)
            by, bx = np.nonzero(m)
            excl = np.zeros_like(m)
            for y, x in set(zip((by // mh).tolist(), (bx // mw).tolist())):
                excl[y * mh:(y + 1) * mh, x * mw:(x + 1) * mw] = True
            bad_in = m & (b[f][..., 0] > LOSSY_BLACK_TOLERANCE)
            if bad_in.any():
                problems.append(f"frame {f}: {int(bad_in.sum())} pixels inside the rectangles are not black "
                                f"(luma > {LOSSY_BLACK_TOLERANCE}), first at {where(bad_in)}")
            luma_changed = ~excl & (a[f][..., 0] != b[f][..., 0])
            if luma_changed.any():
                problems.append(f"frame {f}: {int(luma_changed.sum())} pixels outside the MCUs touching the "
                                f"rectangles changed (luma), first at {where(luma_changed)}")
            if samples == 3:
                wide = excl.copy()
                if sub:
                    for d in (1, 2):
                        wide[:, d:] |= excl[:, :-d]
                        wide[:, :-d] |= excl[:, d:]
                        if mh > 8:
                            wide[d:, :] |= excl[:-d, :]
                            wide[:-d, :] |= excl[d:, :]
                chroma_changed = ~wide & np.any(a[f][..., 1:] != b[f][..., 1:], axis=-1)
                if chroma_changed.any():
                    problems.append(f"frame {f}: {int(chroma_changed.sum())} pixels outside the MCUs touching the "
                                    f"rectangles changed (chroma), first at {where(chroma_changed)}")
            continue
        bad_in = m & np.any(b[f] != blank, axis=-1)
        if bad_in.any():
            ys, xs = np.nonzero(bad_in)
            problems.append(f"frame {f}: {int(bad_in.sum())} pixels inside the rectangles are not blank "
                            f"{entry['blankValue']}, first at x={int(xs[0])} y={int(ys[0])}: "
                            f"{b[f][ys[0], xs[0]].tolist()}")
        changed = ~m & np.any(a[f] != b[f], axis=-1)
        if changed.any():
            problems.append(f"frame {f}: {int(changed.sum())} pixels outside the rectangles changed, "
                            f"first at {where(changed)}")
    return problems


# ---------------------------------------------------------------------------------------------
# --self-test: reference cleanings of every fixture, so the checker is shown to accept a correct
# cleaning and to catch a pixel left inside or a pixel changed outside.
# ---------------------------------------------------------------------------------------------

JPEG_BLANKER_C = r"""
/* Reference DCT-domain blanker for the self-test: blocks (MCUs) touching a rectangle get DC = black, AC = 0. */
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>
int main(int argc, char **argv) {
  struct jpeg_decompress_struct in; struct jpeg_compress_struct out; struct jpeg_error_mgr e1, e2;
  FILE *fi = fopen(argv[1], "rb"), *fo = fopen(argv[2], "wb");
  if (!fi || !fo) return 2;
  in.err = jpeg_std_error(&e1); jpeg_create_decompress(&in); jpeg_stdio_src(&in, fi);
  jpeg_read_header(&in, TRUE);
  jvirt_barray_ptr *coef = jpeg_read_coefficients(&in);
  out.err = jpeg_std_error(&e2); jpeg_create_compress(&out); jpeg_copy_critical_parameters(&in, &out);
  out.optimize_coding = FALSE;
  int mw = 8 * in.max_h_samp_factor, mh = 8 * in.max_v_samp_factor;
  for (int r = 3; r + 3 < argc; r += 4) {
    int x = atoi(argv[r]), y = atoi(argv[r + 1]), w = atoi(argv[r + 2]), h = atoi(argv[r + 3]);
    int mx0 = x / mw, my0 = y / mh, mx1 = (x + w - 1) / mw, my1 = (y + h - 1) / mh;
    for (int c = 0; c < in.num_components; c++) {
      jpeg_component_info *ci = &in.comp_info[c];
      int dc = 0;
      if (c == 0) { int q = ci->quant_table->quantval[0]; dc = -1024 / q; if ((-1024 % q) * 2 <= -q) dc--; }
      for (int by = my0 * ci->v_samp_factor; by < (my1 + 1) * ci->v_samp_factor && by < (int)ci->height_in_blocks; by++) {
        JBLOCKARRAY row = in.mem->access_virt_barray((j_common_ptr)&in, coef[c], by, 1, TRUE);
        for (int bx = mx0 * ci->h_samp_factor; bx < (mx1 + 1) * ci->h_samp_factor && bx < (int)ci->width_in_blocks; bx++) {
          for (int k = 0; k < DCTSIZE2; k++) row[0][bx][k] = 0;
          row[0][bx][0] = (JCOEF)dc;
        }
      }
    }
  }
  jpeg_stdio_dest(&out, fo); jpeg_write_coefficients(&out, coef);
  jpeg_finish_compress(&out); jpeg_finish_decompress(&in);
  fclose(fi); fclose(fo); return 0;
}
"""


def encode_native(arr: Any, ds: pydicom.Dataset) -> bytes:
    """The inverse of decode() for native data in ds's layout (bits 1/8/16, planar 0/1, YBR_FULL_422, byte order)."""
    frames, rows, cols, samples = arr.shape
    if ds.BitsAllocated == 1:
        packed = np.packbits(arr[..., 0].astype(np.uint8).reshape(-1), bitorder="little").tobytes()
        return packed + (b"\x00" if len(packed) % 2 else b"")
    if ds.PhotometricInterpretation == "YBR_FULL_422":
        p = arr.reshape(frames, rows, cols // 2, 2, 3)
        return np.stack([p[..., 0, 0], p[..., 1, 0], p[..., 0, 1], p[..., 0, 2]], axis=-1).astype(np.uint8).tobytes()
    if samples == 3 and ds.get("PlanarConfiguration", 0) == 1:
        arr = arr.transpose(0, 3, 1, 2)
    if ds.BitsAllocated == 8:
        return arr.astype(np.uint8).tobytes()
    big = str(ds.file_meta.TransferSyntaxUID) == "1.2.840.10008.1.2.2"
    signed = ds.PixelRepresentation == 1
    dtype = (">" if big else "<") + {16: "i2" if signed else "u2", 32: "i4" if signed else "u4"}[ds.BitsAllocated]
    return arr.astype(dtype).tobytes()  # signed: two's complement in the allocated bits, as decode() sign-extended


def run(args: list[str]) -> None:
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0:
        raise DecodeError(f"{args[0]} failed: {(proc.stderr or proc.stdout).strip()}")


def write_reference(original: Path, arr: Any, out: Path, tmp: Path) -> None:
    """Writes `arr` (decoded values) in the original's transfer syntax: natively, or re-encoded losslessly."""
    from pydicom import encaps
    from pydicom.pixels.encoders import RLELosslessEncoder
    ds = pydicom.dcmread(original)
    ts = str(ds.file_meta.TransferSyntaxUID)
    if ts in ("1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"):
        ds.PixelData = encode_native(arr, ds)
        ds.save_as(out, enforce_file_format=True)
        return
    native = pydicom.dcmread(original)
    native.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
    if ts in DECODER:  # the decoder's native photometric/planar (dcmdjpeg +cn keeps YBR) for the re-encoders
        decoded = tmp / "dec.dcm"
        run(DECODER[ts] + [str(original), str(decoded)])
        native = pydicom.dcmread(decoded)
    native.PixelData = encode_native(arr, native)
    native["PixelData"].VR = "OW" if native.BitsAllocated > 8 else "OB"
    frames = arr.shape[0]
    if ts == "1.2.840.10008.1.2.5":
        n = len(native.PixelData) // frames
        fr = [RLELosslessEncoder.encode(bytes(native.PixelData[i * n:(i + 1) * n]), rows=ds.Rows, columns=ds.Columns,
                                        samples_per_pixel=ds.SamplesPerPixel, bits_allocated=ds.BitsAllocated,
                                        bits_stored=ds.BitsStored, pixel_representation=ds.PixelRepresentation,
                                        photometric_interpretation=ds.PhotometricInterpretation,
                                        planar_configuration=ds.get("PlanarConfiguration", 0), number_of_frames=1,
                                        encoding_plugin="pydicom") for i in range(frames)]
    else:
        src, enc = tmp / "native.dcm", tmp / "enc.dcm"
        native.save_as(src, enforce_file_format=True)
        tool = {"1.2.840.10008.1.2.4.80": ["dcmcjpls", "+el"], "1.2.840.10008.1.2.4.90": ["gdcmconv", "--j2k"],
                "1.2.840.10008.1.2.4.50": ["dcmcjpeg", "+eb", "+q", "90"]}[ts]
        run(tool + [str(src), str(enc)])
        fr = list(encaps.generate_frames(pydicom.dcmread(enc).PixelData, number_of_frames=frames))
    ds.PixelData = encaps.encapsulate(fr, has_bot=True)
    ds.save_as(out, enforce_file_format=True)


def jpeg_reference(entry: dict[str, Any], original: Path, out: Path, tmp: Path) -> bool:
    """The DCT-domain cleaning of a JPEG fixture with the C helper above; False when no C compiler/libjpeg."""
    import shutil
    from pydicom import encaps
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None or not Path("/usr/include/jpeglib.h").exists():
        return False
    exe = tmp / "blank-jpeg"
    if not exe.exists():
        (tmp / "blank-jpeg.c").write_text(JPEG_BLANKER_C)
        run([cc, "-O1", "-o", str(exe), str(tmp / "blank-jpeg.c"), "-ljpeg"])
    ds = pydicom.dcmread(original)
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    new = []
    for f, frame in enumerate(encaps.generate_frames(ds.PixelData, number_of_frames=frames)):
        (tmp / "in.jpg").write_bytes(frame)
        rects = [str(v) for r in entry["blank"][f] for v in (r["x"], r["y"], r["w"], r["h"])]
        run([str(exe), str(tmp / "in.jpg"), str(tmp / "out.jpg")] + rects)
        data = (tmp / "out.jpg").read_bytes()
        new.append(data + (b"\x00" if len(data) % 2 else b""))
    ds.PixelData = encaps.encapsulate(new, has_bot=True)
    ds.save_as(out, enforce_file_format=True)
    return True


def self_test(manifest_path: Path, manifest: dict[str, Any]) -> int:
    failures = 0

    def expect(label: str, problems: list[str], want: str | None) -> None:
        nonlocal failures
        ok = (not problems) if want is None else any(want in p for p in problems) and all(want in p for p in problems)
        if not ok:
            failures += 1
            print(f"SELF-TEST FAIL {label}: expected {'no problem' if want is None else repr(want)}, got {problems}")

    with tempfile.TemporaryDirectory(prefix="pixselftest-") as tmpname:
        tmp = Path(tmpname)
        for entry in manifest["files"]:
            original = manifest_path.parent / entry["file"]
            name = entry["file"]
            arr, ods = decode(original)
            ts = str(ods.file_meta.TransferSyntaxUID)
            cleaned = tmp / ("clean-" + name)
            if ts in JPEG_LOSSY:
                expect(f"{name} unchanged", blank_check(entry, original, original, "blank"), "inside")
                write_reference(original, arr, cleaned, tmp)  # decode + re-encode: loss everywhere
                expect(f"{name} re-encoded", [p for p in blank_check(entry, original, cleaned, "blank")
                                              if "outside" in p], "outside")
                if jpeg_reference(entry, original, cleaned, tmp):
                    expect(f"{name} DCT-domain clean", blank_check(entry, original, cleaned, "blank"), None)
                    print(f"{name}: self-test done (DCT-domain reference cleaning accepted)")
                else:
                    print(f"{name}: self-test partial (no cc/libjpeg for the DCT-domain reference)")
                continue
            # the exact round trip first: what decode() reads, encode writes back
            if ts in ("1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"):
                if encode_native(arr, ods) != bytes(ods.PixelData):
                    failures += 1
                    print(f"SELF-TEST FAIL {name}: decode/encode does not round-trip the Pixel Data bytes")
            blank = np.array(entry["blankValue"])
            good = arr.copy()
            for f in range(arr.shape[0]):
                m = rect_mask(arr.shape[1], arr.shape[2], entry["blank"][f])
                if entry["photometric"] == "YBR_FULL_422":
                    m = m.reshape(arr.shape[1], -1, 2).any(axis=2).repeat(2, axis=1)
                good[f][m] = blank
            write_reference(original, good, cleaned, tmp)
            expect(f"{name} clean", blank_check(entry, original, cleaned, "blank"), None)
            f = arr.shape[0] - 1
            r = entry["text"][f][-1]
            ys, xs = np.nonzero(ink(entry, arr[f])[r["y"]:r["y"] + r["h"], r["x"]:r["x"] + r["w"]])
            left = good.copy()
            left[f, r["y"] + ys[0], r["x"] + xs[0]] = arr[f, r["y"] + ys[0], r["x"] + xs[0]]
            write_reference(original, left, cleaned, tmp)
            expect(f"{name} one text pixel left", blank_check(entry, original, cleaned, "blank"), "inside")
            outside = ~rect_mask(arr.shape[1], arr.shape[2], entry["blank"][f], 2)
            oy, ox = np.nonzero(outside)
            k = len(oy) // 2
            changed = good.copy()
            v = changed[f, oy[k], ox[k], 0]
            changed[f, oy[k], ox[k], 0] = 0 if v != 0 else 1
            write_reference(original, changed, cleaned, tmp)
            expect(f"{name} one pixel outside changed", blank_check(entry, original, cleaned, "blank"), "outside")
            print(f"{name}: self-test done")
    print(f"self-test: {failures} failure(s)")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    ap.add_argument("--blank-check", nargs=2, metavar=("ORIGINAL", "CLEANED"), type=Path)
    ap.add_argument("--area", choices=["blank", "text", "whole"], default="blank",
                    help="with --blank-check: which rectangles must be blank (default: the manifest's blank area)")
    ap.add_argument("--self-test", action="store_true",
                    help="clean every fixture with a reference cleaner and check that --blank-check accepts it and "
                         "catches a text pixel left inside or a pixel changed outside")
    ap.add_argument("files", nargs="*", help="fixture file names to validate (default: all)")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")  # pydicom's warnings about a damaged file: the decode error says it in one line
    try:
        manifest = json.loads(args.manifest.read_text())
    except (OSError, ValueError) as e:
        print(f"cannot read manifest {args.manifest}: {e}")
        return 2
    by_name = {e["file"]: e for e in manifest["files"]}
    if args.self_test:
        return self_test(args.manifest, manifest)
    if args.blank_check:
        original, cleaned = args.blank_check
        entry = by_name.get(original.name)
        if entry is None:
            print(f"{original.name}: not in {args.manifest}")
            return 2
        try:
            problems = blank_check(entry, original, cleaned, args.area)
        except (DecodeError, OSError, pydicom.errors.InvalidDicomError) as e:
            print(f"{cleaned}: {e}")
            return 2
        for p in problems:
            print(f"{cleaned}: {p}")
        return 1 if problems else 0
    names = args.files or list(by_name)
    failed = 0
    for name in names:
        entry = by_name.get(Path(name).name)
        if entry is None:
            print(f"{name}: not in the manifest")
            failed += 1
            continue
        try:
            problems = validate(entry, args.manifest.parent / entry["file"])
        except (DecodeError, OSError) as e:
            problems = [str(e)]
        for p in problems:
            print(f"{entry['file']}: {p}")
        nrect = sum(len(fr) for fr in entry["text"])
        print(f"{entry['file']}: {'FAIL' if problems else 'ok'} ({entry['transferSyntaxName']}, "
              f"{entry['photometric']}, {entry['frames']} frame(s), {nrect} text rectangles)")
        failed += bool(problems)
    print(f"{len(names) - failed} of {len(names)} fixtures ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

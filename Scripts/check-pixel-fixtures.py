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
                raise DecodeError(f"{path.name}: {tool[0]} failed: {(proc.stderr or proc.stdout).strip()}")
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    ap.add_argument("--blank-check", nargs=2, metavar=("ORIGINAL", "CLEANED"), type=Path)
    ap.add_argument("--area", choices=["blank", "text", "whole"], default="blank",
                    help="with --blank-check: which rectangles must be blank (default: the manifest's blank area)")
    ap.add_argument("files", nargs="*", help="fixture file names to validate (default: all)")
    args = ap.parse_args(argv)
    try:
        manifest = json.loads(args.manifest.read_text())
    except (OSError, ValueError) as e:
        print(f"cannot read manifest {args.manifest}: {e}")
        return 2
    by_name = {e["file"]: e for e in manifest["files"]}
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

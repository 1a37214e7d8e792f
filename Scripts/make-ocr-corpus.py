#!/usr/bin/env python3
"""Writes a labelled corpus of DICOM images with burned-in text, for measuring and testing text detection.

Usage: make-ocr-corpus.py OUTPUT_DIR [--count N] [--seed S] [--cine FRAMES]

Deterministic: the same arguments give the same files (pydicom 3.0.2, Pillow 11.3.0, numpy 2.4.6, the Debian fonts
below, and for the JPEG-LS and JPEG 2000 files dcmtk's dcmcjpls and GDCM's gdcmconv; Scripts/setup.sh installs them).
Each image has identifying text (patient name, IDs, dates, institution, accession) and technical text (MI,
TIS, frame rate, probe, depth scale, caliper and window values) in several fonts, sizes 8 to 28 pixels,
colours and positions, on an ultrasound sector (RGB or grey; some cines of 4 frames whose speckle changes under
a static text), a CT slice (16-bit, MONOCHROME2 or MONOCHROME1), an MR slice (12 of 16 bits), an X-ray
angiography frame or a secondary-capture screen (RGB). Transfer syntaxes: Explicit VR Little Endian, and by
index Implicit VR Little Endian, Deflated Explicit VR Little Endian, RLE Lossless, JPEG Baseline (RGB screens as
YBR_FULL_422, grey cines), JPEG-LS Lossless, JPEG 2000 Lossless. The first 8 images (what the tests generate) need
no external tool. Its header holds the same identifying values. All names, IDs and places are invented.

Beside each `NNN-kind.dcm` goes `NNN-kind.json`, the ground truth:
  {"file", "kind", "columns", "rows", "photometric",
   "lines": [{"kind": "identifying"|"technical", "text", "box": [x, y, w, h],
              "words": [{"text", "box": [x, y, w, h]}]}]}
Boxes are the inked pixels of the rendered text, in image coordinates.

`--cine FRAMES` writes, instead, ultrasound cines of FRAMES frames (640x480) with a static banner (identifying
and technical text, the same pixels in every frame) and, in frames FRAMES/2 to FRAMES/2+4 only, one more
identifying line inside the sector (an annotation label: white on a black box): `cine-us-still` (native grey; the sector does not move), `cine-us-moving`
(native grey; the sector's speckle changes in every frame), `cine-us-moving-rle` (RLE Lossless) and
`cine-us-moving-jpeg` (RGB, JPEG Baseline YBR_FULL_422, one fragment per frame); and `cine-us-clock` (native grey,
the sector still) whose banner changes: a date and time that advances one second per frame (identifying: a
date) and, in the same frames as the label, the accession number next to the ID. Their ground truth has per line
"frames": [first, last] (0-based, inclusive); a line whose text changes per frame has the box of all its frames.
"""
import argparse
import io
import json
import os
import random
import shutil
import subprocess
import tempfile

import numpy as np
import pydicom
from PIL import Image, ImageDraw, ImageFont
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import (DeflatedExplicitVRLittleEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian,
                         JPEG2000Lossless, JPEGBaseline8Bit, JPEGLSLossless, RLELossless)

FONTS = [  # Debian: fonts-dejavu-core, fonts-liberation, fonts-noto-mono
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf",
]
SIZES = [8, 9, 10, 11, 12, 13, 14, 16, 18, 20, 24, 28]
PATIENTS = [  # family, given, id, birth date, institution, accession, referring physician
    ("CLEVELAND", "MARGARET", "48213377", "19610412", "ST MARY MEDICAL CENTER", "A99817", "HOLLOWAY"),
    ("PATIENTFI", "OSCAR", "7730012", "19840229", "RIVERSIDE CLINIC", "ACC5521", "NAKAMURA"),
    ("OKONKWO", "ADAEZE", "MRN220457", "19770930", "BAPTIST MED CTR", "880034", "FERREIRA"),
    ("BRANDT", "LUDWIG", "00451289", "19450101", "NORTHGATE HOSPITAL", "Q12A77", "WINTERBOURNE"),
    ("SILVA", "JOAO", "9911023344", "20011118", "LAKESHORE IMAGING", "Z0042", "KOWALSKI"),
    ("WHITFIELD", "ELEANOR", "K5530981", "19580706", "MERCY GENERAL", "773311", "ABERNATHY"),
]
TECHNICAL = ["MI 0.6", "TIS 0.4", "TIB 1.1", "18Hz", "FR 25", "Gn 52", "C5-1", "L12-5", "D 4.21 cm", "L 3.2 mm",
             "W 400 L 40", "kVp 120", "mAs 200", "Depth 16 cm", "DR 60", "PRF 4.0 kHz", "Area 2.35 cm2", "HR 72 bpm"]


def identifying_lines(p, rng):
    family, given, pid, dob, inst, acc, ref = p
    y, m, d = dob[:4], dob[4:6], dob[6:]
    date = rng.choice([f"{y}-{m}-{d}", f"{m}/{d}/{y}", f"{d}.{m}.{y}", dob])
    name = rng.choice([f"{family}, {given}", f"{given} {family}", f"{family}^{given}", f"Name: {family} {given}"])
    lines = [name, rng.choice([f"ID: {pid}", f"MRN {pid}", pid]), rng.choice([f"DOB {date}", f"DOB: {date}", date]), inst,
             rng.choice([f"Acc {acc}", f"Acc# {acc}"]), f"Ref: Dr {ref}"]
    rng.shuffle(lines)
    return lines[:rng.randint(3, 5)]


def background(kind, rng, width, height):
    """The image without text, as a float array (grey) or uint8 RGB array, and the text colours that suit it."""
    yy, xx = np.mgrid[0:height, 0:width]
    noise = np.random.default_rng(rng.randint(0, 1 << 30))
    if kind == "us":
        cx, top = width / 2, 40
        angle = np.arctan2(xx - cx, yy - top + 1e-9)
        radius = np.hypot(xx - cx, yy - top)
        sector = (np.abs(angle) < 0.6) & (radius < height - 60) & (radius > 20)
        grey = np.where(sector, noise.gamma(2.0, 40.0, (height, width)), 0.0).clip(0, 200)
        return grey, [(255, 255, 255), (230, 230, 0), (0, 220, 0), (0, 210, 230), (190, 190, 190)]
    if kind in ("ct", "ct1"):
        disc = np.hypot(xx - width / 2, yy - height / 2) < min(width, height) * 0.42
        hu = np.where(disc, 40 + noise.normal(0, 60, (height, width)), -1024.0)
        return hu, [(3071, 3071, 3071)]
    if kind == "mr":  # a head: an ellipse of tissue with a brighter rim, 12 bits stored
        r = np.hypot((xx - width / 2) / (width * 0.36), (yy - height / 2) / (height * 0.44))
        tissue = np.where(r < 1, 1400 + 900 * (r > 0.88) + noise.normal(0, 150, (height, width)), noise.normal(30, 10, (height, width)))
        return tissue.clip(0, 4095), [(4095, 4095, 4095)]
    if kind == "xa":
        vignette = 200 - 0.0012 * ((xx - width / 2) ** 2 + (yy - height / 2) ** 2)
        return (vignette + noise.normal(0, 12, (height, width))).clip(0, 255), [(255, 255, 255), (20, 20, 20)]
    # Secondary capture of a screen: a light window with a dark image panel.
    rgb = np.full((height, width, 3), 225.0)
    rgb[60:height - 40, 150:width - 20] = noise.gamma(2.0, 30.0, (height - 100, width - 170, 1)).clip(0, 160)
    return rgb, [(0, 0, 0), (20, 40, 160), (150, 0, 0), (255, 255, 255), (250, 230, 60)]


def legible(rng, colours, base, box, kind):
    """A colour of `colours` that stands out from the ground under `box` (as a reader would choose it): text
    over an ultrasound sector or a screen's image panel is drawn light, text on a light window dark."""
    x, y, w, h = box
    under = base[y:y + h, x:x + w]
    ground = float(under.mean()) if under.size else 0.0
    if kind in ("ct", "ct1", "mr"):
        return colours[0]
    def luminance(c):
        return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]
    fitting = [c for c in colours if abs(luminance(c) - ground) >= 90]
    if not fitting:
        fitting = [(255, 255, 255)] if ground < 128 else [(0, 0, 0)]
    return rng.choice(fitting)


def word_boxes(draw, origin, text, font):
    """The inked box of each word of `text` drawn at `origin`."""
    boxes, x = [], origin[0]
    for i, word in enumerate(text.split(" ")):
        prefix = " ".join(text.split(" ")[:i]) + (" " if i else "")
        left = origin[0] + draw.textlength(prefix, font=font)
        l, t, r, b = draw.textbbox((left, origin[1]), word, font=font)
        boxes.append((word, [int(l), int(t), int(r - l + 0.999), int(b - t + 0.999)]))
    return boxes


def place(rng, occupied, size, width, height, kind):
    """A free top-left corner for a box of `size` (identifying text on the borders, technical anywhere)."""
    w, h = size
    for _ in range(400):
        if kind == "identifying" and rng.random() < 0.8:
            x = rng.choice([rng.randint(4, 40), max(4, width - w - rng.randint(4, 40))])
            y = rng.randint(4, max(5, height - h - 4))
        else:
            x, y = rng.randint(4, max(5, width - w - 4)), rng.randint(4, max(5, height - h - 4))
        box = (x - 6, y - 6, x + w + 6, y + h + 6)
        if x + w < width - 2 and y + h < height - 2 and all(
                box[2] <= o[0] or o[2] <= box[0] or box[3] <= o[1] or o[3] <= box[1] for o in occupied):
            occupied.append(box)
            return x, y
    return None


def run_tool(args):
    """Runs dcmcjpls or gdcmconv; a missing tool is one line naming it and what installs it."""
    if shutil.which(args[0]) is None:
        raise SystemExit(f"make-ocr-corpus.py: {args[0]} is needed for this image (Scripts/setup.sh installs dcmtk and libgdcm-tools)")
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


# By index, in cycles of 24: the first 16 images are those of the corpus before MR, cines and the other transfer
# syntaxes were added (the tests generate 8 or 16 and rely on them), the next 8 add those.
KINDS = ["us", "ct", "sc", "xa", "us", "ct1", "sc", "xa"] * 2 + ["mr", "us", "ct", "sc", "mr", "us", "ct", "sc"]
ENCODINGS = {16: "jpeg-ls", 17: "cine", 18: "implicit", 20: "j2k", 21: "cine-jpeg", 22: "deflated"}


def encoding(index, kind):
    """The transfer syntax of image `index` (of `kind`): every one recurs in 24 images."""
    if kind == "xa" and index % 2 == 1:
        return "rle"
    if kind == "sc" and index % 8 == 6:
        return "jpeg"
    return ENCODINGS.get(index % 24, "native")


def make(index, kind, rng, out):
    width, height = {"us": (640, 480), "sc": (640, 480), "ct": (512, 512), "ct1": (512, 512), "xa": (512, 512),
                     "mr": (384, 384)}[kind]
    syntax = encoding(index, kind)
    patient = PATIENTS[index % len(PATIENTS)]
    base, colours = background(kind, rng, width, height)
    colour_image = kind == "sc" or (kind == "us" and index % 2 == 0)
    if colour_image:
        canvas = Image.fromarray((base if base.ndim == 3 else np.repeat(base[:, :, None], 3, 2)).astype(np.uint8))
    else:
        canvas = Image.new("I", (width, height))  # 32-bit integer: room for CT values; offset below
    draw = ImageDraw.Draw(canvas)
    mask = Image.new("L", (width, height))  # where text is inked: what stays when a cine's speckle changes
    mask_draw = ImageDraw.Draw(mask)
    items = [("identifying", t) for t in identifying_lines(patient, rng)]
    items += [("technical", t) for t in rng.sample(TECHNICAL, rng.randint(3, 5))]
    if kind == "us":
        items += [("technical", str(v)) for v in (5, 10, 15)]
    occupied, lines = [], []
    for line_kind, text in items:
        font = ImageFont.truetype(rng.choice(FONTS), rng.choice(SIZES))
        l, t, r, b = draw.textbbox((0, 0), text, font=font)
        spot = place(rng, occupied, (r - l, b - t), width, height, line_kind)
        if spot is None:
            continue
        origin = (spot[0] - l, spot[1] - t)
        colour = legible(rng, colours, base, (spot[0], spot[1], r - l, b - t), kind)
        mask_draw.text(origin, text, font=font, fill=255)
        if colour_image:
            draw.text(origin, text, font=font, fill=colour)
        else:
            draw.text(origin, text, font=font, fill=1)  # a mask: 1 where inked, drawn onto the grey values below
        words = [{"text": w, "box": box} for w, box in word_boxes(draw, origin, text, font)]
        boxes = [w["box"] for w in words]
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
        lines.append({"kind": line_kind, "text": text, "box": [x0, y0, x1 - x0, y1 - y0], "words": words,
                      "value": round(0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2])})

    family, given, pid, dob, inst, acc, ref = patient
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    sop_class = {"us": "1.2.840.10008.5.1.4.1.1.6.1", "sc": "1.2.840.10008.5.1.4.1.1.7", "ct": "1.2.840.10008.5.1.4.1.1.2",
                 "ct1": "1.2.840.10008.5.1.4.1.1.2", "xa": "1.2.840.10008.5.1.4.1.1.12.1",
                 "mr": "1.2.840.10008.5.1.4.1.1.4"}[kind]
    if syntax.startswith("cine"):
        sop_class = "1.2.840.10008.5.1.4.1.1.3.1"  # Ultrasound Multi-frame Image Storage
    uid_root = f"2.25.{0x0C5 * 1000 + index}"
    ds.file_meta.MediaStorageSOPClassUID = sop_class
    ds.file_meta.MediaStorageSOPInstanceUID = uid_root + ".1"
    ds.SOPClassUID, ds.SOPInstanceUID = sop_class, uid_root + ".1"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = uid_root + ".2", uid_root + ".3"
    ds.Modality = {"us": "US", "sc": "OT", "ct": "CT", "ct1": "CT", "xa": "XA", "mr": "MR"}[kind]
    ds.PatientName, ds.PatientID, ds.PatientBirthDate = f"{family}^{given}", pid, dob
    ds.InstitutionName, ds.AccessionNumber, ds.ReferringPhysicianName = inst, acc, f"{ref}^JAMES"
    ds.StudyDate, ds.BurnedInAnnotation = "20240305", "YES"
    ds.Rows, ds.Columns = height, width
    pixels = np.asarray(canvas)
    if colour_image:
        ds.SamplesPerPixel, ds.PhotometricInterpretation, ds.PlanarConfiguration = 3, "RGB", 0
        ds.BitsAllocated = ds.BitsStored = 8
        ds.HighBit, ds.PixelRepresentation = 7, 0
        data = pixels.astype(np.uint8)
    elif kind in ("ct", "ct1"):
        values = np.where(pixels > 0, 3071, base).round().astype(np.int16)
        ds.SamplesPerPixel, ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 1, 16, 16, 15, 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        if kind == "ct1":  # MONOCHROME1: high values display dark, so the stored values are negated
            ds.PhotometricInterpretation = "MONOCHROME1"
            values = (-values.astype(np.int32)).clip(-32768, 32767).astype(np.int16)
        ds.RescaleIntercept, ds.RescaleSlope = 0, 1
        data = values
    elif kind == "mr":
        values = np.where(pixels > 0, 4095, base).round().astype(np.uint16)
        ds.SamplesPerPixel, ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 1, 16, 12, 11, 0
        ds.PhotometricInterpretation = "MONOCHROME2"
        data = values
    else:
        ink = np.zeros((height, width))
        for line in lines:
            x, y, w, h = line["box"]
            ink[y:y + h, x:x + w] = line.pop("value")
        values = np.where(pixels > 0, ink, base).round().clip(0, 255).astype(np.uint8)
        ds.SamplesPerPixel, ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 1, 8, 8, 7, 0
        ds.PhotometricInterpretation = "MONOCHROME2"
        data = values
    for line in lines:
        line.pop("value", None)
    name = f"{index:03d}-{kind}"
    if syntax.startswith("cine"):
        # Frames 2 to 4: new speckle under the same text (inked pixels as in frame 1).
        inked = np.asarray(mask) > 0
        frames = [data]
        for _ in range(3):
            speckle, _ = background(kind, rng, width, height)
            speckle = speckle if data.ndim == 2 else np.repeat(speckle[:, :, None], 3, 2)
            frames.append(np.where(inked if data.ndim == 2 else inked[:, :, None], data, speckle.round().clip(0, 255)).astype(np.uint8))
        data = np.stack(frames)
        ds.NumberOfFrames, ds.FrameTime = len(frames), 40
        ds.FrameIncrementPointer = pydicom.tag.Tag(0x0018, 0x1063)
        name += "-cine"
    ds.PixelData = data.tobytes()
    if syntax == "cine-jpeg":  # a grey cine, JPEG Baseline frame by frame
        def jpeg_of(frame):
            stream = io.BytesIO()
            Image.fromarray(frame).save(stream, "JPEG", quality=95)
            return stream.getvalue()
        ds.file_meta.TransferSyntaxUID = JPEGBaseline8Bit
        ds.PixelData = encapsulate([jpeg_of(frame) for frame in data])
        ds["PixelData"].VR = "OB"
        ds.LossyImageCompression = "01"
        name += "-jpeg"
    if syntax in ("implicit", "deflated"):
        ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian if syntax == "implicit" else DeflatedExplicitVRLittleEndian
        name += "-" + syntax
    if syntax in ("jpeg-ls", "j2k"):  # compressed by dcmtk / GDCM from a native file, decoded by CharLS / OpenJPEG
        with tempfile.TemporaryDirectory(prefix="ocr-corpus-") as tmp:
            native, compressed = os.path.join(tmp, "native.dcm"), os.path.join(tmp, "compressed.dcm")
            ds.save_as(native, enforce_file_format=True)
            run_tool(["dcmcjpls", "+el", "+un", native, compressed] if syntax == "jpeg-ls" else ["gdcmconv", "--j2k", native, compressed])
            ds = pydicom.dcmread(compressed)
        name += "-" + syntax
    if kind == "xa" and index % 2 == 1:  # some frames RLE-compressed, decoded through the RLE codec
        ds.compress(RLELossless, data, encoding_plugin="pydicom", generate_instance_uid=False)
        name += "-rle"
    if kind == "sc" and index % 8 == 6:  # some screens JPEG Baseline (YBR_FULL_422), decoded through libjpeg-turbo
        jpeg = io.BytesIO()
        Image.fromarray(data).save(jpeg, "JPEG", quality=95, subsampling=1)  # 4:2:2
        ds.file_meta.TransferSyntaxUID = JPEGBaseline8Bit
        ds.PhotometricInterpretation = "YBR_FULL_422"
        ds.PixelData = encapsulate([jpeg.getvalue()])
        ds["PixelData"].VR = "OB"
        ds.LossyImageCompression = "01"
        name += "-jpeg"
    ds.save_as(os.path.join(out, name + ".dcm"), enforce_file_format=True)
    truth = {"file": name + ".dcm", "kind": kind, "columns": width, "rows": height,
             "photometric": ds.PhotometricInterpretation, "lines": lines}
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(truth, f, indent=1)


def union(boxes):
    """The smallest [x, y, w, h] box holding every box of `boxes`."""
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
    return [x0, y0, x1 - x0, y1 - y0]


def make_cine(frames, motion, syntax, seed, out):
    """One ultrasound cine of `frames` frames (see the module's doc): `motion` "still", "moving" or "clock" (the
    sector still, the banner changing), `syntax` "native", "rle" or "jpeg"."""
    rng = random.Random(seed)
    width, height = 640, 480
    family, given, pid, dob, inst, acc, ref = PATIENTS[0]
    noise_seed = rng.randint(0, 1 << 30)
    banner = [("identifying", f"{family}, {given}", (8, 6)), ("identifying", f"ID: {pid}", (8, 26)),
              ("identifying", inst, (420, 6)), ("technical", "MI 0.6  TIS 0.4", (470, 26)),
              ("technical", "18Hz C5-1", (8, 450))]
    late = ("identifying", f"DOB {dob[:4]}-{dob[4:6]}-{dob[6:]}", (250, 300))
    first_late, last_late = frames // 2, min(frames - 1, frames // 2 + 4)
    font = ImageFont.truetype(FONTS[1], 16)
    colour = motion == "moving" and syntax == "jpeg"
    # cine-us-clock: the banner itself changes (a clock in every frame, the accession in the late frames).
    clock_at, late_banner = (440, 450), ("identifying", f"ACC {acc}", (250, 26))

    def clock(index):
        return ("identifying", f"2024-03-05 10:12:{index % 60:02d}", clock_at)

    def frame_pixels(index):
        base, _ = background("us", random.Random(noise_seed + (index if motion == "moving" else 0)), width, height)
        mask, backing = Image.new("L", (width, height)), Image.new("L", (width, height))
        draw = ImageDraw.Draw(mask)
        items = banner + ([late] if first_late <= index <= last_late else [])
        if motion == "clock":
            items += [clock(index)] + ([late_banner] if first_late <= index <= last_late else [])
        for item in items:
            _, text, origin = item
            if item == late:  # an annotation label: white on a black box, over the moving sector
                l, t, r, b = draw.textbbox(origin, text, font=font)
                ImageDraw.Draw(backing).rectangle((l - 4, t - 4, r + 4, b + 4), fill=255)
            draw.text(origin, text, font=font, fill=255)
        ground = np.where(np.asarray(backing) > 127, 0, base)
        grey = np.where(np.asarray(mask) > 127, 255, ground).round().clip(0, 255).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, 2) if colour else grey

    data = np.stack([frame_pixels(i) for i in range(frames)])
    probe = ImageDraw.Draw(Image.new("L", (width, height)))
    lines = []
    for kind, text, origin in banner + [late]:
        words = [{"text": w, "box": box} for w, box in word_boxes(probe, origin, text, font)]
        boxes = [w["box"] for w in words]
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
        span = [first_late, last_late] if (kind, text, origin) == late else [0, frames - 1]
        lines.append({"kind": kind, "text": text, "box": [x0, y0, x1 - x0, y1 - y0], "words": words, "frames": span})
    if motion == "clock":
        kind, text, origin = late_banner
        words = [{"text": w, "box": box} for w, box in word_boxes(probe, origin, text, font)]
        lines.append({"kind": kind, "text": text, "box": union([w["box"] for w in words]), "words": words,
                      "frames": [first_late, last_late]})
        ticks = [word_boxes(probe, clock_at, clock(i)[1], font) for i in range(frames)]
        words = [{"text": "*", "box": union([tick[k][1] for tick in ticks])} for k in range(len(ticks[0]))]
        lines.append({"kind": "identifying", "text": clock(0)[1] + " (+1 s per frame)",
                      "box": union([w["box"] for w in words]), "words": words, "frames": [0, frames - 1]})

    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    sop_class = "1.2.840.10008.5.1.4.1.1.3.1"  # Ultrasound Multi-frame Image Storage
    uid_root = f"2.25.{0x0C1E * 1000 + seed % 1000}"
    ds.file_meta.MediaStorageSOPClassUID, ds.file_meta.MediaStorageSOPInstanceUID = sop_class, uid_root + ".1"
    ds.SOPClassUID, ds.SOPInstanceUID = sop_class, uid_root + ".1"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = uid_root + ".2", uid_root + ".3"
    ds.Modality = "US"
    ds.PatientName, ds.PatientID, ds.PatientBirthDate = f"{family}^{given}", pid, dob
    ds.InstitutionName, ds.AccessionNumber, ds.ReferringPhysicianName = inst, acc, f"{ref}^JAMES"
    ds.StudyDate, ds.BurnedInAnnotation = "20240305", "YES"
    ds.Rows, ds.Columns, ds.NumberOfFrames = height, width, frames
    ds.FrameTime, ds.FrameIncrementPointer = 40, 0x00181063
    ds.SamplesPerPixel = 3 if colour else 1
    ds.PhotometricInterpretation = "RGB" if colour else "MONOCHROME2"
    if colour:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = ds.BitsStored = 8
    ds.HighBit, ds.PixelRepresentation = 7, 0
    ds.PixelData = data.tobytes()
    name = f"cine-us-{motion}" + ("" if syntax == "native" else f"-{syntax}")
    if syntax == "rle":
        ds.compress(RLELossless, data, encoding_plugin="pydicom", generate_instance_uid=False)
    elif syntax == "jpeg":
        encoded = []
        for frame in data:
            jpeg = io.BytesIO()
            Image.fromarray(frame).save(jpeg, "JPEG", quality=95, subsampling=1)  # 4:2:2
            encoded.append(jpeg.getvalue())
        ds.file_meta.TransferSyntaxUID = JPEGBaseline8Bit
        ds.PhotometricInterpretation = "YBR_FULL_422"
        ds.PixelData = encapsulate(encoded)
        ds["PixelData"].VR = "OB"
        ds.LossyImageCompression = "01"
    ds.save_as(os.path.join(out, name + ".dcm"), enforce_file_format=True)
    truth = {"file": name + ".dcm", "kind": "us", "columns": width, "rows": height, "frames": frames,
             "photometric": ds.PhotometricInterpretation, "lines": lines}
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(truth, f, indent=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--cine", type=int, metavar="FRAMES", help="write the ultrasound cines instead (see above)")
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)
    if args.cine:
        for motion, syntax in [("still", "native"), ("moving", "native"), ("moving", "rle"), ("moving", "jpeg"),
                               ("clock", "native")]:
            make_cine(args.cine, motion, syntax, args.seed, args.output)
        return
    for index in range(args.count):
        make(index, KINDS[index % len(KINDS)], random.Random(args.seed * 1000 + index), args.output)


if __name__ == "__main__":
    main()

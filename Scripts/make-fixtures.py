#!/usr/bin/env python3
"""Synthetic DICOM fixtures and benchmark corpora for dicom-deid.

    python3 Scripts/make-fixtures.py
        Writes Fixtures/*.dcm and Fixtures/phi-canaries.json (see Fixtures/README.md).

    python3 Scripts/make-fixtures.py --bench-corpus DIR --kind large|small [--count N]
        Writes a benchmark corpus under DIR (large: ~900 files, ~0.5 GB; small: 5,000 files of ~12 KB).

    python3 Scripts/make-fixtures.py --bench-corpus DIR --kind us-cine [--count N] [--frames F]
        US cine corpus (issue 12): N files (default 60) of F frames (default 30), 640x480 MONOCHROME2 8-bit,
        half in DIR/native (Explicit VR Little Endian, 9.2 MB each), half the same frames in
        DIR/jpeg-baseline (dcmcjpeg); each declares an Ultrasound Region with burned-in text outside it.

    python3 Scripts/make-fixtures.py --bench-corpus DIR --kind codec-frames
        One 512x512 frame per pixel encoding (native, RLE, JPEG Baseline, JPEG-LS, JPEG 2000; 8 and 16 bits)
        for `dicom-bench pixels`.

    python3 Scripts/make-fixtures.py --pixel-fixtures [--out DIR]
        Writes Fixtures/pixels/ (or DIR): images with fake PHI burned into the pixels at known rectangles,
        manifest.json and rules.script (issue 12; see Fixtures/README.md). Also needs numpy, and dcmtk
        (dcmcjpeg, dcmcjpls) and GDCM (gdcmconv) for the compressed ones.

    python3 Scripts/make-fixtures.py --check-profile-table confidentiality_profile_attributes.json
        Also checks that every registered canary sits in (or under) an attribute that the
        PS3.15 Table E.1-1 Basic Profile removes or replaces (a private, curve or overlay element
        counts), and that no kept value does.

Everything here is SYNTHETIC. There is no real patient data. All PHI-looking values are made up
("canaries") so tests can grep the de-identified output for them.

Deterministic: fixed UIDs and values, no clock, no randomness; a rerun writes byte-identical files.
Depends only on the Python 3.11 standard library and pydicom 3.0.2 (pinned; checked below); --pixel-fixtures
also on numpy and the external encoders named above.
"""

from __future__ import annotations

import argparse
import array
import copy
import json
import sys
import uuid
import warnings
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

REQUIRED_PYDICOM = "3.0.2"

try:
    import pydicom
except ImportError:  # pragma: no cover
    sys.exit(f"make-fixtures.py needs pydicom=={REQUIRED_PYDICOM}: pip install pydicom=={REQUIRED_PYDICOM}")

if pydicom.__version__ != REQUIRED_PYDICOM:
    sys.exit(
        f"make-fixtures.py needs pydicom=={REQUIRED_PYDICOM} (found {pydicom.__version__}); the fixtures are "
        f"byte-compared across reruns and another version may encode differently. "
        f"Install it with: pip install pydicom=={REQUIRED_PYDICOM}"
    )

from pydicom import encaps  # noqa: E402
from pydicom.dataelem import DataElement  # noqa: E402
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset  # noqa: E402
from pydicom.filebase import DicomBytesIO  # noqa: E402
from pydicom.filewriter import write_dataset, write_file_meta_info  # noqa: E402
from pydicom.multival import MultiValue  # noqa: E402
from pydicom.pixels.encoders import RLELosslessEncoder  # noqa: E402
from pydicom.sequence import Sequence  # noqa: E402
from pydicom.valuerep import PersonName  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------------------------

# A UUID-derived root (ISO/IEC 9834-8, "2.25.<uuid as integer>"): owned by nobody, collides with
# nothing real. uuid5 is a hash, so this is a constant.
UID_ROOT = "2.25." + str(uuid.uuid5(uuid.NAMESPACE_URL, "urn:dicom-deid:synthetic-fixtures:v1").int)
IMPLEMENTATION_CLASS_UID = UID_ROOT + ".0.1"
IMPLEMENTATION_VERSION_NAME = "DICOMDEID_FIX_1"

EXPLICIT_LE = "1.2.840.10008.1.2.1"
IMPLICIT_LE = "1.2.840.10008.1.2"
EXPLICIT_BE = "1.2.840.10008.1.2.2"
DEFLATED_LE = "1.2.840.10008.1.2.1.99"
RLE_LOSSLESS = "1.2.840.10008.1.2.5"

CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2.1"
MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4"
SC_IMAGE = "1.2.840.10008.5.1.4.1.1.7"
BASIC_TEXT_SR = "1.2.840.10008.5.1.4.1.1.88.11"
RT_STRUCT = "1.2.840.10008.5.1.4.1.1.481.3"
DETACHED_STUDY_MGMT = "1.2.840.10008.3.1.2.3.1"  # what RT Referenced Study Sequence items conventionally cite

# 128-byte preamble made of text, so a tool that copies the preamble verbatim is caught.
PREAMBLE = (b"CANARY-PREAMBLE-" * 8)[:128]

# Safe Private row used for the Retain Safe Private option (PS3.15 Table E.3.10-1, as in
# ../shared/standard/safe_private_attributes.json): group 7053, element byte 00,
# creator "Philips PET Private Group", DS, "SUV Factor". The value is harmless and distinctive.
SAFE_PRIVATE_GROUP = 0x7053
SAFE_PRIVATE_CREATOR = "Philips PET Private Group"
SAFE_PRIVATE_ELEMENT_BYTE = 0x00
SAFE_PRIVATE_VR = "DS"
SAFE_PRIVATE_VALUE = "0.000735193"


def uid(kind: int, n: int) -> str:
    """A fixture UID: ROOT.<kind>.<n>, n always 4 digits so no fixture UID is a prefix of another."""
    assert 1 <= kind <= 8 and 1000 <= n <= 9999, (kind, n)
    return f"{UID_ROOT}.{kind}.{n}"


def bench_uid(kind: int, n: int) -> str:
    """A benchmark UID: ROOT.9.<kind>.<1000000 + n>: always 7 digits, no leading zero (PS3.5 9.1)."""
    assert 0 <= n <= 8_999_999
    return f"{UID_ROOT}.9.{kind}.{1_000_000 + n}"


BENCH_UID_PLACEHOLDER = 9_999_999 - 1_000_000  # bench_uid(kind, this) is the placeholder


# UID kinds: 1 study, 2 series, 3 SOP instance, 4 frame of reference, 5 referenced-only instance
# (no fixture has it), 6 other (creator, device, event, signature, dimension...), 7 private use.
STUDY_ALPHA = uid(1, 1001)
STUDY_UTF8 = uid(1, 1002)
STUDY_LATIN1 = uid(1, 1003)
SERIES = {"ct": uid(2, 1001), "mr": uid(2, 1002), "enh": uid(2, 1003), "sr": uid(2, 1004),
          "rt": uid(2, 1005), "sc": uid(2, 1006), "sc-utf8": uid(2, 1007), "sc-latin1": uid(2, 1008)}
SOP = {"ct": uid(3, 1001), "mr": uid(3, 1002), "enh": uid(3, 1003), "sr": uid(3, 1004),
       "rt": uid(3, 1005), "sc": uid(3, 1006), "sc-utf8": uid(3, 1007), "sc-latin1": uid(3, 1008)}
FOR_CT = uid(4, 1001)
FOR_MR = uid(4, 1002)


# ---------------------------------------------------------------------------------------------
# Canary registry
# ---------------------------------------------------------------------------------------------

@dataclass
class Planted:
    category: str  # "canary" | "safe-private" | "kept"
    family: str
    note: str = ""
    short: bool = False  # expected not to be unique in the file bytes (e.g. Patient's Sex "O")


@dataclass
class Entry:
    category: str
    value: str
    encoding: str
    tag: str | None
    path: str | None
    location: str
    family: str
    note: str
    short: bool
    files: set[str] = field(default_factory=set)
    greppable: bool = True

    def key(self) -> tuple:
        return (self.category, self.value, self.encoding, self.path, self.location)


class Registry:
    """Records every planted value as the builders set it, then finds where it landed.

    Builders call `phi()`, `kept()` or `safe()` to obtain the values they put in a data set. After a
    file is written, `record_file()` walks the data set (file meta, preamble, nested items), finds each
    registered value, records its path, and checks that its encoded bytes are in the written file.
    So the registry cannot drift from the files.
    """

    def __init__(self) -> None:
        self.text: dict[str, Planted] = {}
        self.binary: dict[bytes, Planted] = {}
        self.entries: dict[tuple, Entry] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.haystacks: dict[str, bytes] = {}
        self.file_hits: dict[str, list[Entry]] = {}

    # -- planting ---------------------------------------------------------------------------
    def _add_text(self, value: str, planted: Planted) -> str:
        old = self.text.get(value)
        if old is not None and old.category != planted.category:
            raise ValueError(f"{value!r} registered as {old.category} and {planted.category}")
        self.text.setdefault(value, planted)
        return value

    def phi(self, value: str, family: str, short: bool = False) -> str:
        return self._add_text(value, Planted("canary", family, short=short))

    def phi_bytes(self, value: bytes, family: str) -> bytes:
        assert len(value) >= 8 and len(value) % 2 == 0, "binary canaries: >= 8 bytes, even length"
        self.binary.setdefault(value, Planted("canary", family))
        return value

    def kept(self, value: str, family: str, note: str = "") -> str:
        return self._add_text(value, Planted("kept", family, note=note))

    def safe(self, value: str, family: str, note: str = "") -> str:
        return self._add_text(value, Planted("safe-private", family, note=note))

    # -- recording --------------------------------------------------------------------------
    def _hit(self, fname: str, planted: Planted, value: str, encoding: str, tag: str | None,
             path: str | None, location: str) -> None:
        e = Entry(planted.category, value, encoding, tag, path, location, planted.family, planted.note,
                  planted.short)
        e = self.entries.setdefault(e.key(), e)
        e.files.add(fname)
        self.file_hits.setdefault(fname, []).append(e)

    def record_file(self, fname: str, ds: FileDataset, path: Path, transfer_syntax: str, meta: dict[str, Any]) -> None:
        data = path.read_bytes()
        haystack = inflate_if_deflated(data, transfer_syntax)
        self.haystacks[fname] = haystack
        self.files[fname] = {"transferSyntax": transfer_syntax, **meta,
                             "rawGreppable": transfer_syntax != DEFLATED_LE}
        big_endian = transfer_syntax == EXPLICIT_BE
        charset = ds.get("SpecificCharacterSet", None)
        if ds.preamble:
            for b, planted in self.binary.items():
                if b in ds.preamble:
                    self._hit(fname, planted, b.hex(), "hex", None, None, "preamble")
            pre = ds.preamble.decode("ascii", "replace")
            if pre in self.text:
                self._hit(fname, self.text[pre], pre, "ascii", None, None, "preamble")
        for location, root in (("file-meta", ds.file_meta), ("dataset", ds)):
            for elem, tag, path_text in walk(root):
                self._match(fname, elem, tag, path_text, location, big_endian and location == "dataset", charset)
        for e in self.file_hits.get(fname, []):
            needle = encode_value(e.value, e.encoding)
            if needle not in haystack:
                raise AssertionError(f"{fname}: planted {e.value!r} at {e.path} not found in the written bytes")

    def _match(self, fname: str, elem: DataElement, tag: str, path_text: str, location: str,
               swap_words: bool, charset: Any) -> None:
        value = elem.value
        if value is None:
            return
        if isinstance(value, (bytes, bytearray)):
            if elem.tag == 0x7FE00010:
                return  # pixel data carries no canaries (checked: none planted there)
            plain = byteswap16(bytes(value)) if swap_words and elem.VR == "OW" else bytes(value)
            for b, planted in self.binary.items():
                if b in plain:
                    written = byteswap16(b) if swap_words and elem.VR == "OW" else b
                    self._hit(fname, planted, written.hex(), "hex", tag, path_text, location)
            return
        items = list(value) if isinstance(value, MultiValue) else [value]
        for v in items:
            text = str(v) if isinstance(v, (str, PersonName)) or hasattr(v, "original_string") else None
            if text is None:
                continue
            planted = self.text.get(text)
            if planted is not None:
                self._hit(fname, planted, text, text_encoding(text, charset), tag, path_text, location)

    # -- finishing --------------------------------------------------------------------------
    def finish(self) -> dict[str, Any]:
        # every planted value must have landed somewhere
        found_text = {e.value for e in self.entries.values() if e.encoding != "hex"}
        found_bin = {e.value for e in self.entries.values() if e.encoding == "hex"}
        missing = [v for v in self.text if v not in found_text]
        missing += [b.hex() for b in self.binary if b.hex() not in found_bin and byteswap16(b).hex() not in found_bin]
        if missing:
            raise AssertionError(f"registered but never written: {missing}")
        # greppable: the encoded value occurs in each file exactly as often as it was planted there
        for fname, hits in self.file_hits.items():
            hay = self.haystacks[fname]
            planted_count: dict[bytes, int] = {}
            for e in hits:
                needle = encode_value(e.value, e.encoding)
                planted_count[needle] = planted_count.get(needle, 0) + 1
            for e in hits:
                needle = encode_value(e.value, e.encoding)
                if hay.count(needle) != planted_count[needle]:
                    e.greppable = False
        problems = [e for e in self.entries.values() if not e.greppable and not e.short and e.category == "canary"]
        if problems:
            raise AssertionError("canaries that are not unique in their files: "
                                 + ", ".join(f"{e.value!r}@{e.path}" for e in problems))

        def as_json(e: Entry) -> dict[str, Any]:
            out: dict[str, Any] = {"value": e.value, "encoding": e.encoding, "tag": e.tag, "path": e.path,
                                   "location": e.location, "family": e.family, "files": sorted(e.files),
                                   "greppable": e.greppable}
            if e.note:
                out["note"] = e.note
            return out

        def section(cat: str) -> list[dict[str, Any]]:
            es = [e for e in self.entries.values() if e.category == cat]
            es.sort(key=lambda e: (e.family, e.location, e.path or "", e.value, e.encoding))
            return [as_json(e) for e in es]

        return {
            "format": "dicom-deid/phi-canaries/1",
            "synthetic": True,
            "generator": f"Scripts/make-fixtures.py (pydicom {pydicom.__version__})",
            "uidRoot": UID_ROOT,
            "files": {k: self.files[k] for k in sorted(self.files)},
            "canaries": section("canary"),
            "safePrivateValues": section("safe-private"),
            "keptValues": section("kept"),
        }


class NullRegistry(Registry):
    """For benchmark corpora: hands values back, records nothing."""

    def phi(self, value: str, family: str, short: bool = False) -> str:
        return value

    def phi_bytes(self, value: bytes, family: str) -> bytes:
        return value

    def kept(self, value: str, family: str, note: str = "") -> str:
        return value

    def safe(self, value: str, family: str, note: str = "") -> str:
        return value


def walk(ds: Dataset, prefix: str = "") -> Iterator[tuple[DataElement, str, str]]:
    """Yields (element, "(gggg,eeee)", path) for every element, depth first, in tag order."""
    for elem in ds:
        tag = f"({elem.tag.group:04X},{elem.tag.element:04X})"
        path_text = prefix + tag
        if elem.VR == "SQ":
            for i, item in enumerate(elem.value or []):
                yield from walk(item, f"{path_text}[{i}].")
        yield elem, tag, path_text


def text_encoding(text: str, charset: Any) -> str:
    if text.isascii():
        return "ascii"
    terms = list(charset) if isinstance(charset, MultiValue) else [charset]
    if "ISO_IR 192" in terms:
        return "utf-8"
    if "ISO_IR 100" in terms:
        return "latin-1"
    raise ValueError(f"non-ASCII canary {text!r} in a data set with Specific Character Set {charset!r}")


def encode_value(value: str, encoding: str) -> bytes:
    return bytes.fromhex(value) if encoding == "hex" else value.encode(encoding)


def byteswap16(b: bytes) -> bytes:
    a = array.array("H", b)
    a.byteswap()
    return a.tobytes()


def inflate_if_deflated(data: bytes, transfer_syntax: str) -> bytes:
    """Preamble + file meta + data set; for the deflated syntax, the data set is inflated."""
    if transfer_syntax != DEFLATED_LE:
        return data
    assert data[128:132] == b"DICM" and data[132:136] == b"\x02\x00\x00\x00"
    meta_len = int.from_bytes(data[140:144], "little")
    start = 144 + meta_len
    return data[:start] + zlib.decompressobj(-zlib.MAX_WBITS).decompress(data[start:])


# ---------------------------------------------------------------------------------------------
# Small helpers for building data sets
# ---------------------------------------------------------------------------------------------

def item(**kwargs: Any) -> Dataset:
    ds = Dataset()
    for k, v in kwargs.items():
        setattr(ds, k, v)
    return ds


def code(value: str, scheme: str, meaning: str) -> Dataset:
    return item(CodeValue=value, CodingSchemeDesignator=scheme, CodeMeaning=meaning)


def seq(*items: Dataset) -> Sequence:
    return Sequence(list(items))


def set_seq(ds: Dataset, keyword_or_tag: str | int, s: Sequence, undefined: bool = False) -> None:
    """Sets a sequence; `undefined` writes it with undefined length (FFFFFFFF + delimiter)."""
    if isinstance(keyword_or_tag, str):
        setattr(ds, keyword_or_tag, s)
        elem = ds[keyword_or_tag]
    else:
        ds.add(DataElement(keyword_or_tag, "SQ", s))
        elem = ds[keyword_or_tag]
    elem.is_undefined_length = undefined


def undefined_item(ds: Dataset) -> Dataset:
    ds.is_undefined_length_sequence_item = True
    return ds


def ref(sop_class: str, sop_instance: str) -> Dataset:
    return item(ReferencedSOPClassUID=sop_class, ReferencedSOPInstanceUID=sop_instance)


def pixels_ct(rows: int, cols: int, frame: int = 0) -> bytes:
    """Signed 16-bit little-endian CT-like pattern: a disk of texture in air. Fixed, no numpy."""
    out = array.array("h")
    cy, cx, r2 = rows / 2, cols / 2, (min(rows, cols) * 0.42) ** 2
    for y in range(rows):
        row = array.array("h", [-1000] * cols)
        dy2 = (y - cy) ** 2
        for x in range(cols):
            if (x - cx) ** 2 + dy2 < r2:
                row[x] = 20 + (((x * 7) ^ (y * 5) ^ (frame * 11)) & 127)
        out.extend(row)
    if sys.byteorder != "little":
        out.byteswap()
    return out.tobytes()


def pixels_u16(rows: int, cols: int, frame: int = 0) -> bytes:
    """Unsigned 16-bit little-endian MR-like pattern."""
    out = array.array("H", [((x * 3 + y * 5 + frame * 17) & 0x3FF) for y in range(rows) for x in range(cols)])
    if sys.byteorder != "little":
        out.byteswap()
    return out.tobytes()


def pixels_u8(rows: int, cols: int) -> bytes:
    return bytes(((x ^ y) * 4) & 0xFF for y in range(rows) for x in range(cols))


def overlay_bits(rows: int, cols: int, magic: bytes) -> bytes:
    """1 bit per pixel, rows*cols bits, packed LSB first into 16-bit words (PS3.5 8.1.2):
    a rectangle outline; the first bytes are replaced by `magic` so the value is recognisable."""
    nbits = rows * cols
    words = array.array("H", [0] * ((nbits + 15) // 16))
    for y in range(rows):
        for x in range(cols):
            if y in (4, rows - 5) or x in (4, cols - 5):
                i = y * cols + x
                words[i // 16] |= 1 << (i % 16)
    if sys.byteorder != "little":
        words.byteswap()
    raw = bytearray(words.tobytes())
    raw[:len(magic)] = magic
    return bytes(raw)


# ---------------------------------------------------------------------------------------------
# The patients (all FAKE)
# ---------------------------------------------------------------------------------------------

@dataclass
class Subject:
    """PHI for one fake patient and the study the fixtures share. Values are canary strings."""
    tag: str  # short label used to keep canaries unique per subject
    name: str
    pid: str
    birth_date: str
    study_uid: str
    study_date: str
    study_time: str
    accession: str
    study_id: str
    charset: str | None = None
    referring: str | None = None  # default: CANARYPN^REFERRING^<tag>
    institution: str | None = None  # default: CANARY INSTITUTION NAME <tag>
    study_description: str | None = None  # default: CANARY STUDY DESCRIPTION <tag>


ALPHA = Subject(tag="ALPHA", name="CANARYPN^ALPHA^FAKE", pid="CANARY-PID-0001", birth_date="19510417",
                study_uid=STUDY_ALPHA, study_date="20030711", study_time="081523.250", accession="CANARY-ACC-71",
                study_id="CANARY-SID1")
UTF8 = Subject(tag="UTF8", name="Müller-CANARY^Jürgen", pid="CANARY-PID-UTF8", birth_date="19480229",
               study_uid=STUDY_UTF8, study_date="20060505", study_time="151617.180", accession="CANARY-ACC-U8",
               study_id="CANARY-SIDU", charset="ISO_IR 192",
               referring="CANARY-Yamada^Tarou=山田^太郎=やまだ^たろう",
               institution="CANARY Klinikum Süd Straße", study_description="CANARY Schädel nativ Überweisung")
LATIN1 = Subject(tag="LATIN1", name="Gößmann-CANARY^Dörte", pid="CANARY-PID-LAT1", birth_date="19621103",
                 study_uid=STUDY_LATIN1, study_date="20070808", study_time="121314.160", accession="CANARY-ACC-L1",
                 study_id="CANARY-SIDL", charset="ISO_IR 100", referring="CANARY-Pérez^Iñaki",
                 institution="CANARY Hôpital Fictif Genève", study_description="CANARY Crâne sans contraste")


# ---------------------------------------------------------------------------------------------
# Shared builders for the PHI-bearing modules
# ---------------------------------------------------------------------------------------------

def new_dataset(r: Registry, sop_class: str, sop_instance: str, charset: str | None = None) -> FileDataset:
    meta = FileMetaDataset()
    meta.FileMetaInformationVersion = b"\x00\x01"
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = r.phi(sop_instance, "uid-sop-instance")
    meta.TransferSyntaxUID = EXPLICIT_LE
    meta.ImplementationClassUID = IMPLEMENTATION_CLASS_UID
    meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME
    ds = FileDataset("", Dataset(), file_meta=meta, preamble=r.phi(PREAMBLE.decode("ascii"), "preamble").encode("ascii"))
    if charset:
        ds.SpecificCharacterSet = charset
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = r.phi(sop_instance, "uid-sop-instance")
    return ds


def person_identification(r: Registry, who: str) -> Dataset:
    """An item of a ... Identification Sequence (Person Identification Macro) full of PHI."""
    short = {"REFPHYS": "REF", "RECPHYS": "REC", "READPHYS": "READ", "PERFPHYS": "PERF", "OPERATOR": "OPR"}[who]
    return item(
        PersonIdentificationCodeSequence=seq(code(r.phi(f"CANARY-{short}-ID", "physician-id"), "99FAKE",
                                                  r.phi(f"CANARY {who} BADGE", "physician-id"))),
        PersonAddress=r.phi(f"CANARY {who} ADDRESS 9 FAKE LANE", "physician-address"),
        PersonTelephoneNumbers=r.phi(f"CANARY-{who}-TEL", "physician-phone"),
        InstitutionName=r.phi(f"CANARY {who} INSTITUTION", "institution-name"),
    )


def add_patient(ds: Dataset, r: Registry, s: Subject, full: bool) -> None:
    """Patient and Patient Study modules; `full` adds the demographic extras (CT)."""
    ds.PatientName = r.phi(s.name, "patient-name")
    ds.PatientID = r.phi(s.pid, "patient-id")
    ds.PatientBirthDate = r.phi(s.birth_date, "patient-birth-date")
    ds.PatientSex = r.phi("O", "patient-sex", short=True)
    ds.PatientAge = r.phi("047Y", "patient-characteristics", short=True)
    if not full:
        return
    ds.IssuerOfPatientID = r.phi(f"CANARY ISSUER OF PID {s.tag}", "patient-id")
    ds.PatientBirthTime = r.phi("034711.125", "patient-birth-date")
    other_ids = Sequence([
        undefined_item(item(PatientID=r.phi(f"CANARY-OPID-{s.tag}-A", "patient-id"),
                            IssuerOfPatientID=r.phi(f"CANARY OTHER ISSUER {s.tag} A", "patient-id"),
                            TypeOfPatientID="TEXT")),
        undefined_item(item(PatientID=r.phi(f"CANARY-OPID-{s.tag}-B", "patient-id"),
                            IssuerOfPatientID=r.phi(f"CANARY OTHER ISSUER {s.tag} B", "patient-id"),
                            TypeOfPatientID="TEXT")),
    ])
    set_seq(ds, "OtherPatientIDsSequence", other_ids, undefined=True)
    ds.OtherPatientNames = [r.phi(f"CANARYPN^{s.tag}^OTHERNAME^ONE", "patient-name"),
                            r.phi(f"CANARYPN^{s.tag}^OTHERNAME^TWO", "patient-name")]
    ds.PatientBirthName = r.phi(f"CANARYPN^{s.tag}^BIRTHNAME", "patient-name")
    ds.PatientMotherBirthName = r.phi(f"CANARYPN^{s.tag}^MOTHER", "patient-name")
    ds.PatientAddress = r.phi(f"CANARY 17 FAKE STREET^SPRINGFIELD {s.tag}", "patient-address")
    ds.CountryOfResidence = r.phi(f"CANARY COUNTRY {s.tag}", "patient-address")
    ds.RegionOfResidence = r.phi(f"CANARY REGION {s.tag}", "patient-address")
    ds.PatientTelephoneNumbers = r.phi("CANARY-TEL-5550", "patient-phone")
    ds.EthnicGroup = r.phi("CANARY ETHNIC", "patient-characteristics")
    ds.PatientReligiousPreference = r.phi("CANARY RELIGION", "patient-characteristics")
    ds.MilitaryRank = r.phi("CANARY MILITARY RANK", "patient-characteristics")
    ds.MedicalRecordLocator = r.phi(f"CANARY MEDICAL RECORD LOCATOR {s.tag}", "patient-id")
    ds.PatientComments = r.phi(f"CANARY PATIENT COMMENTS: fake patient {s.tag}, allergic to fake", "free-text")
    # Patient Study module
    ds.AdmittingDiagnosesDescription = r.phi("CANARY ADMITTING DIAGNOSIS", "free-text")
    ds.PatientSize = r.phi("1.7342", "patient-characteristics")
    ds.PatientWeight = r.phi("73.4211", "patient-characteristics")
    ds.Occupation = r.phi("CANARY OCCUPATN", "patient-characteristics")
    ds.AdditionalPatientHistory = r.phi(f"CANARY ADDITIONAL PATIENT HISTORY {s.tag}", "free-text")
    ds.AdmissionID = r.phi("CANARY-ADMISSION-31", "patient-id")
    ds.MedicalAlerts = r.phi("CANARY MEDICAL ALERT", "free-text")
    ds.Allergies = r.phi("CANARY ALLERGY", "free-text")
    ds.SmokingStatus = "NO"  # CS with defined terms; not a usable canary
    ds.LastMenstrualDate = r.phi("20030621", "date")


def add_study(ds: Dataset, r: Registry, s: Subject, full: bool) -> None:
    ds.StudyInstanceUID = r.phi(s.study_uid, "uid-study")
    ds.StudyDate = r.phi(s.study_date, "date")
    ds.StudyTime = r.phi(s.study_time, "time")
    ds.ReferringPhysicianName = r.phi(s.referring or f"CANARYPN^REFERRING^{s.tag}", "physician-name")
    ds.StudyID = r.phi(s.study_id, "study-id")
    ds.AccessionNumber = r.phi(s.accession, "accession-number")
    ds.StudyDescription = r.phi(s.study_description or f"CANARY STUDY DESCRIPTION {s.tag}", "free-text")
    if not full:
        return
    set_seq(ds, "ReferringPhysicianIdentificationSequence", seq(person_identification(r, "REFPHYS")))
    ds.PhysiciansOfRecord = r.phi("CANARYPN^OFRECORD^ALPHA", "physician-name")
    set_seq(ds, "PhysiciansOfRecordIdentificationSequence", seq(person_identification(r, "RECPHYS")))
    ds.NameOfPhysiciansReadingStudy = [r.phi("CANARYPN^READING^ONE", "physician-name"),
                                       r.phi("CANARYPN^READING^TWO", "physician-name")]
    set_seq(ds, "PhysiciansReadingStudyIdentificationSequence", seq(person_identification(r, "READPHYS")))
    ds.IssuerOfAccessionNumberSequence = seq(item(LocalNamespaceEntityID=r.kept(
        "KEPT ACC ISSUER", "accession-issuer", "Table E.1-1 (2024e) has no row for (0008,0051)")))


def add_series(ds: Dataset, r: Registry, modality: str, series_uid: str, number: int, full: bool, tag: str) -> None:
    ds.Modality = r.kept(modality, "modality") if full else modality
    ds.SeriesInstanceUID = r.phi(series_uid, "uid-series")
    ds.SeriesNumber = number
    ds.SeriesDescription = r.phi(f"CANARY SERIES DESCRIPTION {tag}", "free-text")
    ds.OperatorsName = r.phi(f"CANARYPN^OPERATOR^{tag}", "physician-name")
    if not full:
        return
    ds.SeriesDate = r.phi("20030712", "date")
    ds.SeriesTime = r.phi("082003.500", "time")
    ds.PerformingPhysicianName = r.phi("CANARYPN^PERFORMING^ALPHA", "physician-name")
    set_seq(ds, "PerformingPhysicianIdentificationSequence", seq(person_identification(r, "PERFPHYS")))
    set_seq(ds, "OperatorIdentificationSequence", seq(person_identification(r, "OPERATOR")))
    ds.ProtocolName = r.phi("CANARY PROTOCOL NAME ALPHA", "free-text")
    ds.BodyPartExamined = r.kept("HEAD", "body-part")
    ds.PatientPosition = "HFS"
    ds.PerformedProcedureStepID = r.phi("CANARY-PPS-ID-9", "request")
    ds.PerformedProcedureStepStartDate = r.phi("20030713", "date")
    ds.PerformedProcedureStepStartTime = r.phi("082511.750", "time")
    ds.PerformedProcedureStepDescription = r.phi("CANARY PPS DESCRIPTION", "free-text")
    request = item(
        RequestedProcedureID=r.phi("CANARY-RPID-0042", "request"),
        ScheduledProcedureStepID=r.phi("CANARY-SPS-0043", "request"),
        ScheduledProcedureStepDescription=r.phi("CANARY SCHEDULED STEP DESCRIPTION", "free-text"),
        RequestedProcedureDescription=r.phi("CANARY REQUESTED PROCEDURE DESCRIPTION", "free-text"),
        ReasonForTheRequestedProcedure=r.phi("CANARY REASON FOR REQUEST", "free-text"),
        AccessionNumber=r.phi("CANARY-ACC-REQ", "accession-number"),
    )
    set_seq(ds, "RequestAttributesSequence", seq(request))  # defined length, defined-length item


def add_equipment(ds: Dataset, r: Registry, tag: str, full: bool, institution: str | None = None) -> None:
    ds.Manufacturer = r.kept("FAKECO MEDICAL", "device-kept", "Manufacturer is not in Table E.1-1")
    ds.InstitutionName = r.phi(institution or f"CANARY INSTITUTION NAME {tag}", "institution-name")
    ds.StationName = r.phi(f"CANARYSTN{tag[:4]}", "device-id")
    if not full:
        return
    ds.InstitutionAddress = r.phi("CANARY INSTITUTION ADDRESS 1 HOSPITAL WAY", "institution-address")
    ds.InstitutionalDepartmentName = r.phi("CANARY DEPARTMENT NAME", "institution-department")
    ds.ManufacturerModelName = r.kept("FAKESCAN 9000 ULTRA", "device-kept",
                                      "Manufacturer's Model Name is not in Table E.1-1 (2024e)")
    ds.DeviceSerialNumber = r.phi("CANARY-SERIAL-8675309", "device-id")
    ds.DeviceUID = r.phi(uid(6, 1001), "uid-other")
    ds.SoftwareVersions = r.kept("FAKESOFT 1.2.3", "device-kept", "Software Versions is not in Table E.1-1")
    ds.DateOfLastCalibration = r.phi("20030102", "date")
    ds.TimeOfLastCalibration = r.phi("063001.125", "time")


def add_sop_common_dates(ds: Dataset, r: Registry) -> None:
    ds.InstanceCreationDate = r.phi("20030714", "date")
    ds.InstanceCreationTime = r.phi("090807.125", "time")
    ds.InstanceCreatorUID = r.phi(uid(6, 1002), "uid-other")
    ds.TimezoneOffsetFromUTC = r.phi("+0545", "time", short=True)


def add_clinical_trial(ds: Dataset, r: Registry) -> None:
    ds.ClinicalTrialSponsorName = r.phi("CANARY TRIAL SPONSOR", "clinical-trial")
    ds.ClinicalTrialProtocolID = r.phi("CANARY-TRIAL-PROTO", "clinical-trial")
    ds.ClinicalTrialProtocolName = r.phi("CANARY TRIAL PROTOCOL NAME", "clinical-trial")
    ds.ClinicalTrialSiteID = r.phi("CANARY-SITE-77", "clinical-trial")
    ds.ClinicalTrialSiteName = r.phi("CANARY TRIAL SITE NAME", "clinical-trial")
    ds.ClinicalTrialSubjectID = r.phi("CANARY-SUBJ-0099", "clinical-trial")
    ds.ClinicalTrialTimePointID = r.phi("CANARY-TP-3", "clinical-trial")
    ds.ClinicalTrialTimePointDescription = r.phi("CANARY TIME POINT DESCRIPTION", "clinical-trial")
    ds.ClinicalTrialCoordinatingCenterName = r.phi("CANARY COORDINATING CENTER", "clinical-trial")
    ds.ClinicalTrialSeriesID = r.phi("CANARY-TRIAL-SER-1", "clinical-trial")
    ds.ClinicalTrialSeriesDescription = r.phi("CANARY TRIAL SERIES DESCRIPTION", "clinical-trial")


def add_original_attributes(ds: Dataset, r: Registry) -> None:
    """Original Attributes Sequence (undefined length) > Modified Attributes Sequence > old PatientName."""
    modified = undefined_item(item(PatientName=r.phi("CANARYPN^OLDNAME^BEFORE", "patient-name"),
                                   PatientID=r.phi("CANARY-PID-OLD-0001", "patient-id")))
    original = item(
        AttributeModificationDateTime=r.phi("20030715101010.101010", "date"),
        ModifyingSystem=r.phi("CANARY MODIFYING SYSTEM", "free-text"),
        SourceOfPreviousValues=r.phi("CANARY SOURCE OF PREVIOUS VALUES", "free-text"),
        ReasonForTheAttributeModification="COERCE",
    )
    set_seq(original, "ModifiedAttributesSequence", seq(modified))
    set_seq(ds, "OriginalAttributesSequence", seq(original), undefined=True)


def add_private_blocks(ds: Dataset, r: Registry) -> None:
    """Group 0009 with two creators; a private SQ with PHI; a safe private element in 7053."""
    acme = ds.private_block(0x0009, "ACME FAKE 1.0", create=True)  # (0009,0010) -> (0009,10xx)
    other = ds.private_block(0x0009, "OTHER FAKE", create=True)  # (0009,0011) -> (0009,11xx)
    acme.add_new(0x01, "PN", r.phi("CANARYPN^PRIVATE^ACME", "private"))
    acme.add_new(0x02, "LO", r.phi("CANARY-PRIV-MRN-7731", "private"))
    acme.add_new(0x03, "DA", r.phi("19770214", "private-date"))  # a DA outside Table E.1-1
    acme.add_new(0x04, "UI", r.phi(uid(7, 1001), "private"))
    inner = undefined_item(item(PatientName=r.phi("CANARYPN^PRIVSEQ^INNER", "private"),
                                PatientID=r.phi("CANARY-PID-PRIVSEQ", "private")))
    inner_block = inner.private_block(0x0029, "ACME FAKE 1.0", create=True)
    inner_block.add_new(0x01, "LT", r.phi("CANARY PRIVATE NESTED NOTE about the fake patient", "private"))
    # item 0: undefined-length item with PHI; item 1: an empty item (defined length 0)
    acme.add_new(0x05, "SQ", Sequence([inner, Dataset()]))
    ds[acme.get_tag(0x05)].is_undefined_length = True
    other.add_new(0x01, "LT", r.phi("CANARY OTHER FAKE FREE TEXT NOTE", "private"))
    other.add_new(0x02, "SH", r.phi("CANARY-OF-SH-02", "private"))
    other.add_new(0x03, "LO", r.phi("CANARY OTHER FAKE LONG", "private"))
    safe = ds.private_block(SAFE_PRIVATE_GROUP, SAFE_PRIVATE_CREATOR, create=True)
    safe.add_new(SAFE_PRIVATE_ELEMENT_BYTE, SAFE_PRIVATE_VR,
                 r.safe(SAFE_PRIVATE_VALUE, "safe-private",
                        f"({SAFE_PRIVATE_GROUP:04X},xx{SAFE_PRIVATE_ELEMENT_BYTE:02X}) creator "
                        f"'{SAFE_PRIVATE_CREATOR}': on the PS3.15 Safe Private list; removed by the Basic "
                        f"Profile, kept by Retain Safe Private"))


def add_overlays(ds: Dataset, r: Registry, rows: int, cols: int) -> None:
    for group, label in ((0x6000, "A"), (0x6002, "B")):
        g = group << 16
        magic = r.phi_bytes(bytes.fromhex("ca7a2f0e") + group.to_bytes(2, "big") + b"OVLYPHI" + label.encode()
                            + b"\x5a\xa5", "overlay-data")
        ds.add(DataElement(g | 0x0010, "US", rows))
        ds.add(DataElement(g | 0x0011, "US", cols))
        ds.add(DataElement(g | 0x0022, "LO", r.kept(f"KEPT OVERLAY DESCRIPTION DR FAKENAME {label}", "overlay-text",
                                                  "PHI-like text; Table E.1-1 (2024e) has no row for Overlay Description")))
        ds.add(DataElement(g | 0x0040, "CS", "G"))
        ds.add(DataElement(g | 0x0050, "SS", [1, 1]))
        ds.add(DataElement(g | 0x0100, "US", 1))
        ds.add(DataElement(g | 0x0102, "US", 0))
        ds.add(DataElement(g | 0x1500, "LO", r.kept(f"KEPT OVERLAY LABEL MRN 4711 {label}", "overlay-text",
                                                  "PHI-like text; Table E.1-1 (2024e) has no row for Overlay Label")))
        ds.add(DataElement(g | 0x3000, "OW", overlay_bits(rows, cols, magic)))
        ds.add(DataElement(g | 0x4000, "LT", r.phi(f"CANARY OVERLAY COMMENTS {label}: fake patient Alpha",
                                                   "overlay-comments")))
    ds.OverlayDate = r.phi("20030716", "date")
    ds.OverlayTime = r.phi("094512.125", "time")


def add_curve(ds: Dataset, r: Registry) -> None:
    """A retired curve (group 5000), explicit VRs (the dictionary has 'ox' for Curve Data)."""
    g = 0x5000 << 16
    magic = r.phi_bytes(bytes.fromhex("c0febabe5000") + b"CURVEPHI" + b"\x01\x02", "curve-data")
    points = array.array("H", [10, 10, 50, 10, 50, 50, 10, 50])
    if sys.byteorder != "little":
        points.byteswap()
    ds.add(DataElement(g | 0x0005, "US", 2))
    ds.add(DataElement(g | 0x0010, "US", 8))
    ds.add(DataElement(g | 0x0020, "CS", "POLY"))
    ds.add(DataElement(g | 0x0022, "LO", r.phi("CANARY CURVE DESCRIPTION fake patient", "curve")))
    ds.add(DataElement(g | 0x0030, "SH", ["PIXL", "PIXL"]))
    ds.add(DataElement(g | 0x0103, "US", 0))
    ds.add(DataElement(g | 0x2500, "LO", r.phi("CANARY CURVE LABEL", "curve")))
    ds.add(DataElement(g | 0x3000, "OW", magic + points.tobytes()))
    ds.CurveDate = r.phi("20030717", "date")
    ds.CurveTime = r.phi("095001.500", "time")


def add_digital_signature(ds: Dataset, r: Registry) -> None:
    ds.MACParametersSequence = seq(item(MACIDNumber=1, MACCalculationTransferSyntaxUID=EXPLICIT_LE,
                                        MACAlgorithm="SHA256", DataElementsSigned=[0x00100010, 0x00100020]))
    sig = item(
        MACIDNumber=1,
        DigitalSignatureUID=r.phi(uid(6, 1003), "uid-other"),
        DigitalSignatureDateTime=r.phi("20030718111213.141516", "date"),
        CertificateType="X509_1993_SIG",
        CertificateOfSigner=r.phi_bytes(b"CANARY-CERT-OF-SIGNER-FAKE-DER!!", "digital-signature"),
        Signature=r.phi_bytes(bytes.fromhex("5167ca4a") + b"FAKE-SIGNATURE-BYTES", "digital-signature"),
    )
    ds.DigitalSignaturesSequence = seq(sig)


def add_trailing_padding(ds: Dataset, r: Registry) -> None:
    ds.DataSetTrailingPadding = r.phi_bytes(b"CANARY-TRAILING-PADDING-PHI!" + b"\xfc" * 4, "trailing-padding")


def add_image_pixel(ds: Dataset, rows: int, cols: int, bits: int, signed: bool, pixels: bytes,
                    frames: int | None = None) -> None:
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = rows
    ds.Columns = cols
    if frames is not None:
        ds.NumberOfFrames = frames
    ds.BitsAllocated = bits
    ds.BitsStored = bits
    ds.HighBit = bits - 1
    ds.PixelRepresentation = 1 if signed else 0
    ds.PixelData = pixels
    ds["PixelData"].VR = "OW" if bits == 16 else "OB"


def add_image_plane(ds: Dataset, z: float) -> None:
    ds.PixelSpacing = ["0.781250", "0.781250"]
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.ImagePositionPatient = ["-25.000000", "-25.000000", f"{z:.6f}"]
    ds.SliceThickness = "5.000000"
    ds.SliceLocation = f"{z:.6f}"


# ---------------------------------------------------------------------------------------------
# One function per fixture
# ---------------------------------------------------------------------------------------------

def build_ct(r: Registry, rows: int = 64, cols: int = 64) -> FileDataset:
    """CT Image with PHI in every Table E.1-1 family, plus the odd-but-legal encodings."""
    ds = new_dataset(r, CT_IMAGE, SOP["ct"])
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    add_sop_common_dates(ds, r)
    add_patient(ds, r, ALPHA, full=True)
    add_study(ds, r, ALPHA, full=True)
    add_series(ds, r, "CT", SERIES["ct"], 1, full=True, tag="CT")
    ds.FrameOfReferenceUID = r.phi(FOR_CT, "uid-frame-of-reference")
    ds.PositionReferenceIndicator = ""
    add_equipment(ds, r, "ALPHA", full=True)
    # General Acquisition / General Image
    ds.AcquisitionNumber = 1
    ds.AcquisitionDate = r.phi("20030719", "date")
    ds.AcquisitionTime = r.phi("083005.250", "time")
    ds.AcquisitionDateTime = r.phi("20030720083006.125", "date")
    ds.IrradiationEventUID = r.phi(uid(6, 1004), "uid-other")
    ds.InstanceNumber = 1
    ds.PatientOrientation = ["L", "P"]
    ds.ContentDate = r.phi("20030721", "date")
    ds.ContentTime = r.phi("083510.500", "time")
    ds.ImageComments = r.phi("CANARY IMAGE COMMENTS fake patient Alpha", "free-text")
    ds.AcquisitionComments = r.phi("CANARY ACQUISITION COMMENTS", "free-text")
    ds.BurnedInAnnotation = "NO"
    # references: the MR fixture (localizer-like) and a raw-data instance no fixture has
    set_seq(ds, "ReferencedImageSequence", seq(ref(MR_IMAGE, r.phi(SOP["mr"], "uid-sop-instance"))))
    set_seq(ds, "SourceImageSequence", seq(ref(CT_IMAGE, r.phi(uid(5, 1001), "uid-referenced-instance"))))
    add_image_plane(ds, 12.5)
    add_image_pixel(ds, rows, cols, 16, True, pixels_ct(rows, cols))
    # CT Image module
    ds.RescaleIntercept = "0"
    ds.RescaleSlope = "1"
    ds.RescaleType = "HU"
    ds.KVP = "120"
    ds.ReconstructionDiameter = "50"
    ds.ConvolutionKernel = "STANDARD"
    ds.WindowCenter = "40"
    ds.WindowWidth = "400"
    # Empty sequences (outside the CT IOD's modules, where dciodvfy only warns):
    # defined length 0, and UNDEFINED length (FFFFFFFF then a Sequence Delimitation Item, no items).
    set_seq(ds, "ReferencedRequestSequence", Sequence([]))
    set_seq(ds, "AcquisitionContextSequence", Sequence([]), undefined=True)
    add_clinical_trial(ds, r)
    add_original_attributes(ds, r)
    add_private_blocks(ds, r)
    add_overlays(ds, r, rows, cols)
    add_curve(ds, r)
    add_digital_signature(ds, r)
    add_trailing_padding(ds, r)
    # (0002,0100)/(0002,0102): private information in the file meta
    ds.file_meta.PrivateInformationCreatorUID = r.phi(uid(7, 1002), "file-meta-private")
    ds.file_meta.PrivateInformation = r.phi_bytes(b"CANARY-META-PRIVATE-INFO-PHI", "file-meta-private")
    return ds


def build_mr(r: Registry, rows: int = 64, cols: int = 64) -> FileDataset:
    ds = new_dataset(r, MR_IMAGE, SOP["mr"])
    ds.ImageType = ["ORIGINAL", "PRIMARY", "OTHER"]
    add_patient(ds, r, ALPHA, full=False)
    add_study(ds, r, ALPHA, full=False)
    add_series(ds, r, "MR", SERIES["mr"], 2, full=False, tag="MR")
    ds.BodyPartExamined = "HEAD"
    ds.PatientPosition = "HFS"
    ds.FrameOfReferenceUID = r.phi(FOR_MR, "uid-frame-of-reference")
    ds.PositionReferenceIndicator = ""
    add_equipment(ds, r, "MR", full=False)
    ds.AcquisitionNumber = 1
    ds.AcquisitionDate = r.phi("20030722", "date")
    ds.AcquisitionTime = r.phi("084011.250", "time")
    ds.InstanceNumber = 1
    ds.PatientOrientation = ["L", "P"]
    ds.ContentDate = r.phi("20030723", "date")
    ds.ContentTime = r.phi("084512.750", "time")
    ds.ImageComments = r.phi("CANARY MR IMAGE COMMENTS", "free-text")
    add_image_plane(ds, 0.0)
    add_image_pixel(ds, rows, cols, 16, False, pixels_u16(rows, cols))
    ds.ScanningSequence = "SE"
    ds.SequenceVariant = "NONE"
    ds.ScanOptions = ""
    ds.MRAcquisitionType = "2D"
    ds.RepetitionTime = "500"
    ds.EchoTime = "15"
    ds.EchoTrainLength = "1"
    ds.MagneticFieldStrength = "1.5"
    ds.WindowCenter = "512"
    ds.WindowWidth = "1024"
    # a private block in the MR too (one creator)
    blk = ds.private_block(0x0019, "ACME FAKE 1.0", create=True)
    blk.add_new(0x01, "LO", r.phi("CANARY MR PRIVATE SCANNER NOTE", "private"))
    return ds


def build_enhanced_ct(r: Registry, rows: int = 32, cols: int = 32, frames: int = 3) -> FileDataset:
    """Enhanced CT: Shared and Per-frame Functional Groups; PHI in the frames' content."""
    ds = new_dataset(r, ENHANCED_CT, SOP["enh"])
    ds.ImageType = ["DERIVED", "PRIMARY", "VOLUME", "NONE"]
    add_patient(ds, r, ALPHA, full=False)
    add_study(ds, r, ALPHA, full=False)
    add_series(ds, r, "CT", SERIES["enh"], 3, full=False, tag="ENH")
    ds.FrameOfReferenceUID = r.phi(FOR_CT, "uid-frame-of-reference")
    ds.PositionReferenceIndicator = ""
    add_equipment(ds, r, "ENH", full=False)
    ds.ManufacturerModelName = "FAKESCAN 9000 ULTRA"
    ds.DeviceSerialNumber = r.phi("CANARY-SERIAL-ENH-42", "device-id")
    ds.SoftwareVersions = "FAKESOFT 1.2.3"
    ds.InstanceNumber = 1
    ds.ContentDate = r.phi("20030724", "date")
    ds.ContentTime = r.phi("085013.250", "time")
    ds.AcquisitionDateTime = r.phi("20030725085014.500", "date")
    ds.AcquisitionNumber = 1
    ds.ContentQualification = "PRODUCT"
    ds.PatientPosition = "HFS"
    ds.PixelPresentation = "MONOCHROME"
    ds.VolumetricProperties = "VOLUME"
    ds.VolumeBasedCalculationTechnique = "NONE"
    ds.LossyImageCompression = "00"
    ds.SourceImageEvidenceSequence = seq(item(
        StudyInstanceUID=r.phi(STUDY_ALPHA, "uid-study"),
        ReferencedSeriesSequence=seq(item(SeriesInstanceUID=r.phi(SERIES["ct"], "uid-series"),
                                          ReferencedSOPSequence=seq(ref(CT_IMAGE, SOP["ct"]))))))
    ds.ImageComments = r.phi("CANARY ENHANCED IMAGE COMMENTS", "free-text")
    ds.BurnedInAnnotation = "NO"
    ds.PresentationLUTShape = "IDENTITY"
    ds.AcquisitionContextSequence = Sequence([])
    ds.DimensionOrganizationSequence = seq(item(DimensionOrganizationUID=r.phi(uid(6, 1005), "uid-other")))
    ds.DimensionIndexSequence = seq(item(DimensionOrganizationUID=r.phi(uid(6, 1005), "uid-other"),
                                         DimensionIndexPointer=0x00200032,
                                         FunctionalGroupPointer=0x00209113))
    pix = b"".join(pixels_ct(rows, cols, f) for f in range(frames))
    add_image_pixel(ds, rows, cols, 16, True, pix, frames=frames)
    shared = item(
        PixelMeasuresSequence=seq(item(PixelSpacing=["0.781250", "0.781250"], SliceThickness="5.000000")),
        PlaneOrientationSequence=seq(item(ImageOrientationPatient=["1", "0", "0", "0", "1", "0"])),
        PixelValueTransformationSequence=seq(item(RescaleIntercept="0", RescaleSlope="1", RescaleType="HU")),
        FrameVOILUTSequence=seq(item(WindowCenter="40", WindowWidth="400")),
        CTImageFrameTypeSequence=seq(item(FrameType=["DERIVED", "PRIMARY", "VOLUME", "NONE"],
                                          PixelPresentation="MONOCHROME", VolumetricProperties="VOLUME",
                                          VolumeBasedCalculationTechnique="NONE")),
        FrameAnatomySequence=seq(item(FrameLaterality="U",
                                      AnatomicRegionSequence=seq(code("69536005", "SCT", "Head")))),
        IrradiationEventIdentificationSequence=seq(item(IrradiationEventUID=r.phi(uid(6, 1006), "uid-other"))),
        DerivationImageSequence=seq(item(
            DerivationDescription=r.phi("CANARY DERIVATION DESCRIPTION", "free-text"),
            DerivationCodeSequence=seq(code("113076", "DCM", "Segmentation")),
            SourceImageSequence=seq(item(ReferencedSOPClassUID=CT_IMAGE,
                                         ReferencedSOPInstanceUID=r.phi(SOP["ct"], "uid-sop-instance"),
                                         PurposeOfReferenceCodeSequence=seq(code("121322", "DCM",
                                                                                 "Source image for image processing operation")))),
        )),
    )
    ds.SharedFunctionalGroupsSequence = seq(shared)
    per_frame = []
    for f in range(frames):
        per_frame.append(item(
            FrameContentSequence=seq(item(
                FrameAcquisitionDateTime=r.phi(f"2003072608551{f}.25", "date"),
                FrameReferenceDateTime=r.phi(f"2003072708552{f}.75", "date"),
                FrameAcquisitionNumber=1,
                DimensionIndexValues=[f + 1],
                FrameComments=r.phi(f"CANARY FRAME COMMENTS {f}", "free-text"),
            )),
            PlanePositionSequence=seq(item(ImagePositionPatient=["-12.5", "-12.5", f"{5.0 * f:.1f}"])),
        ))
    ds.PerFrameFunctionalGroupsSequence = Sequence(per_frame)
    ds["PerFrameFunctionalGroupsSequence"].is_undefined_length = True
    return ds


def sr_item(rel: str | None, value_type: str, concept: Dataset, **kwargs: Any) -> Dataset:
    it = Dataset()
    if rel:
        it.RelationshipType = rel
    it.ValueType = value_type
    it.ConceptNameCodeSequence = seq(concept)
    for k, v in kwargs.items():
        setattr(it, k, v)
    return it


def build_sr(r: Registry) -> FileDataset:
    """Basic Text SR; the Content Sequence nests four levels with PN, DATE, TEXT, UIDREF, IMAGE items."""
    ds = new_dataset(r, BASIC_TEXT_SR, SOP["sr"])
    add_patient(ds, r, ALPHA, full=False)
    add_study(ds, r, ALPHA, full=False)
    ds.Modality = "SR"
    ds.SeriesInstanceUID = r.phi(SERIES["sr"], "uid-series")
    ds.SeriesNumber = 4
    ds.SeriesDescription = r.phi("CANARY SERIES DESCRIPTION SR", "free-text")
    set_seq(ds, "ReferencedPerformedProcedureStepSequence", Sequence([]))  # Type 2, empty
    add_equipment(ds, r, "SR", full=False)
    ds.InstanceNumber = 1
    ds.ContentDate = r.phi("20030728", "date")
    ds.ContentTime = r.phi("090014.250", "time")
    ds.CompletionFlag = "COMPLETE"
    ds.VerificationFlag = "VERIFIED"
    ds.VerifyingObserverSequence = seq(item(
        VerifyingObserverName=r.phi("CANARYPN^VERIFIER^SR", "physician-name"),
        VerifyingObserverIdentificationCodeSequence=seq(code(r.phi("CANARY-VOBS-ID", "physician-id"), "99FAKE",
                                                             r.phi("CANARY VERIFIER BADGE", "physician-id"))),
        VerifyingOrganization=r.phi("CANARY VERIFYING ORGANIZATION", "institution-name"),
        VerificationDateTime=r.phi("20030729090015.125", "date"),
    ))
    ds.AuthorObserverSequence = seq(item(
        ObserverType="PSN",
        PersonName=r.phi("CANARYPN^AUTHOR^SR", "physician-name"),
        PersonIdentificationCodeSequence=seq(code(r.phi("CANARY-AUTHOR-ID", "physician-id"), "99FAKE", "Author")),
        InstitutionName=r.phi("CANARY AUTHOR INSTITUTION", "institution-name"),
        InstitutionalDepartmentName=r.phi("CANARY AUTHOR DEPARTMENT", "institution-department"),
        InstitutionCodeSequence=Sequence([]),  # Type 2: present, empty
    ))
    ds.PerformedProcedureCodeSequence = Sequence([])
    ct_ref = ref(CT_IMAGE, r.phi(SOP["ct"], "uid-sop-instance"))
    ds.CurrentRequestedProcedureEvidenceSequence = seq(item(
        StudyInstanceUID=r.phi(STUDY_ALPHA, "uid-study"),
        ReferencedSeriesSequence=seq(
            item(SeriesInstanceUID=r.phi(SERIES["ct"], "uid-series"), ReferencedSOPSequence=seq(ct_ref)),
            item(SeriesInstanceUID=r.phi(SERIES["mr"], "uid-series"),
                 ReferencedSOPSequence=seq(ref(MR_IMAGE, r.phi(SOP["mr"], "uid-sop-instance"))))),
    ))
    # content tree
    level4 = [
        sr_item("INFERRED FROM", "IMAGE", code("121112", "DCM", "Source of Measurement"),
                ReferencedSOPSequence=seq(ref(CT_IMAGE, SOP["ct"]))),
    ]
    finding = sr_item("CONTAINS", "TEXT", code("121071", "DCM", "Finding"),
                      TextValue=r.phi("CANARY SR FINDING: fake lesion seen by Dr Canary in patient Alpha", "sr-text"),
                      ContentSequence=Sequence(level4))
    level3 = Sequence([
        finding,
        sr_item("CONTAINS", "PNAME", code("121008", "DCM", "Person Observer Name"),
                PersonName=r.phi("CANARYPN^SR^NESTED^PERSON", "sr-pname")),
        sr_item("CONTAINS", "DATETIME", code("111526", "DCM", "DateTime Started"),
                DateTime=r.phi("20030730090016.500", "date")),
        sr_item("CONTAINS", "IMAGE", code("121080", "DCM", "Best illustration of finding"),
                ReferencedSOPSequence=seq(ref(CT_IMAGE, SOP["ct"]))),
    ])
    level3[0].ObservationDateTime = r.phi("20030731090017.250", "date")
    findings = sr_item("CONTAINS", "CONTAINER", code("121070", "DCM", "Findings"),
                       ContinuityOfContent="SEPARATE", ContentSequence=level3)
    level2 = Sequence([
        sr_item("HAS OBS CONTEXT", "PNAME", code("121008", "DCM", "Person Observer Name"),
                PersonName=r.phi("CANARYPN^OBSERVER^SR", "sr-pname")),
        sr_item("HAS OBS CONTEXT", "UIDREF", code("121018", "DCM", "Procedure Study Instance UID"),
                UID=r.phi(uid(6, 1007), "sr-uidref")),
        sr_item("CONTAINS", "DATE", code("111060", "DCM", "Study Date"),
                Date=r.phi("20030801", "date")),
        sr_item("CONTAINS", "TIME", code("111061", "DCM", "Study Time"),
                Time=r.phi("090018.750", "time")),
        sr_item("CONTAINS", "TEXT", code("121106", "DCM", "Comment"),
                TextValue=r.phi("CANARY SR COMMENT: call Mrs Canary on 555-0199", "sr-text")),
        findings,
    ])
    ds.ValueType = "CONTAINER"
    ds.ConceptNameCodeSequence = seq(code("18748-4", "LN", "Diagnostic Imaging Report"))
    ds.ContinuityOfContent = "SEPARATE"
    ds.ContentSequence = level2
    ds["ContentSequence"].is_undefined_length = True
    findings.is_undefined_length_sequence_item = True
    return ds


def build_rtstruct(r: Registry) -> FileDataset:
    """RT Structure Set referencing the CT fixture through FoR > Study > Series > Contour Image."""
    ds = new_dataset(r, RT_STRUCT, SOP["rt"])
    add_patient(ds, r, ALPHA, full=False)
    add_study(ds, r, ALPHA, full=False)
    ds.Modality = "RTSTRUCT"
    ds.SeriesInstanceUID = r.phi(SERIES["rt"], "uid-series")
    ds.SeriesNumber = 5
    ds.SeriesDescription = r.phi("CANARY SERIES DESCRIPTION RT", "free-text")
    ds.OperatorsName = r.phi("CANARYPN^OPERATOR^RT", "physician-name")
    ds.FrameOfReferenceUID = r.phi(FOR_CT, "uid-frame-of-reference")
    ds.PositionReferenceIndicator = ""
    add_equipment(ds, r, "RT", full=False)
    ds.StructureSetLabel = r.phi("CANARY RTSS LBL", "rt-label")
    ds.StructureSetName = r.phi("CANARY RTSS NAME", "rt-label")
    ds.StructureSetDescription = r.phi("CANARY RTSS DESCRIPTION for fake patient", "free-text")
    ds.InstanceNumber = 1
    ds.StructureSetDate = r.phi("20030802", "date")
    ds.StructureSetTime = r.phi("091019.125", "time")
    contour_image = seq(ref(CT_IMAGE, r.phi(SOP["ct"], "uid-sop-instance")))
    series = item(SeriesInstanceUID=r.phi(SERIES["ct"], "uid-series"), ContourImageSequence=contour_image)
    study = item(ReferencedSOPClassUID=DETACHED_STUDY_MGMT,
                 ReferencedSOPInstanceUID=r.phi(STUDY_ALPHA, "uid-study"),
                 RTReferencedSeriesSequence=seq(series))
    ds.ReferencedFrameOfReferenceSequence = seq(item(
        FrameOfReferenceUID=r.phi(FOR_CT, "uid-frame-of-reference"),
        RTReferencedStudySequence=seq(study)))
    rois, contours, observations = [], [], []
    for n, (name, kind) in enumerate((("CANARY ROI TUMOR ALPHA", "GTV"), ("CANARY ROI SPINE ALPHA", "ORGAN")), 1):
        rois.append(item(ROINumber=n, ReferencedFrameOfReferenceUID=r.phi(FOR_CT, "uid-frame-of-reference"),
                         ROIName=r.phi(name, "rt-roi-name"),
                         ROIDescription=r.phi(f"CANARY ROI DESCRIPTION {n}", "free-text"),
                         ROIGenerationAlgorithm="MANUAL"))
        pts = [-10 + 5 * n, -10, 12.5, 10, -10, 12.5, 10, 10, 12.5, -10 + 5 * n, 10, 12.5]
        contours.append(item(
            ROIDisplayColor=[255, 0, 0] if n == 1 else [0, 255, 0],
            ContourSequence=seq(item(ContourImageSequence=seq(ref(CT_IMAGE, SOP["ct"])),
                                     ContourGeometricType="CLOSED_PLANAR", NumberOfContourPoints=4,
                                     ContourNumber=1, ContourData=[f"{p:g}" for p in pts])),
            ReferencedROINumber=n))
        observations.append(item(ObservationNumber=n, ReferencedROINumber=n,
                                 ROIObservationLabel=r.phi(f"CANARY ROIOBS {n}", "free-text"),
                                 RTROIInterpretedType=kind,
                                 ROIInterpreter=r.phi(f"CANARYPN^INTERPRETER^{n}", "physician-name")))
    ds.StructureSetROISequence = Sequence(rois)
    ds.ROIContourSequence = Sequence(contours)
    ds.RTROIObservationsSequence = Sequence(observations)
    ds["ROIContourSequence"].is_undefined_length = True
    return ds


def build_sc(r: Registry, s: Subject = ALPHA, key: str = "sc") -> FileDataset:
    """Secondary Capture derived from the CT fixture (or a charset variant for another patient)."""
    ds = new_dataset(r, SC_IMAGE, SOP[key], charset=s.charset)
    ds.ImageType = ["DERIVED", "SECONDARY"]
    add_patient(ds, r, s, full=False)
    add_study(ds, r, s, full=False)
    add_series(ds, r, "OT", SERIES[key], 6, full=False, tag=key.upper())
    ds.BodyPartExamined = "HEAD"
    add_equipment(ds, r, key.upper(), full=False, institution=s.institution)
    ds.ConversionType = "WSD"
    ds.InstanceNumber = 1
    ds.PatientOrientation = ""
    ds.ContentDate = r.phi({"sc": "20030803", "sc-utf8": "20060506", "sc-latin1": "20070809"}[key], "date")
    ds.DateOfSecondaryCapture = r.phi({"sc": "20030804", "sc-utf8": "20060507", "sc-latin1": "20070810"}[key], "date")
    ds.TimeOfSecondaryCapture = r.phi({"sc": "092020.125", "sc-utf8": "152021.125", "sc-latin1": "122022.125"}[key],
                                      "time")
    if key == "sc":
        set_seq(ds, "SourceImageSequence", seq(ref(CT_IMAGE, r.phi(SOP["ct"], "uid-sop-instance"))))
    add_image_pixel(ds, 16, 16, 8, False, pixels_u8(16, 16))
    return ds


def add_non_ascii(ds: Dataset, r: Registry, s: Subject) -> None:
    """Non-ASCII PHI for the character set fixtures."""
    if s.charset == "ISO_IR 192":
        ds.PatientAddress = r.phi("CANARY Hauptstraße 5^München", "patient-address")
        ds.ImageComments = r.phi("CANARY Bemerkung: Patient Jürgen Müller, geb. 29.02.1948 — Ärztin Dr. Šćepanović",
                                 "free-text")
    else:
        ds.PatientAddress = r.phi("CANARY Rue de l'Église 3^Genève", "patient-address")
        ds.ImageComments = r.phi("CANARY Bemerkung: Dörte Gößmann, Größe 1,62 m", "free-text")


def build_sc_charset(r: Registry, s: Subject) -> FileDataset:
    key = "sc-utf8" if s is UTF8 else "sc-latin1"
    ds = build_sc(r, s, key)
    add_non_ascii(ds, r, s)
    return ds


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

def swap_ow_for_big_endian(ds: Dataset) -> None:
    """pydicom writes OW bytes as given; a big-endian file needs them word-swapped."""
    for elem in list(ds):
        if elem.VR == "SQ":
            for it in elem.value:
                swap_ow_for_big_endian(it)
        elif elem.VR == "OW" and isinstance(elem.value, (bytes, bytearray)):
            elem.value = byteswap16(bytes(elem.value))


def encoded_variant(ds: FileDataset, transfer_syntax: str) -> FileDataset:
    out = copy.deepcopy(ds)
    out.file_meta.TransferSyntaxUID = transfer_syntax
    if transfer_syntax == EXPLICIT_BE:
        swap_ow_for_big_endian(out)
    elif transfer_syntax == RLE_LOSSLESS:
        frame = RLELosslessEncoder.encode(
            bytes(ds.PixelData), rows=ds.Rows, columns=ds.Columns, samples_per_pixel=1,
            bits_allocated=ds.BitsAllocated, bits_stored=ds.BitsStored,
            pixel_representation=ds.PixelRepresentation, photometric_interpretation=ds.PhotometricInterpretation,
            number_of_frames=1, encoding_plugin="pydicom")
        out.PixelData = encaps.encapsulate([frame], has_bot=True)  # BOT item with one offset (0)
        out["PixelData"].VR = "OB"
        out["PixelData"].is_undefined_length = True
    return out


def write_with_group_lengths(ds: FileDataset, path: Path) -> None:
    """Explicit VR LE with a (gggg,0000) Group Length before every group of the data set.

    pydicom never writes retired group lengths (filewriter.write_dataset skips them), so each group is
    encoded on its own and prefixed with its length here.
    """
    assert ds.file_meta.TransferSyntaxUID == EXPLICIT_LE
    fp = DicomBytesIO()
    fp.is_little_endian, fp.is_implicit_VR = True, False
    fp.write(ds.preamble)
    fp.write(b"DICM")
    write_file_meta_info(fp, ds.file_meta, enforce_standard=True)
    charset = ds.get("SpecificCharacterSet", "ISO_IR 6")
    tags = sorted(ds.keys())
    for group in sorted({t.group for t in tags}):
        sub = Dataset()
        for t in tags:
            if t.group == group and t.element != 0:
                sub.add(ds[t])
        buf = DicomBytesIO()
        buf.is_little_endian, buf.is_implicit_VR = True, False
        write_dataset(buf, sub, parent_encoding=charset)
        body = buf.getvalue()
        fp.write(group.to_bytes(2, "little") + b"\x00\x00" + b"UL" + (4).to_bytes(2, "little")
                 + len(body).to_bytes(4, "little"))
        fp.write(body)
    path.write_bytes(fp.getvalue())


@dataclass
class FixtureFile:
    name: str
    build: Callable[[Registry], FileDataset]
    transfer_syntax: str
    description: str
    group_lengths: bool = False


FIXTURES: list[FixtureFile] = [
    FixtureFile("ct-explicit-le.dcm", build_ct, EXPLICIT_LE, "CT Image 64x64 16-bit, all PHI families"),
    FixtureFile("ct-implicit-le.dcm", build_ct, IMPLICIT_LE, "same CT, Implicit VR Little Endian"),
    FixtureFile("ct-explicit-be.dcm", build_ct, EXPLICIT_BE, "same CT, Explicit VR Big Endian (retired)"),
    FixtureFile("ct-deflated.dcm", build_ct, DEFLATED_LE, "same CT, Deflated Explicit VR Little Endian"),
    FixtureFile("ct-rle.dcm", build_ct, RLE_LOSSLESS, "same CT, RLE Lossless (encapsulated, real RLE, BOT)"),
    FixtureFile("mr-explicit-le.dcm", build_mr, EXPLICIT_LE, "MR Image 64x64 16-bit"),
    FixtureFile("enhanced-ct-explicit-le.dcm", build_enhanced_ct, EXPLICIT_LE,
                "Enhanced CT, 3 frames 32x32, functional groups"),
    FixtureFile("sr-basic-text-explicit-le.dcm", build_sr, EXPLICIT_LE, "Basic Text SR, nested content tree"),
    FixtureFile("rtstruct-explicit-le.dcm", build_rtstruct, EXPLICIT_LE, "RT Structure Set referencing the CT"),
    FixtureFile("sc-group-lengths-explicit-le.dcm", build_sc, EXPLICIT_LE,
                "Secondary Capture 16x16 8-bit, with group length elements", group_lengths=True),
    FixtureFile("sc-utf8-explicit-le.dcm", lambda r: build_sc_charset(r, UTF8), EXPLICIT_LE,
                "Secondary Capture, ISO_IR 192 (UTF-8) non-ASCII PHI"),
    FixtureFile("sc-latin1-explicit-le.dcm", lambda r: build_sc_charset(r, LATIN1), EXPLICIT_LE,
                "Secondary Capture, ISO_IR 100 (Latin-1) non-ASCII PHI"),
]


def write_file(ds: FileDataset, path: Path, group_lengths: bool = False) -> None:
    if path.exists():
        path.unlink()
    if group_lengths:
        write_with_group_lengths(ds, path)
    else:
        pydicom.dcmwrite(path, ds, enforce_file_format=True)


def make_fixtures(out_dir: Path, check_table: Path | None) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    warnings.simplefilter("error")  # any pydicom complaint (value too long, bad VR...) stops the run
    r = Registry()
    for fx in FIXTURES:
        base = fx.build(r)
        ds = encoded_variant(base, fx.transfer_syntax)
        path = out_dir / fx.name
        write_file(ds, path, fx.group_lengths)
        r.record_file(fx.name, ds, path, fx.transfer_syntax,
                      {"sopClassUID": str(ds.SOPClassUID), "description": fx.description,
                       "bytes": path.stat().st_size})
        # read-back sanity: pydicom opens it and sees the same SOP Instance UID
        back = pydicom.dcmread(path)
        assert back.SOPInstanceUID == ds.SOPInstanceUID, fx.name
    registry = r.finish()
    if check_table:
        check_against_table(registry, check_table)
    text = json.dumps(registry, indent=1, ensure_ascii=False) + "\n"
    (out_dir / "phi-canaries.json").write_text(text, encoding="utf-8")
    n = len(registry["canaries"])
    print(f"wrote {len(FIXTURES)} fixtures and {n} canary entries "
          f"({len(registry['safePrivateValues'])} safe-private, {len(registry['keptValues'])} kept) to {out_dir}")


def check_against_table(registry: dict[str, Any], table_path: Path) -> None:
    """Each canary path must contain an element the Basic Profile does not keep (or a private/curve/
    overlay/file-meta one); no kept value may."""
    rows = json.loads(table_path.read_text())
    action = {row["tag"].upper(): row["basicProfile"] for row in rows}

    def removed(tag_text: str) -> bool:
        g, e = tag_text.strip("()").split(",")
        gi = int(g, 16)
        if gi % 2 == 1 or 0x5000 <= gi <= 0x50FF and gi % 2 == 0:
            return True
        if 0x6000 <= gi <= 0x60FF:
            return action.get(f"(60XX,{e})", "K") != "K"
        return action.get(tag_text.upper(), "K") != "K"

    bad = []
    for e in registry["canaries"]:
        if e["location"] == "preamble":
            continue
        if e["location"] == "file-meta" and e["tag"] in ("(0002,0100)", "(0002,0102)"):
            continue  # not in the table; a de-identified file gets a new file meta
        tags = [c.split("[")[0] for c in e["path"].split(".")]
        if not any(removed(t) for t in tags):
            bad.append(f"canary {e['value']!r} at {e['path']}")
    for e in registry["keptValues"]:
        tags = [c.split("[")[0] for c in e["path"].split(".")]
        if any(removed(t) for t in tags):
            bad.append(f"kept {e['value']!r} at {e['path']}")
    if bad:
        raise AssertionError("registry disagrees with Table E.1-1:\n  " + "\n  ".join(bad))
    print(f"checked {len(registry['canaries'])} canaries against {table_path.name}")


# ---------------------------------------------------------------------------------------------
# Benchmark corpora
# ---------------------------------------------------------------------------------------------

class ByteTemplate:
    """A data set encoded once by pydicom; each file then only overwrites fixed-width identifier fields.

    The template is written with placeholder values; every placeholder must occur exactly as often as
    expected (so a placeholder can never hit unrelated bytes), and every value has the placeholder's length,
    so lengths, padding and offsets never change.
    """

    def __init__(self, ds: FileDataset, placeholders: dict[str, tuple[str, int]]) -> None:
        buf = DicomBytesIO()
        pydicom.dcmwrite(buf, ds, enforce_file_format=True)
        self.data = buf.getvalue()
        self.slots: list[tuple[int, str, int]] = []
        for name, (text, expected) in placeholders.items():
            needle = text.encode("ascii")
            offsets, at = [], self.data.find(needle)
            while at >= 0:
                offsets.append(at)
                at = self.data.find(needle, at + 1)
            if len(offsets) != expected:
                raise AssertionError(f"placeholder {name}={text!r} found {len(offsets)} times, expected {expected}")
            self.slots += [(o, name, len(needle)) for o in offsets]
        self.slots.sort()

    def render(self, values: dict[str, str]) -> bytes:
        out = bytearray(self.data)
        for offset, name, length in self.slots:
            v = values[name].encode("ascii")
            if len(v) != length:
                raise ValueError(f"{name}={values[name]!r} must be {length} characters")
            out[offset:offset + length] = v
        return bytes(out)


def bench_values(patient: int, study: int, series: int, instance: int, series_number: int,
                 instance_number: int, z: float) -> dict[str, str]:
    """Per-file identifiers; each has the width of its placeholder in BENCH_PLACEHOLDERS."""
    return {
        "name": f"BENCH^PATIENT{patient:04d}",
        "pid": f"BENCH-PID-{patient:04d}",
        "birth": f"19{40 + patient % 50:02d}{1 + patient % 12:02d}{1 + patient % 28:02d}",
        "study": bench_uid(1, study),
        "series": bench_uid(2, series),
        "sop": bench_uid(3, instance),
        "for": bench_uid(4, study),
        "acc": f"BENCHACC{study:05d}",
        "sid": f"S{study:05d}",
        "sernum": f"{series_number:05d}",
        "instnum": f"{instance_number:05d}",
        "z": f"{z:+09.3f}",
    }


BENCH_PLACEHOLDERS = bench_values(0, 0, 0, 0, 0, 0, 0.0) | {
    "name": "BENCH^PATIENT#PN#", "pid": "BENCH-PID-#ID#", "birth": "18010101",
    "study": bench_uid(1, BENCH_UID_PLACEHOLDER), "series": bench_uid(2, BENCH_UID_PLACEHOLDER),
    "sop": bench_uid(3, BENCH_UID_PLACEHOLDER), "for": bench_uid(4, BENCH_UID_PLACEHOLDER),
    "acc": "BENCHACC#ACC#", "sid": "S#SID#", "sernum": "97771", "instnum": "97772", "z": "-9777.375",
}


def bench_template(kind: str, rows: int, cols: int) -> ByteTemplate:
    """The PHI-rich CT (or MR) fixture, resized, with placeholders in the identifiers that vary."""
    r = NullRegistry()
    ds = build_ct(r, 64, 64) if kind == "ct" else build_mr(r, 64, 64)
    ds.Rows, ds.Columns = rows, cols
    ds.PixelData = pixels_ct(rows, cols) if kind == "ct" else pixels_u16(rows, cols)
    ds["PixelData"].VR = "OW"
    p = BENCH_PLACEHOLDERS
    ds.PatientName, ds.PatientID, ds.PatientBirthDate = p["name"], p["pid"], p["birth"]
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID = p["study"], p["series"], p["sop"]
    ds.file_meta.MediaStorageSOPInstanceUID = p["sop"]
    ds.FrameOfReferenceUID = p["for"]
    ds.AccessionNumber, ds.StudyID = p["acc"], p["sid"]
    ds.SeriesNumber, ds.InstanceNumber = p["sernum"], p["instnum"]
    ds.ImagePositionPatient = ["-200.000", "-200.000", p["z"]]
    ds.SliceLocation = p["z"]
    counts = {k: 1 for k in p} | {"sop": 2, "z": 2}  # SOP Instance UID also in the file meta
    return ByteTemplate(ds, {k: (v, counts[k]) for k, v in p.items()})


def make_bench(out_dir: Path, kind: str, count: int | None) -> None:
    """Benchmark corpus: files img000000.dcm... (neutral names), 20 fake patients."""
    warnings.simplefilter("error")
    out_dir.mkdir(parents=True, exist_ok=True)
    patients = 20
    files: list[tuple[ByteTemplate, dict[str, str]]] = []
    counter = {"study": 0, "series": 0, "instance": 0}

    def nxt(key: str) -> int:
        counter[key] += 1
        return counter[key]

    multiframe = False
    if kind == "large":
        total = count or 901
        multiframe = total >= 2
        rest = total - (1 if multiframe else 0)
        n_mr = round(rest * 0.111)
        plan = [(bench_template("ct", 512, 512), rest - n_mr), (bench_template("mr", 256, 256), n_mr)]
        for tmpl, n in plan:
            per_patient = [n // patients + (1 if p < n % patients else 0) for p in range(patients)]
            for p, k in enumerate(per_patient):
                if k == 0:
                    continue
                study = nxt("study")
                series_count = 2 if k >= 20 else 1
                for s_i in range(series_count):
                    series = nxt("series")
                    m = k // series_count + (1 if s_i < k % series_count else 0)
                    for i in range(m):
                        files.append((tmpl, bench_values(p + 1, study, series, nxt("instance"), s_i + 1, i + 1,
                                                         -2.5 * i)))
    else:
        total = count or 5000
        # ~12 KB per file: the PHI-rich CT header (~8 KB) plus 46x46x2 bytes of pixels
        tmpl = bench_template("ct", 46, 46)
        studies_per_patient, series_per_study = 5, 5
        per_series = max(1, -(-total // (patients * studies_per_patient * series_per_study)))
        for i in range(total):
            p = (i // (studies_per_patient * series_per_study * per_series)) % patients
            study = i // (series_per_study * per_series) + 1
            series = i // per_series + 1
            k = i % per_series
            files.append((tmpl, bench_values(p + 1, study, series, i + 1, (series - 1) % series_per_study + 1,
                                             k + 1, -2.5 * k)))
    for n, (tmpl, values) in enumerate(files):
        (out_dir / f"img{n:06d}.dcm").write_bytes(tmpl.render(values))
    written = len(files)
    if multiframe:
        frames = 100  # 100 x 512 x 512 x 2 bytes = 52.4 MB
        mf = build_enhanced_ct(NullRegistry(), 32, 32, 1)
        mf.Rows, mf.Columns, mf.NumberOfFrames = 512, 512, frames
        mf.PixelData = pixels_ct(512, 512) * frames
        mf["PixelData"].VR = "OW"
        first = mf.PerFrameFunctionalGroupsSequence[0]
        mf.PerFrameFunctionalGroupsSequence = Sequence([copy.deepcopy(first) for _ in range(frames)])
        mf["PerFrameFunctionalGroupsSequence"].is_undefined_length = True
        for f, it in enumerate(mf.PerFrameFunctionalGroupsSequence):
            it.FrameContentSequence[0].DimensionIndexValues = [f + 1]
            it.PlanePositionSequence[0].ImagePositionPatient = ["-200.0", "-200.0", f"{-2.5 * f:.1f}"]
        v = bench_values(1, nxt("study"), nxt("series"), nxt("instance"), 1, 1, 0.0)
        mf.PatientName, mf.PatientID, mf.PatientBirthDate = v["name"], v["pid"], v["birth"]
        mf.StudyInstanceUID, mf.SeriesInstanceUID, mf.SOPInstanceUID = v["study"], v["series"], v["sop"]
        mf.file_meta.MediaStorageSOPInstanceUID = v["sop"]
        mf.FrameOfReferenceUID = v["for"]
        mf.AccessionNumber, mf.StudyID = v["acc"], v["sid"]
        write_file(mf, out_dir / f"img{written:06d}.dcm")
        written += 1
    size = sum((out_dir / f"img{n:06d}.dcm").stat().st_size for n in range(written))
    print(f"wrote {written} files, {size / 1e6:.1f} MB, to {out_dir}")


# ---------------------------------------------------------------------------------------------
# US cine benchmark corpus (issue 12, Scripts/bench.sh): --bench-corpus DIR --kind us-cine
# ---------------------------------------------------------------------------------------------

US_CINE_ROWS, US_CINE_COLS = 480, 640
US_CINE_REGION = (45, 61, 602, 466)  # x0, y0, x1, y1 inclusive; not on block boundaries


def us_cine_spec(frames: int, transfer_syntax: str = EXPLICIT_LE) -> PixelSpec:
    """A 640x480 MONOCHROME2 8-bit US cine with one Ultrasound Region and a text banner above it."""
    def burns(f: int) -> list[Burn]:
        return [Burn("BENCH^PATIENT CANARY-PIXEL-NAME", 8, 6, scale=2),
                Burn(f"ID BENCH-PID  F{f + 1:03d} 12:00:{f % 60:02d}", 8, 26, scale=2),
                Burn("ACC BENCHACC 20040915", 400, 10)]
    return PixelSpec("us-cine-bench.dcm", f"US cine bench, {frames} frames", "US-CINE-BENCH", US_MULTIFRAME, "US",
                     transfer_syntax, "MONOCHROME2", US_CINE_ROWS, US_CINE_COLS, frames, 8, 8, False, None, "YES",
                     ["ORIGINAL", "PRIMARY", "ABDOMINAL"], [US_CINE_REGION], burns, 1299,
                     native_of="native" if transfer_syntax != EXPLICIT_LE else None)


def make_bench_us_cine(out_dir: Path, count: int | None, frames: int | None) -> None:
    """US cine corpus: native/ (Explicit VR Little Endian) and jpeg-baseline/ (dcmcjpeg +eb +q 90) hold the
    same frames, half the files each; every file declares one Ultrasound Region and has a text banner outside
    it, so --clean-pixel-data cleans it without rules. The pixels are drawn (and JPEG-encoded) once; files
    differ only in their identifiers."""
    try:
        import numpy as np  # noqa: F401
    except ImportError:
        sys.exit("--kind us-cine needs numpy: pip install numpy")
    warnings.simplefilter("error")
    total = count or 60
    frames = frames or 30
    s = us_cine_spec(frames)
    img, _ = render_pixels(s)
    native = build_pixel_dataset(NullRegistry(), s, 0)
    native.PixelData = native_bytes(s, img)
    native["PixelData"].VR = "OB"
    native.file_meta.TransferSyntaxUID = EXPLICIT_LE
    jpeg = encapsulated_variant(us_cine_spec(frames, JPEG_BASELINE), native)
    size = 0
    for n in range(total):
        ds, sub = (native, "native") if n % 2 == 0 else (jpeg, "jpeg-baseline")
        folder = out_dir / sub
        folder.mkdir(parents=True, exist_ok=True)
        v = bench_values(n // 6 + 1, n // 6 + 1, n // 2 + 1, n + 1, 1, n + 1, 0.0)
        ds.PatientName, ds.PatientID, ds.PatientBirthDate = v["name"], v["pid"], v["birth"]
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID = v["study"], v["series"], v["sop"]
        ds.file_meta.MediaStorageSOPInstanceUID = v["sop"]
        ds.AccessionNumber, ds.StudyID = v["acc"], v["sid"]
        path = folder / f"us{n:06d}.dcm"
        write_file(ds, path)
        size += path.stat().st_size
    print(f"wrote {total} US cine files of {frames} frames {US_CINE_COLS}x{US_CINE_ROWS} "
          f"({(total + 1) // 2} native, {total // 2} JPEG Baseline), {size / 1e6:.1f} MB, to {out_dir}")



# ---------------------------------------------------------------------------------------------
# Pixel fixtures (issue 12): synthetic images with fake PHI burned into the pixels at known places
# ---------------------------------------------------------------------------------------------
#
# python3 Scripts/make-fixtures.py --pixel-fixtures [--out DIR]   (default DIR: Fixtures/pixels)
# Needs numpy, and for the encapsulated files dcmtk (dcmcjpeg, dcmcjpls) and gdcm (gdcmconv). Each
# external encoder only compresses the pixels of a scratch file; its fragments are then put into a data
# set built here, so every header byte is under this script's control. See Fixtures/README.md.

US_IMAGE = "1.2.840.10008.5.1.4.1.1.6.1"
US_MULTIFRAME = "1.2.840.10008.5.1.4.1.1.3.1"
CR_IMAGE = "1.2.840.10008.5.1.4.1.1.1"
SC_SINGLE_BIT = "1.2.840.10008.5.1.4.1.1.7.1"
JPEG_BASELINE = "1.2.840.10008.1.2.4.50"
JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80"
J2K_LOSSLESS = "1.2.840.10008.1.2.4.90"
TS_NAMES = {EXPLICIT_LE: "Explicit VR Little Endian", EXPLICIT_BE: "Explicit VR Big Endian",
            RLE_LOSSLESS: "RLE Lossless", JPEG_BASELINE: "JPEG Baseline (Process 1)",
            JPEG_LS_LOSSLESS: "JPEG-LS Lossless", J2K_LOSSLESS: "JPEG 2000 Image Compression (Lossless Only)"}

PIXEL_MANUFACTURER = "DICOMDEID FAKE PIXELS"
PIXEL_RULES_FILE = "Fixtures/pixels/rules.script"

PIXEL = Subject(tag="PIXEL", name="CANARYPN^PXLPATIENT^CANARYGIVENPX", pid="CANARY-PID-PIX1", birth_date="19700101",
                study_uid=uid(1, 2001), study_date="20040915", study_time="101112.130", accession="CANARY-ACC-PX",
                study_id="CANARY-SIDP")

# The fake PHI burned into the pixels (upper case: the font has no lower case).
BURN_NAME = "CANARY-PIXEL-NAME 19700101"
BURN_PID = "ID CANARY-PIXEL-PID"
BURN_ACC = "ACC CANARY-ACC-PX"

# A 5x7 bitmap font: 5 column bytes per glyph, bit 0 = top row (the classic HD44780-style shapes).
FONT_5X7: dict[str, tuple[int, ...]] = {
    " ": (0, 0, 0, 0, 0), "-": (0x08, 0x08, 0x08, 0x08, 0x08), ".": (0x00, 0x60, 0x60, 0x00, 0x00),
    ":": (0x00, 0x36, 0x36, 0x00, 0x00), "/": (0x20, 0x10, 0x08, 0x04, 0x02), "^": (0x04, 0x02, 0x01, 0x02, 0x04),
    "+": (0x08, 0x08, 0x3E, 0x08, 0x08),
    "0": (0x3E, 0x51, 0x49, 0x45, 0x3E), "1": (0x00, 0x42, 0x7F, 0x40, 0x00), "2": (0x42, 0x61, 0x51, 0x49, 0x46),
    "3": (0x21, 0x41, 0x45, 0x4B, 0x31), "4": (0x18, 0x14, 0x12, 0x7F, 0x10), "5": (0x27, 0x45, 0x45, 0x45, 0x39),
    "6": (0x3C, 0x4A, 0x49, 0x49, 0x30), "7": (0x01, 0x71, 0x09, 0x05, 0x03), "8": (0x36, 0x49, 0x49, 0x49, 0x36),
    "9": (0x06, 0x49, 0x49, 0x29, 0x1E),
    "A": (0x7E, 0x11, 0x11, 0x11, 0x7E), "B": (0x7F, 0x49, 0x49, 0x49, 0x36), "C": (0x3E, 0x41, 0x41, 0x41, 0x22),
    "D": (0x7F, 0x41, 0x41, 0x22, 0x1C), "E": (0x7F, 0x49, 0x49, 0x49, 0x41), "F": (0x7F, 0x09, 0x09, 0x09, 0x01),
    "G": (0x3E, 0x41, 0x49, 0x49, 0x7A), "H": (0x7F, 0x08, 0x08, 0x08, 0x7F), "I": (0x00, 0x41, 0x7F, 0x41, 0x00),
    "J": (0x20, 0x40, 0x41, 0x3F, 0x01), "K": (0x7F, 0x08, 0x14, 0x22, 0x41), "L": (0x7F, 0x40, 0x40, 0x40, 0x40),
    "M": (0x7F, 0x02, 0x0C, 0x02, 0x7F), "N": (0x7F, 0x04, 0x08, 0x10, 0x7F), "O": (0x3E, 0x41, 0x41, 0x41, 0x3E),
    "P": (0x7F, 0x09, 0x09, 0x09, 0x06), "Q": (0x3E, 0x41, 0x51, 0x21, 0x5E), "R": (0x7F, 0x09, 0x19, 0x29, 0x46),
    "S": (0x46, 0x49, 0x49, 0x49, 0x31), "T": (0x01, 0x01, 0x7F, 0x01, 0x01), "U": (0x3F, 0x40, 0x40, 0x40, 0x3F),
    "V": (0x1F, 0x20, 0x40, 0x20, 0x1F), "W": (0x3F, 0x40, 0x38, 0x40, 0x3F), "X": (0x63, 0x14, 0x08, 0x14, 0x63),
    "Y": (0x07, 0x08, 0x70, 0x08, 0x07), "Z": (0x61, 0x51, 0x49, 0x45, 0x43),
}


def text_mask(text: str, scale: int = 1) -> Any:
    """The glyph pixels of `text` (True = ink): 7 rows high, 6 columns per character (1 blank column)."""
    import numpy as np
    cols = []
    for ch in text:
        for byte in FONT_5X7[ch]:
            cols.append([(byte >> bit) & 1 for bit in range(7)])
        cols.append([0] * 7)
    m = np.array(cols[:-1], dtype=bool).T  # rows x columns
    return m.repeat(scale, axis=0).repeat(scale, axis=1) if scale > 1 else m


@dataclass
class Burn:
    """One string drawn into one frame; `rect` is tight around the glyph pixels actually set."""
    text: str
    x: int
    y: int
    scale: int = 1


class Canvas:
    """Draws strings into a boolean ink mask per frame and remembers each string's tight rectangle."""

    def __init__(self, frames: int, rows: int, cols: int) -> None:
        import numpy as np
        self.ink = np.zeros((frames, rows, cols), dtype=bool)
        self.rects: list[list[dict[str, Any]]] = [[] for _ in range(frames)]

    def draw(self, frame: int, burn: Burn) -> None:
        import numpy as np
        m = text_mask(burn.text, burn.scale)
        h, w = m.shape
        rows, cols = self.ink.shape[1:]
        assert burn.x >= 0 and burn.y >= 0 and burn.x + w <= cols and burn.y + h <= rows, (burn, rows, cols)
        self.ink[frame, burn.y:burn.y + h, burn.x:burn.x + w] |= m
        ys, xs = np.nonzero(m)
        x0, y0 = burn.x + int(xs.min()), burn.y + int(ys.min())
        self.rects[frame].append({"x": x0, "y": y0, "w": int(xs.max()) - int(xs.min()) + 1,
                                  "h": int(ys.max()) - int(ys.min()) + 1, "text": burn.text})


def background(frames: int, rows: int, cols: int, lo: int, hi: int, seed: int, frame_shift: int = 3) -> Any:
    """Gradient plus uniform noise in [lo, hi] (int64), from numpy's legacy RandomState (a frozen stream)."""
    import numpy as np
    rs = np.random.RandomState(seed)
    y, x = np.mgrid[0:rows, 0:cols]
    out = np.empty((frames, rows, cols), dtype=np.int64)
    span = hi - lo
    for f in range(frames):
        grad = ((x + 2 * y + frame_shift * f) % (cols + 2 * rows)) / (cols + 2 * rows)
        noise = rs.randint(0, max(1, span // 4) + 1, size=(rows, cols))
        out[f] = lo + (grad * (span - span // 4)).astype(np.int64) + noise
    return np.clip(out, lo, hi)


@dataclass
class PixelSpec:
    name: str
    description: str
    key: str  # rule key (Manufacturer's Model Name) and per-file canary tag
    sop_class: str
    modality: str
    transfer_syntax: str
    photometric: str
    rows: int
    cols: int
    frames: int
    bits_allocated: int
    bits_stored: int
    signed: bool
    planar: int | None
    burned_in: str  # Burned In Annotation as a real device would set it
    image_type: list[str]
    regions: list[tuple[int, int, int, int]] | None  # US regions: (x0, y0, x1, y1), inclusive
    burns: Callable[[int], list[Burn]]  # frame -> strings
    seed: int
    native_of: str | None = None  # encapsulated variants: the native fixture whose pixels they compress
    multiframe_sc: bool = False


def pixel_specs() -> list[PixelSpec]:
    us_regions = [(13, 26, 146, 109)]  # not on 8x8/16x8 block boundaries, as on a real scanner
    cine_regions = [(9, 21, 118, 90)]

    def us_burns(f: int) -> list[Burn]:
        return [Burn(BURN_NAME, 3, 3), Burn(BURN_PID + " 12:34", 3, 13)]

    def cine_burns(f: int) -> list[Burn]:
        return [Burn("CANARY-PIX-NAME", 2, 2), Burn(f"F{f + 1:02d} 12:00:{f:02d}", 2, 11)]

    def sc_burns(f: int) -> list[Burn]:
        return [Burn(BURN_NAME, 6, 5), Burn(BURN_PID, 6, 15), Burn("CANARY", 120, 40, scale=2),
                Burn(BURN_ACC, 85, 115)]

    def dose_burns(f: int) -> list[Burn]:
        return [Burn("NAME: " + BURN_NAME, 4, 4), Burn(BURN_PID, 4, 14), Burn(BURN_ACC + " 20040915", 4, 24),
                Burn("SERIES  CTDIVOL  DLP", 4, 60), Burn("2  12.34  456.7", 4, 70),
                Burn("TOTAL DLP 456.7", 130, 140)]

    def small_burns(f: int) -> list[Burn]:
        return [Burn("CANARY-PIX-NAME", 3, 3), Burn("19700101", 40, 52)]

    def bit_burns(f: int) -> list[Burn]:
        # two strings on one line, neither byte aligned: blanking one must not touch the other's bits
        return [Burn("CANARY", 3, 5), Burn("PIX", 43, 5), Burn("19700101", 9, 40)]

    def j2k_burns(f: int) -> list[Burn]:
        return [Burn("CANARY-PIXEL-NAME", 2, 2), Burn("19700101 L", 60, 115)]

    specs = [
        PixelSpec("us-regions-rgb-explicit-le.dcm", "US, RGB 8-bit, one Ultrasound Region; name/ID banner above it",
                  "US-RGB", US_IMAGE, "US", EXPLICIT_LE, "RGB", 120, 160, 1, 8, 8, False, 0, "YES",
                  ["ORIGINAL", "PRIMARY", "ABDOMINAL"], us_regions, us_burns, 1201),
        PixelSpec("us-regions-rgb-rle.dcm", "same US, RLE Lossless (pydicom's encoder)",
                  "US-RGB", US_IMAGE, "US", RLE_LOSSLESS, "RGB", 120, 160, 1, 8, 8, False, 0, "YES",
                  ["ORIGINAL", "PRIMARY", "ABDOMINAL"], us_regions, us_burns, 1201,
                  native_of="us-regions-rgb-explicit-le.dcm"),
        PixelSpec("us-regions-jpeg-baseline.dcm", "same US, JPEG Baseline 4:2:2 (dcmcjpeg +eb +q 90), YBR_FULL_422",
                  "US-RGB", US_IMAGE, "US", JPEG_BASELINE, "YBR_FULL_422", 120, 160, 1, 8, 8, False, 0, "YES",
                  ["DERIVED", "PRIMARY", "ABDOMINAL"], us_regions, us_burns, 1201,
                  native_of="us-regions-rgb-explicit-le.dcm"),
        PixelSpec("us-cine-explicit-le.dcm", "US Multi-frame cine, 12 frames 128x96 MONOCHROME2 8-bit, text in every "
                  "frame (frame counter and clock change per frame)", "US-CINE", US_MULTIFRAME, "US", EXPLICIT_LE,
                  "MONOCHROME2", 96, 128, 12, 8, 8, False, None, "YES", ["ORIGINAL", "PRIMARY", "ABDOMINAL"],
                  cine_regions, cine_burns, 1202),
        PixelSpec("sc-screen-rgb-explicit-le.dcm", "Secondary Capture screen capture, RGB 8-bit 192x128",
                  "SC-RGB", SC_IMAGE, "OT", EXPLICIT_LE, "RGB", 128, 192, 1, 8, 8, False, 0, "YES",
                  ["DERIVED", "SECONDARY", "SCREEN SAVE"], None, sc_burns, 1203),
        PixelSpec("ct-dose-screen-explicit-le.dcm", "CT dose screen (Secondary Capture), MONOCHROME2 8-bit 256x160",
                  "CT-DOSE", SC_IMAGE, "CT", EXPLICIT_LE, "MONOCHROME2", 160, 256, 1, 8, 8, False, None, "YES",
                  ["DERIVED", "SECONDARY", "SCREEN SAVE"], None, dose_burns, 1204),
        PixelSpec("ct-dose-screen-jpeg-ls.dcm", "same CT dose screen, JPEG-LS Lossless (dcmcjpls)",
                  "CT-DOSE", SC_IMAGE, "CT", JPEG_LS_LOSSLESS, "MONOCHROME2", 160, 256, 1, 8, 8, False, None, "YES",
                  ["DERIVED", "SECONDARY", "SCREEN SAVE"], None, dose_burns, 1204,
                  native_of="ct-dose-screen-explicit-le.dcm"),
        PixelSpec("sc-palette-explicit-le.dcm", "Secondary Capture, PALETTE COLOR 8-bit 128x96, 256-entry 16-bit LUTs "
                  "(index 0 black, 255 white)", "SC-PALETTE", SC_IMAGE, "OT", EXPLICIT_LE, "PALETTE COLOR", 96, 128, 1,
                  8, 8, False, None, "YES", ["DERIVED", "SECONDARY"], None, small_burns, 1205),
        PixelSpec("sc-1bit-explicit-le.dcm", "Multi-frame Single Bit SC, Bits Allocated 1, 101x61 (odd size: rows x "
                  "columns not a multiple of 8)", "SC-1BIT", SC_SINGLE_BIT, "OT", EXPLICIT_LE, "MONOCHROME2", 61, 101,
                  1, 1, 1, False, None, "YES", ["DERIVED", "SECONDARY"], None, bit_burns, 1206, multiframe_sc=True),
        PixelSpec("cr-j2k-lossless.dcm", "CR MONOCHROME2 16-bit (12 stored) 128x128, JPEG 2000 lossless (gdcmconv --j2k)",
                  "CR-J2K", CR_IMAGE, "CR", J2K_LOSSLESS, "MONOCHROME2", 128, 128, 1, 16, 12, False, None, "YES",
                  ["ORIGINAL", "PRIMARY"], None, j2k_burns, 1207),
        PixelSpec("sc-mono1-s16-explicit-le.dcm", "Secondary Capture MONOCHROME1, 16-bit signed (12 stored) 96x64",
                  "SC-MONO1", SC_IMAGE, "OT", EXPLICIT_LE, "MONOCHROME1", 64, 96, 1, 16, 12, True, None, "YES",
                  ["DERIVED", "SECONDARY"], None, small_burns, 1208),
        PixelSpec("sc-rgb-planar1-explicit-le.dcm", "Secondary Capture RGB, Planar Configuration 1 (colour-by-plane) "
                  "96x64", "SC-PLANAR", SC_IMAGE, "OT", EXPLICIT_LE, "RGB", 64, 96, 1, 8, 8, False, 1, "YES",
                  ["DERIVED", "SECONDARY"], None, small_burns, 1209),
        PixelSpec("sc-ybr422-explicit-le.dcm", "Secondary Capture YBR_FULL_422 native (Y1 Y2 Cb Cr per pixel pair) "
                  "96x64", "SC-YBR422", SC_IMAGE, "OT", EXPLICIT_LE, "YBR_FULL_422", 64, 96, 1, 8, 8, False, 0, "YES",
                  ["DERIVED", "SECONDARY"], None, small_burns, 1210),
        PixelSpec("sc-mono2-u16-explicit-be.dcm", "Secondary Capture MONOCHROME2 16-bit unsigned 96x64, Explicit VR Big "
                  "Endian (retired)", "SC-BE16", SC_IMAGE, "OT", EXPLICIT_BE, "MONOCHROME2", 64, 96, 1, 16, 16, False,
                  None, "YES", ["DERIVED", "SECONDARY"], None, small_burns, 1211),
    ]
    return specs


def text_value(s: PixelSpec) -> list[int]:
    """The stored value(s) of the ink: displayed white."""
    if s.bits_allocated == 1:
        return [1]
    if s.photometric == "PALETTE COLOR":
        return [255]
    if s.photometric in ("RGB",):
        return [255, 255, 255]
    if s.photometric.startswith("YBR"):
        return [255, 128, 128]
    lo, hi = stored_range(s)
    return [lo] if s.photometric == "MONOCHROME1" else [hi]


def blank_value(s: PixelSpec) -> list[int]:
    """The value displayed as black (what cleaning writes; see Fixtures/README.md)."""
    if s.bits_allocated == 1 or s.photometric == "PALETTE COLOR":
        return [0]
    if s.photometric == "RGB":
        return [0, 0, 0]
    if s.photometric.startswith("YBR"):
        return [0, 128, 128]
    lo, hi = stored_range(s)
    return [hi] if s.photometric == "MONOCHROME1" else [lo]


def stored_range(s: PixelSpec) -> tuple[int, int]:
    if s.signed:
        return -(1 << (s.bits_stored - 1)), (1 << (s.bits_stored - 1)) - 1
    return 0, (1 << s.bits_stored) - 1


def region_complement(rows: int, cols: int, regions: list[tuple[int, int, int, int]]) -> list[dict[str, int]]:
    """Rectangles covering everything outside one region (what US-region cleaning blanks)."""
    assert len(regions) == 1
    x0, y0, x1, y1 = regions[0]
    out = [(0, 0, cols, y0), (0, y1 + 1, cols, rows - y1 - 1), (0, y0, x0, y1 - y0 + 1),
           (x1 + 1, y0, cols - x1 - 1, y1 - y0 + 1)]
    return [{"x": x, "y": y, "w": w, "h": h} for x, y, w, h in out if w > 0 and h > 0]


def render_pixels(s: PixelSpec) -> tuple[Any, Canvas]:
    """Stored values as int64 (frames, rows, cols, samples), ink drawn; plus the canvas with the rectangles."""
    import numpy as np
    canvas = Canvas(s.frames, s.rows, s.cols)
    for f in range(s.frames):
        for b in s.burns(f):
            canvas.draw(f, b)
    samples = 3 if s.photometric in ("RGB", "YBR_FULL_422") else 1
    lo, hi = stored_range(s)
    if s.bits_allocated == 1:
        img = np.zeros((s.frames, s.rows, s.cols, 1), dtype=np.int64)
    elif samples == 1:
        if s.photometric == "PALETTE COLOR":
            g = background(s.frames, s.rows, s.cols, 1, 200, s.seed)
        else:
            span = hi - lo
            # never the ink value, never the blank value: text and blanking are both visible
            g = background(s.frames, s.rows, s.cols, lo + span // 16, lo + span * 13 // 16, s.seed)
            if s.modality == "US":  # speckle inside the region, dim banner outside
                g = np.where(region_mask(s)[None], g, g // 4 + 1)
            if s.key == "CT-DOSE":  # dark screen with table rules
                g = g // 3 + 1
                g[:, 55, 2:250] = 128
                g[:, 82, 2:250] = 128
        img = g[..., None]
    else:
        base = background(s.frames, s.rows, s.cols, 8, 200, s.seed)
        if s.photometric == "RGB":
            r = base
            gch = background(s.frames, s.rows, s.cols, 8, 200, s.seed + 1000)
            b = np.clip((base + gch) // 2, 8, 200)
            if s.modality == "US":
                inside = region_mask(s)[None]
                gray = base
                r = np.where(inside, gray, base // 5 + 1)
                gch = np.where(inside, gray, gch // 5 + 1)
                b = np.where(inside, gray, b // 5 + 1)
                # a colour-Doppler-like blob inside the region
                yy, xx = np.mgrid[0:s.rows, 0:s.cols]
                blob = ((yy - 70) ** 2 + (xx - 90) ** 2 < 15 ** 2)[None]
                r = np.where(blob, 200, r)
                gch = np.where(blob, 40, gch)
                b = np.where(blob, 30, b)
            img = np.stack([r, gch, b], axis=-1)
        else:  # YBR_FULL_422: chroma shared by each pixel pair
            y = base
            cb = background(s.frames, s.rows, s.cols // 2, 60, 190, s.seed + 1000).repeat(2, axis=2)
            cr = background(s.frames, s.rows, s.cols // 2, 70, 180, s.seed + 2000).repeat(2, axis=2)
            img = np.stack([y, cb, cr], axis=-1)
    ink = canvas.ink
    tv = text_value(s)
    for i, v in enumerate(tv):
        if s.photometric == "YBR_FULL_422" and i > 0:
            pair = ink.reshape(s.frames, s.rows, s.cols // 2, 2).any(axis=3).repeat(2, axis=2)
            img[..., i][pair] = v
        else:
            img[..., i][ink] = v
    return img, canvas


def region_mask(s: PixelSpec) -> Any:
    import numpy as np
    m = np.zeros((s.rows, s.cols), dtype=bool)
    for x0, y0, x1, y1 in s.regions or []:
        m[y0:y1 + 1, x0:x1 + 1] = True
    return m


def native_bytes(s: PixelSpec, img: Any, big_endian: bool = False) -> bytes:
    import numpy as np
    if s.bits_allocated == 1:
        bits = img[..., 0].astype(np.uint8).reshape(-1)
        packed = np.packbits(bits, bitorder="little").tobytes()
        return packed + (b"\x00" if len(packed) % 2 else b"")
    if s.photometric == "YBR_FULL_422":
        f, r, c, _ = img.shape
        pairs = img.reshape(f, r, c // 2, 2, 3)
        out = np.stack([pairs[..., 0, 0], pairs[..., 1, 0], pairs[..., 0, 1], pairs[..., 0, 2]], axis=-1)
        return out.astype(np.uint8).tobytes()
    if s.planar == 1:
        img = img.transpose(0, 3, 1, 2)
    if s.bits_allocated == 8:
        return img.astype(np.uint8).tobytes()
    dtype = (">" if big_endian else "<") + ("i2" if s.signed else "u2")
    return img.astype(dtype).tobytes()


def build_pixel_dataset(r: Registry, s: PixelSpec, index: int) -> FileDataset:
    ds = new_dataset(r, s.sop_class, uid(3, 2001 + index))
    ds.ImageType = s.image_type
    ds.InstanceCreationDate = r.phi("20040916", "date")
    ds.InstanceCreationTime = r.phi("101213.140", "time")
    add_patient(ds, r, PIXEL, full=False)
    add_study(ds, r, PIXEL, full=False)
    # The series tag (in Operators' Name) must not repeat a kept device word: dicom-review check would rightly
    # flag a name component inside Manufacturer's Model Name.
    add_series(ds, r, s.modality, uid(2, 2001 + index), 20 + index, full=False, tag=f"PX{index:02d}")
    ds.Manufacturer = r.kept(PIXEL_MANUFACTURER, "device-kept", "Manufacturer is not in Table E.1-1")
    ds.ManufacturerModelName = r.kept(s.key, "device-kept", "the rule key in Fixtures/pixels/rules.script")
    ds.InstitutionName = r.phi(f"CANARY INSTITUTION NAME {s.key}", "institution-name")
    ds.StationName = r.phi(f"CANARYSTN{s.key.replace('-', '')[:7]}", "device-id")
    ds.ContentDate = r.phi("20040915", "date")
    ds.ContentTime = r.phi("101530.250", "time")
    ds.InstanceNumber = 1
    ds.PatientOrientation = ""
    if s.sop_class in (SC_IMAGE, SC_SINGLE_BIT):
        ds.ConversionType = "WSD"
        ds.DateOfSecondaryCapture = r.phi("20040917", "date")
        ds.TimeOfSecondaryCapture = r.phi("101640.125", "time")
    ds.BodyPartExamined = {"US": "ABDOMEN", "CT": "CHEST", "CR": "CHEST"}.get(s.modality, "HEAD")
    if s.modality == "CR":
        ds.ViewPosition = "PA"
    ds.BurnedInAnnotation = s.burned_in
    samples = 3 if s.photometric in ("RGB", "YBR_FULL_422") else 1
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = s.photometric
    if samples == 3:
        ds.PlanarConfiguration = s.planar or 0
    ds.Rows = s.rows
    ds.Columns = s.cols
    if s.frames > 1 or s.multiframe_sc:
        ds.NumberOfFrames = s.frames
    if s.sop_class == US_MULTIFRAME:
        ds.FrameTime = "100"
        ds.FrameIncrementPointer = 0x00181063
        ds.CineRate = 10
    ds.BitsAllocated = s.bits_allocated
    ds.BitsStored = s.bits_stored
    ds.HighBit = s.bits_stored - 1
    ds.PixelRepresentation = 1 if s.signed else 0
    if s.photometric == "PALETTE COLOR":
        import numpy as np
        ramp = np.arange(256)
        lut_r = np.clip(ramp * 2, 0, 255)
        lut_g = np.clip(255 - abs(ramp - 128) * 2, 0, 255)
        lut_b = np.clip(255 - ramp * 2, 0, 255)
        lut_r[0] = lut_g[0] = lut_b[0] = 0
        lut_r[255] = lut_g[255] = lut_b[255] = 255
        for name, lut in (("Red", lut_r), ("Green", lut_g), ("Blue", lut_b)):
            desc = f"{name}PaletteColorLookupTableDescriptor"
            setattr(ds, desc, [256, 0, 16])
            ds[desc].VR = "US"
            setattr(ds, f"{name}PaletteColorLookupTableData", (lut * 257).astype("<u2").tobytes())
            ds[f"{name}PaletteColorLookupTableData"].VR = "OW"
    if s.photometric == "MONOCHROME1" or (samples == 1 and s.bits_allocated == 16):
        lo, hi = stored_range(s)
        ds.WindowCenter = str((lo + hi) // 2)
        ds.WindowWidth = str(hi - lo + 1)
    if s.regions:
        items = []
        for x0, y0, x1, y1 in s.regions:
            items.append(item(RegionSpatialFormat=1, RegionDataType=1, RegionFlags=0,
                              RegionLocationMinX0=x0, RegionLocationMinY0=y0,
                              RegionLocationMaxX1=x1, RegionLocationMaxY1=y1,
                              PhysicalUnitsXDirection=3, PhysicalUnitsYDirection=3,
                              PhysicalDeltaX=0.03, PhysicalDeltaY=0.03))
        set_seq(ds, "SequenceOfUltrasoundRegions", Sequence(items))
    return ds


def run_tool(args: list[str]) -> None:
    import subprocess
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{args[0]} failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")


def external_frames(s: PixelSpec, native: FileDataset) -> tuple[list[bytes], FileDataset]:
    """Compresses `native` with the external encoder for s.transfer_syntax; returns its frames (one fragment
    each) and the encoder's data set (for what the encoder says about the result)."""
    import tempfile
    with tempfile.TemporaryDirectory(prefix="pixfix-") as tmp:
        src, dst = Path(tmp) / "in.dcm", Path(tmp) / "out.dcm"
        pydicom.dcmwrite(src, native, enforce_file_format=True)
        if s.transfer_syntax == JPEG_BASELINE:
            run_tool(["dcmcjpeg", "+eb", "+q", "90", "+s2", "+un", str(src), str(dst)])
        elif s.transfer_syntax == JPEG_LS_LOSSLESS:
            run_tool(["dcmcjpls", "+el", "+un", str(src), str(dst)])
        elif s.transfer_syntax == J2K_LOSSLESS:
            run_tool(["gdcmconv", "--j2k", str(src), str(dst)])
        else:
            raise AssertionError(s.transfer_syntax)
        out = pydicom.dcmread(dst)
        assert out.file_meta.TransferSyntaxUID == s.transfer_syntax, (s.name, out.file_meta.TransferSyntaxUID)
        frames = [bytes(f) for f in encaps.generate_frames(out.PixelData, number_of_frames=s.frames)]
    return frames, out


def encapsulated_variant(s: PixelSpec, native: FileDataset) -> FileDataset:
    ds = copy.deepcopy(native)
    ds.file_meta.TransferSyntaxUID = s.transfer_syntax
    if s.transfer_syntax == RLE_LOSSLESS:
        frame_len = len(native.PixelData) // s.frames
        frames = [RLELosslessEncoder.encode(
            bytes(native.PixelData[i * frame_len:(i + 1) * frame_len]), rows=s.rows, columns=s.cols,
            samples_per_pixel=native.SamplesPerPixel, bits_allocated=s.bits_allocated, bits_stored=s.bits_stored,
            pixel_representation=native.PixelRepresentation, photometric_interpretation=s.photometric,
            planar_configuration=native.get("PlanarConfiguration", 0), number_of_frames=1,
            encoding_plugin="pydicom") for i in range(s.frames)]
    else:
        frames, enc = external_frames(s, native)
        ds.PhotometricInterpretation = enc.PhotometricInterpretation
        if "PlanarConfiguration" in enc:
            ds.PlanarConfiguration = enc.PlanarConfiguration
        if s.transfer_syntax == JPEG_BASELINE:
            raw = s.rows * s.cols * native.SamplesPerPixel * s.frames
            ds.LossyImageCompression = "01"
            ds.LossyImageCompressionRatio = f"{raw / sum(len(f) for f in frames):.2f}"
            ds.LossyImageCompressionMethod = "ISO_10918_1"
            ds.ImageType = s.image_type
    assert ds.PhotometricInterpretation == s.photometric, (s.name, ds.PhotometricInterpretation)
    ds.PixelData = encaps.encapsulate(frames, has_bot=True)
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    return ds


def verify_decoded(s: PixelSpec, path: Path, img: Any) -> None:
    """Decodes the written file back (pydicom for native and RLE; dcmdjpls, gdcmconv --raw, dcmdjpeg +cn for the
    others: the encoders' own libraries) and checks the stored values: equal to what was drawn for the lossless
    files, a mean luma error below 4 for JPEG Baseline."""
    import tempfile
    import numpy as np
    from pydicom.pixels import pixel_array
    tool = {JPEG_LS_LOSSLESS: ["dcmdjpls"], J2K_LOSSLESS: ["gdcmconv", "--raw"], JPEG_BASELINE: ["dcmdjpeg", "+cn"]}
    with tempfile.TemporaryDirectory(prefix="pixfix-") as tmp:
        src = path
        if s.transfer_syntax in tool:
            src = Path(tmp) / "native.dcm"
            run_tool(tool[s.transfer_syntax] + [str(path), str(src)])
        arr = pixel_array(pydicom.dcmread(src), raw=True)
    arr = arr.reshape(img.shape).astype(np.int64)
    if s.transfer_syntax == JPEG_BASELINE:
        rgb = img.astype(float)
        y = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
        err = np.abs(arr[..., 0] - y)
        assert err.mean() < 4 and err.max() < 64, (s.name, float(err.mean()), float(err.max()))
    else:
        assert np.array_equal(arr, img), f"{s.name}: decoded pixels differ from the drawn ones"


PIXEL_RULES_HEADER = """\
Pixel cleaning rules for the fixtures in Fixtures/pixels, in CTP DicomPixelAnonymizer script format.
Written by Scripts/make-fixtures.py --pixel-fixtures. Each rule blanks exactly the manifest's text
rectangles of one fixture: its title line is the rule name used in manifest.json.
US files with a Sequence of Ultrasound Regions need no rule: they are cleaned by the regions.

"""


def make_pixel_fixtures(out_dir: Path) -> None:
    import hashlib
    try:
        import numpy as np  # noqa: F401
    except ImportError:
        sys.exit("--pixel-fixtures needs numpy: pip install numpy")
    out_dir.mkdir(parents=True, exist_ok=True)
    warnings.simplefilter("error")
    r = Registry()
    specs = pixel_specs()
    natives: dict[str, FileDataset] = {}
    images: dict[str, Any] = {}
    entries = []
    rules = [PIXEL_RULES_HEADER]
    for index, s in enumerate(specs):
        img, canvas = render_pixels(s)
        if s.native_of:
            ds = encapsulated_variant(s, natives[s.native_of])
            # same study/series/instance numbering but its own SOP Instance UID and series
            ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = r.phi(uid(3, 2001 + index), "uid-sop-instance")
            ds.SeriesInstanceUID = r.phi(uid(2, 2001 + index), "uid-series")
            ds.SeriesNumber = 20 + index
        else:
            ds = build_pixel_dataset(r, s, index)
            ds.PixelData = native_bytes(s, img, s.transfer_syntax == EXPLICIT_BE)
            ds["PixelData"].VR = "OW" if s.bits_allocated == 16 else "OB"
            if s.transfer_syntax in (EXPLICIT_LE, EXPLICIT_BE):
                ds.file_meta.TransferSyntaxUID = s.transfer_syntax
                natives[s.name] = ds
            else:  # compressed only (no native twin among the fixtures)
                ds = encapsulated_variant(s, ds)
        path = out_dir / s.name
        write_file(ds, path)
        data = path.read_bytes()
        r.record_file(s.name, ds, path, s.transfer_syntax,
                      {"sopClassUID": s.sop_class, "description": s.description, "bytes": len(data)})
        text_rects = [[dict(rc) for rc in fr] for fr in canvas.rects]
        if s.regions:
            cleaning = {"method": "us-regions",
                        "regions": [{"x0": a, "y0": b, "x1": c, "y1": d} for a, b, c, d in s.regions]}
            blank = [region_complement(s.rows, s.cols, s.regions) for _ in range(s.frames)]
            without = {"outcome": "cleaned", "by": "us-regions"}
            for fr, bl in zip(text_rects, blank):
                for rc in fr:  # the text lies outside the regions, so inside the blanked complement
                    assert not region_mask(s)[rc["y"]:rc["y"] + rc["h"], rc["x"]:rc["x"] + rc["w"]].any(), s.name
        else:
            rule = f"fixture-{s.key.lower()}"
            cleaning = {"method": "rule", "rulesFile": PIXEL_RULES_FILE, "rule": rule}
            assert s.frames == 1
            blank = [[{k: rc[k] for k in ("x", "y", "w", "h")} for rc in fr] for fr in text_rects]
            why = [f"Burned In Annotation {s.burned_in}"] if s.burned_in == "YES" else []
            why += {"US": ["Modality US without a Sequence of Ultrasound Regions"]}.get(s.modality, [])
            if s.sop_class in (SC_IMAGE, SC_SINGLE_BIT):
                why.append("Secondary Capture SOP class")
            without = {"outcome": "refused", "why": why}
            if f"{rule}\n" not in "".join(rules):
                rects = " ".join(f"({rc['x']},{rc['y']},{rc['w']},{rc['h']})" for rc in blank[0])
                rules.append(f"{rule}\n{{ Manufacturer.equals(\"{PIXEL_MANUFACTURER}\") * "
                             f"ManufacturerModelName.equals(\"{s.key}\") }}\n{rects}\n\n")
        entries.append({
            "file": s.name, "description": s.description, "sopClassUID": s.sop_class, "modality": s.modality,
            "transferSyntax": s.transfer_syntax, "transferSyntaxName": TS_NAMES[s.transfer_syntax],
            "lossy": s.transfer_syntax == JPEG_BASELINE,
            "photometric": s.photometric, "samplesPerPixel": 3 if s.photometric in ("RGB", "YBR_FULL_422") else 1,
            "planarConfiguration": ds.get("PlanarConfiguration"), "rows": s.rows, "columns": s.cols,
            "bitsAllocated": s.bits_allocated, "bitsStored": s.bits_stored, "highBit": s.bits_stored - 1,
            "pixelRepresentation": 1 if s.signed else 0, "frames": s.frames, "burnedInAnnotation": s.burned_in,
            "textValue": text_value(s), "blankValue": blank_value(s),
            "text": text_rects, "cleaning": cleaning, "blank": blank, "withoutRule": without,
            "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
        })
        back = pydicom.dcmread(path)
        assert back.SOPInstanceUID == ds.SOPInstanceUID, s.name
        images[s.name] = images[s.native_of] if s.native_of else img  # what the encoder was given
        verify_decoded(s, path, images[s.name])
    registry = r.finish()
    manifest = {
        "format": "dicom-deid/pixel-fixtures/1",
        "synthetic": True,
        "generator": f"Scripts/make-fixtures.py --pixel-fixtures (pydicom {pydicom.__version__})",
        "rectangles": "x, y = column, row of the top-left pixel (0-based); w, h in pixels",
        "text": "per frame: rectangles tight around the glyph pixels of each burned-in string",
        "blank": "per frame: the area the expected cleaning blanks (US regions: everything outside the regions; "
                 "a rule: the rule's rectangles, equal to the text rectangles)",
        "rulesFile": PIXEL_RULES_FILE,
        "files": entries,
        "headerCanaries": registry["canaries"],
        "keptValues": registry["keptValues"],
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    (out_dir / "rules.script").write_text("".join(rules), encoding="utf-8")
    print(f"wrote {len(entries)} pixel fixtures, manifest.json and rules.script to {out_dir}")


def make_bench_codec_frames(out_dir: Path) -> None:
    """One 512x512 single-frame image per pixel encoding, for `dicom-bench pixels` (per-frame cleaning cost):
    MONOCHROME2 8-bit and 16-bit (12 stored) native, RLE (pydicom's encoder), JPEG Baseline (dcmcjpeg +q 90,
    8-bit; optimised Huffman tables, dcmcjpeg's default, and standard ones), JPEG-LS lossless (dcmcjpls) and
    JPEG 2000 lossless (gdcmconv --j2k), each from the same drawn pixels (gradient, noise, a text banner)."""
    try:
        import numpy as np  # noqa: F401
    except ImportError:
        sys.exit("--kind codec-frames needs numpy: pip install numpy")
    warnings.simplefilter("error")
    out_dir.mkdir(parents=True, exist_ok=True)

    def spec(bits: int, ts: str) -> PixelSpec:
        def burns(f: int) -> list[Burn]:
            return [Burn("BENCH^PATIENT CANARY-PIXEL-NAME", 10, 10, scale=2)]
        return PixelSpec("codec-frame.dcm", "codec bench frame", "CODEC-BENCH", SC_IMAGE, "OT", ts, "MONOCHROME2",
                         512, 512, 1, bits, 8 if bits == 8 else 12, False, None, "YES", ["DERIVED", "SECONDARY"],
                         None, burns, 1298 + bits, native_of=None if ts == EXPLICIT_LE else "native")

    written = []
    for bits in (8, 16):
        s = spec(bits, EXPLICIT_LE)
        img, _ = render_pixels(s)
        native = build_pixel_dataset(NullRegistry(), s, 0)
        native.PixelData = native_bytes(s, img)
        native["PixelData"].VR = "OB" if bits == 8 else "OW"
        native.file_meta.TransferSyntaxUID = EXPLICIT_LE
        variants = [("native", native)]
        for name, ts in (("rle", RLE_LOSSLESS), ("jpeg-baseline", JPEG_BASELINE), ("jpeg-ls", JPEG_LS_LOSSLESS),
                         ("j2k", J2K_LOSSLESS)):
            if ts == JPEG_BASELINE and bits != 8:
                continue
            variants.append((name, encapsulated_variant(spec(bits, ts), native)))
        for name, ds in variants:
            path = out_dir / f"{name}-{bits}bit.dcm"
            write_file(ds, path)
            written.append(path)
        if bits == 8:
            # the same frame with the standard Huffman tables (dcmcjpeg -ho), written as dcmcjpeg writes it:
            # the codec re-encodes such a frame in one pass instead of optimising its tables in two
            import tempfile
            with tempfile.TemporaryDirectory(prefix="pixbench-") as tmp:
                src = Path(tmp) / "in.dcm"
                pydicom.dcmwrite(src, native, enforce_file_format=True)
                path = out_dir / "jpeg-baseline-std-tables-8bit.dcm"
                run_tool(["dcmcjpeg", "+eb", "+q", "90", "+s2", "+un", "-ho", str(src), str(path)])
                written.append(path)
    size = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} single-frame 512x512 files, {size / 1e6:.1f} MB, to {out_dir}")



# ---------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=REPO / "Fixtures", help="fixtures folder (default: Fixtures/)")
    ap.add_argument("--bench-corpus", type=Path, metavar="DIR", help="write a benchmark corpus under DIR instead")
    ap.add_argument("--kind", choices=["large", "small", "us-cine", "codec-frames"], help="benchmark corpus kind")
    ap.add_argument("--count", type=int, help="number of files in the benchmark corpus")
    ap.add_argument("--frames", type=int, help="frames per file of the us-cine corpus (default 30)")
    ap.add_argument("--pixel-fixtures", action="store_true",
                    help="write the pixel fixtures (issue 12) to Fixtures/pixels/ (or --out) instead")
    ap.add_argument("--check-profile-table", type=Path, metavar="JSON",
                    help="check the canary registry against PS3.15 Table E.1-1 (confidentiality_profile_attributes.json)")
    args = ap.parse_args(argv)
    if args.pixel_fixtures:
        if args.bench_corpus or args.kind or args.count or args.frames or args.check_profile_table:
            ap.error("--pixel-fixtures takes only --out")
        out = args.out if args.out != REPO / "Fixtures" else REPO / "Fixtures" / "pixels"
        make_pixel_fixtures(out)
    elif args.bench_corpus:
        if not args.kind:
            ap.error("--bench-corpus needs --kind large|small|us-cine|codec-frames")
        if args.count is not None and args.count < 1:
            ap.error("--count must be positive")
        if args.frames is not None and (args.frames < 1 or args.kind != "us-cine"):
            ap.error("--frames must be positive and goes with --kind us-cine")
        if args.kind == "us-cine":
            make_bench_us_cine(args.bench_corpus, args.count, args.frames)
        elif args.kind == "codec-frames":
            if args.count is not None:
                ap.error("--kind codec-frames takes no --count")
            make_bench_codec_frames(args.bench_corpus)
        else:
            make_bench(args.bench_corpus, args.kind, args.count)
    else:
        if args.kind or args.count or args.frames:
            ap.error("--kind/--count/--frames only apply with --bench-corpus")
        make_fixtures(args.out, args.check_profile_table)
    return 0


if __name__ == "__main__":
    sys.exit(main())

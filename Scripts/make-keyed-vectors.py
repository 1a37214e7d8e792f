#!/usr/bin/env python3
"""Known-answer vectors for dicom-deid's keyed mappings, computed outside Swift (Python's hmac and hashlib).

    python3 Scripts/make-keyed-vectors.py > Fixtures/keyed-mappings.json

The mappings (Sources/Deidentification: UIDMapper, Pseudonym, DateShifter), each from HMAC-SHA-256 keyed with the
secret's bytes exactly as they are in the secret file (newline included):
  uid         "2.25." + decimal of the first 16 bytes of HMAC(secret, "uid:" + UID), with byte 6's high nibble set
              to 8 (UUID version 8) and byte 8's two high bits to 10 (RFC 9562 variant).
  pseudonym   the first 8 bytes as a big-endian 64-bit number; 12 times: the low 5 bits pick a letter of
              "ABCDEFGHJKLMNPQRSTUVWXYZ23456789", then shift right by 5. Patient ID "ANON-" + code, name "ANONYMIZED^" + code.
  date shift  days = 1 + (byte0 * 256 + byte1) mod 3650 of HMAC(secret, "date-shift:" + Patient ID); dates move back.
The same digests with the openssl CLI (the key as hex, so any byte may be in it):
  printf 'uid:%s' "$UID" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(xxd -p -c 256 secret)
These values must never change between releases: linkage across batches depends on them.
"""
import datetime
import hashlib
import hmac
import json

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# The CLI tests' secret file (Tests/CLITests/CLISandbox.swift makeSecret), and 32 bytes 00..1f.
SECRETS = {
    "cli-test-secret": b"0123456789abcdef0123456789abcdef test-only secret\n",
    "bytes-00-1f": bytes(range(32)),
}
UIDS = [
    "2.25.219749739517710845855461874076206640715.1.1001",   # Fixtures/ct-explicit-le.dcm: Study Instance UID
    "2.25.219749739517710845855461874076206640715.3.1001",   # its SOP Instance UID
    "1.2.840.113619.2.55.3.604688119.971.1203598165.155",
    "1.2.3",
]
PATIENT_IDS = ["CANARY-PID-0001", "12345", "Zo\u00eb-7"]
DATES = ["20030711", "20000301", "19510417"]


def digest(secret: bytes, label: str, value: str) -> bytes:
    return hmac.new(secret, (label + value).encode("utf-8"), hashlib.sha256).digest()


def uid(secret: bytes, original: str) -> str:
    d = bytearray(digest(secret, "uid:", original)[:16])
    d[6] = (d[6] & 0x0F) | 0x80
    d[8] = (d[8] & 0x3F) | 0x80
    return "2.25." + str(int.from_bytes(d, "big"))


def pseudonym(secret: bytes, patient_id: str) -> str:
    bits = int.from_bytes(digest(secret, "patient:", patient_id)[:8], "big")
    out = []
    for _ in range(12):
        out.append(ALPHABET[bits & 31])
        bits >>= 5
    return "".join(out)


def shift_days(secret: bytes, patient_id: str) -> int:
    d = digest(secret, "date-shift:", patient_id)
    return 1 + (d[0] << 8 | d[1]) % 3650


def shifted(date: str, days: int) -> str:
    moved = datetime.date(int(date[:4]), int(date[4:6]), int(date[6:])) - datetime.timedelta(days=days)
    return moved.strftime("%Y%m%d")


vectors = {
    "format": "dicom-deid/keyed-mappings/1",
    "generator": "Scripts/make-keyed-vectors.py (Python hmac + hashlib, not the Swift code under test)",
    "secrets": {name: secret.hex() for name, secret in SECRETS.items()},
    "uids": [], "pseudonyms": [], "dateShifts": [],
}
for name, secret in SECRETS.items():
    for original in UIDS:
        vectors["uids"].append({"secret": name, "uid": original, "mapped": uid(secret, original)})
    for patient_id in PATIENT_IDS:
        code = pseudonym(secret, patient_id)
        vectors["pseudonyms"].append({"secret": name, "patientID": patient_id, "code": code,
                                      "newPatientID": "ANON-" + code, "newPatientName": "ANONYMIZED^" + code})
        days = shift_days(secret, patient_id)
        vectors["dateShifts"].append({"secret": name, "patientID": patient_id, "days": days,
                                      "dates": {date: shifted(date, days) for date in DATES}})
print(json.dumps(vectors, indent=1, ensure_ascii=False))

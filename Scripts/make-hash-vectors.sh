#!/bin/sh
# Makes the digest known-answer vectors in Fixtures/hashes/ with the openssl CLI, outside Swift, so that
# HashingTests compare the Swift code against an independent implementation. The HMAC rows include the exact
# messages of the keyed mappings ("uid:" + UID, "patient:" + patient ID, "date-shift:" + patient ID): those
# values must never change between releases, or linkage across batches breaks.
#
# Columns (tab-separated, lower-case hex): key (HMAC only), message, digest.
# Tested with OpenSSL 3.0 and xxd. Usage: Scripts/make-hash-vectors.sh   (from anywhere)
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/Fixtures/hashes"
mkdir -p "$out"

hex() { printf '%s' "$1" | xxd -p | tr -d '\n'; }
digest() { # ALGORITHM MESSAGE-HEX [openssl dgst options...]
    algorithm=$1 message=$2; shift 2
    printf '%s' "$message" | xxd -r -p | openssl dgst "-$algorithm" "$@" -r | cut -d' ' -f1
}

# Keys: a 32-byte secret as dicom-deid makes them (hex text of 32 random bytes, 65 bytes with the newline),
# a short key, an empty key, and a key longer than the SHA-256 block (hashed first).
secret=$(hex "5f0c1d2e3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f
")
keys="$secret $(hex 'Jefe') 00000000000000000000000000000000 $(printf '%0300d' 0 | tr 0 a)"
messages="$(hex 'uid:1.2.840.113619.2.55.3.604688119.868.1234567890.123')
$(hex 'uid:1.2.840.10008.1.2')
$(hex 'patient:PAT-0001')
$(hex 'date-shift:PAT-0001')
$(hex 'patient:Müller^Jürgen')
$(hex 'dicom-deid CTP keyed hashes')
$(hex 'what do ya want for nothing?')
00ff0d0a
-"

{
    for key in $keys; do
        for message in $messages; do
            [ "$message" = - ] && message=""
            printf '%s\t%s\t%s\n' "$key" "$message" "$(digest sha256 "$message" -mac HMAC -macopt "hexkey:$key")"
        done
    done
} >"$out/hmac-sha256.tsv"

{
    for message in $messages $(hex 'a') $(hex 'abc') $(printf '%0200d' 0 | tr 0 5); do
        [ "$message" = - ] && message=""
        printf '%s\t%s\n' "$message" "$(digest md5 "$message")"
    done
} >"$out/md5.tsv"

{
    for message in $messages $(printf '%0256d' 0 | tr 0 f); do
        [ "$message" = - ] && message=""
        printf '%s\t%s\n' "$message" "$(digest sha256 "$message")"
    done
} >"$out/sha256.tsv"

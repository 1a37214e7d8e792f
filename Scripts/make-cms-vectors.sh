#!/bin/sh
# Makes the CMS enveloped-data vectors in Fixtures/cms/ with the openssl CLI (see Fixtures/cms/README.md).
# Every vector is encrypted to Keys/test-recipient-a.crt, so rerun this after Scripts/make-test-keys.sh.
# Encryption uses a fresh random content key and IV, so a rerun changes the bytes but not what they decrypt to.
#
# Tested with OpenSSL 3.0. Usage: Scripts/make-cms-vectors.sh   (from anywhere)
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/Fixtures/cms"
cert="$root/Keys/test-recipient-a.crt"
key="$root/Keys/test-recipient-a.key"
mkdir -p "$out"

# The known plaintext: text, CR LF, LF, NUL and 0xFF, so any canonicalisation (-binary missing) shows.
printf 'dicom-deid CMS test vector 0123456789\r\nline two\n\000\001\377' >"$out/plaintext.bin"

encrypt() { # NAME [openssl cms options...]
    name=$1; shift
    openssl cms -encrypt -binary -outform DER -in "$out/plaintext.bin" -out "$out/$name.der" -recip "$cert" "$@"
    # Check each vector opens again before it is committed.
    openssl cms -decrypt -binary -inform DER -in "$out/$name.der" -inkey "$key" -recip "$cert" | cmp - "$out/plaintext.bin"
}

encrypt aes128-cbc -aes128
encrypt aes192-cbc -aes192
encrypt aes256-cbc -aes256
encrypt des-ede3-cbc -des3
encrypt aes256-cbc-oaep-sha256 -aes256 -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256 -keyopt rsa_mgf1_md:sha256
encrypt aes256-cbc-keyid -aes256 -keyid
ls -l "$out"

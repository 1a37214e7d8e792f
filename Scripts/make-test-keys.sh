#!/bin/sh
# Makes the TEST-ONLY key material in Keys/ (see Keys/README.md). Rerunnable: it overwrites every file.
#
# RSA key generation is random, so a rerun yields new keys, but everything else is fixed: subjects, serial numbers,
# validity dates (signed with `openssl ca`, which accepts explicit -startdate/-enddate) and extensions.
# After a rerun, run Scripts/make-cms-vectors.sh too: the committed vectors are encrypted to recipient A.
#
# Tested with OpenSSL 3.0. Usage: Scripts/make-test-keys.sh   (from anywhere)
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
keys="$root/Keys"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 077

passfile="$keys/test-passphrase.txt"
printf 'test-only-passphrase\n' >"$passfile"

# Minimal `openssl ca` setup: self-signed certificates with chosen serials and dates.
cat >"$work/ca.cnf" <<CNF
[ ca ]
default_ca = testca
[ testca ]
dir = $work
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
organizationName = optional
commonName = supplied
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = placeholder
[ recipient ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment, dataEncipherment
subjectKeyIdentifier = hash
[ nokeyusage ]
basicConstraints = critical, CA:FALSE
subjectKeyIdentifier = none
[ signonly ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
CNF

# selfsign NAME KEYFILE SERIAL_HEX SUBJECT_CN EXTENSIONS START END
selfsign() {
    : >"$work/index.txt"
    echo "$3" >"$work/serial"
    openssl req -new -config "$work/ca.cnf" -key "$2" -subj "/O=NOT FOR REAL DATA/CN=$4" -out "$work/$1.csr"
    openssl ca -batch -config "$work/ca.cnf" -selfsign -keyfile "$2" -in "$work/$1.csr" -preserveDN \
        -extensions "$5" -startdate "$6" -enddate "$7" -notext -out "$keys/$1.crt" 2>/dev/null
}

rsa_key() { openssl genpkey -quiet -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$keys/$1.key"; }

start=20250101000000Z
end=20450101000000Z

# Recipient A, in every container format the loader accepts.
rsa_key test-recipient-a 2048
selfsign test-recipient-a "$keys/test-recipient-a.key" 0A01 "dicom-deid TEST-ONLY recipient A" recipient $start $end
openssl x509 -in "$keys/test-recipient-a.crt" -outform DER -out "$keys/test-recipient-a.der"
openssl pkcs8 -topk8 -in "$keys/test-recipient-a.key" -v2 aes-256-cbc -passout "file:$passfile" \
    -out "$keys/test-recipient-a-encrypted.key"
openssl pkey -in "$keys/test-recipient-a.key" -outform DER -out "$keys/test-recipient-a-key.der"
openssl rsa -in "$keys/test-recipient-a.key" -traditional -out "$keys/test-recipient-a-pkcs1.key" 2>/dev/null
openssl rsa -in "$keys/test-recipient-a.key" -traditional -aes256 -passout "file:$passfile" \
    -out "$keys/test-recipient-a-pkcs1-encrypted.key" 2>/dev/null
openssl pkcs12 -export -inkey "$keys/test-recipient-a.key" -in "$keys/test-recipient-a.crt" \
    -name "dicom-deid TEST-ONLY recipient A" -passout "file:$passfile" -out "$keys/test-recipient-a.p12"

# Recipient B (the wrong key in tests); its certificate has neither keyUsage (allowed) nor subjectKeyIdentifier.
rsa_key test-recipient-b 2048
selfsign test-recipient-b "$keys/test-recipient-b.key" 0B02 "dicom-deid TEST-ONLY recipient B" nokeyusage $start $end

# Recipient C (third recipient in multi-recipient tests).
rsa_key test-recipient-c 2048
selfsign test-recipient-c "$keys/test-recipient-c.key" 0C03 "dicom-deid TEST-ONLY recipient C" recipient $start $end

# Certificates the checks must refuse or warn about.
rsa_key test-weak-1024 1024
selfsign test-weak-1024 "$keys/test-weak-1024.key" 0D04 "dicom-deid TEST-ONLY weak 1024-bit RSA" recipient $start $end
openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$keys/test-ec.key"
selfsign test-ec "$keys/test-ec.key" 0E05 "dicom-deid TEST-ONLY EC key" nokeyusage $start $end
rsa_key test-sign-only 2048
selfsign test-sign-only "$keys/test-sign-only.key" 0F06 "dicom-deid TEST-ONLY signature-only keyUsage" signonly $start $end
rsa_key test-expired 2048
selfsign test-expired "$keys/test-expired.key" 1007 "dicom-deid TEST-ONLY expired" recipient 20000101000000Z 20010101000000Z

# Test keys are public anyway; 0644 keeps checkouts and CI simple. Real keys: see Keys/make-real-key.sh (0600).
chmod 0644 "$keys"/*
for f in "$keys"/*.crt; do openssl x509 -in "$f" -noout -subject -serial -enddate; done

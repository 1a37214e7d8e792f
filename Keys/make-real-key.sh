#!/bin/sh
# Makes a REAL recipient key pair for dicom-deid: a 3072-bit RSA private key, encrypted with a passphrase (PKCS#8,
# AES-256-CBC) and stored with mode 0600, plus a self-signed certificate (keyUsage keyEncipherment) and a
# certificate signing request for when your organisation's CA should sign it instead.
#
# Usage: Keys/make-real-key.sh NAME "/O=Example Hospital/CN=Research Re-identification" [DAYS]
#   NAME.key  private key - keep it secret, keep it backed up, never commit it
#   NAME.crt  certificate - give it to whoever encrypts for you
#   NAME.csr  signing request
# The passphrase is asked on the terminal (twice), or taken from the environment variable
# DICOM_DEID_KEY_PASSPHRASE when that is set; never from the command line.
# Run it outside this repository (e.g. in ~/keys), not in Keys/.
set -eu

if [ $# -lt 2 ]; then
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
name=$1
subject=$2
days=${3:-1825}
for file in "$name.key" "$name.crt" "$name.csr"; do
    if [ -e "$file" ]; then echo "refusing to overwrite $file" >&2; exit 1; fi
done

umask 077
config=$(mktemp)
trap 'rm -f "$config"' EXIT
cat >"$config" <<CNF
[ req ]
distinguished_name = dn
x509_extensions = recipient
req_extensions = recipient
prompt = no
[ dn ]
CN = placeholder
[ recipient ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment
subjectKeyIdentifier = hash
CNF

pass_out=
pass_in=
if [ -n "${DICOM_DEID_KEY_PASSPHRASE:-}" ]; then
    pass_out="-pass env:DICOM_DEID_KEY_PASSPHRASE"
    pass_in="-passin env:DICOM_DEID_KEY_PASSPHRASE"
fi

# $pass_out / $pass_in are deliberately unquoted: empty, or an option and its value.
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -aes-256-cbc $pass_out -out "$name.key"
chmod 0600 "$name.key"
openssl req -new -x509 -config "$config" -key "$name.key" $pass_in -subj "$subject" -days "$days" -sha256 -out "$name.crt"
openssl req -new -config "$config" -key "$name.key" $pass_in -subj "$subject" -sha256 -out "$name.csr"
chmod 0644 "$name.crt" "$name.csr"

openssl x509 -in "$name.crt" -noout -subject -serial -enddate -ext keyUsage
echo "private key: $name.key (mode 0600, passphrase-protected) - back it up; without it nothing can be re-identified"

#!/usr/bin/env bash
# Regenerates Sources/DICOMDictionary/Generated and fails if the result differs from what git has
# (changed, deleted or new files). Needs python3 and pydicom 3.0.2; pass --standard DIR through if
# shared/standard is not at <repo>/../shared/standard.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
generated=Sources/DICOMDictionary/Generated

python3 Scripts/generate-dictionary.py --quiet "$@"

status=0
git diff --exit-code --stat -- "$generated" || status=1
untracked="$(git ls-files --others --exclude-standard -- "$generated")"
if [ -n "$untracked" ]; then
    echo "untracked generated files:" >&2
    echo "$untracked" >&2
    status=1
fi
if [ "$status" -ne 0 ]; then
    echo "check-generated: $generated is stale; run Scripts/generate-dictionary.py and commit the result" >&2
fi
exit "$status"

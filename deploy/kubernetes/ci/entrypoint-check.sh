#!/bin/bash
# The entrypoint's handling of its environment, with a stand-in tool that prints its arguments (no build needed,
# well under a second): DEID_OPTIONS is split on spaces but never expanded as a file pattern, and a
# JOB_COMPLETION_INDEX that is not a plain part number (empty, not numeric, a leading zero) is refused.
# usage: entrypoint-check.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
entrypoint=$here/../entrypoint.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/dicom-deid-entrypoint.XXXXXX")
trap 'rm -rf "$work"' EXIT
printf '#!/bin/bash\nprintf "%%s\\n" "$@"\n' > "$work/tool"
chmod 700 "$work/tool"
touch "$work/should-not-appear.dcm"
part() {  # part INDEX: the stand-in's arguments, one a line
    (cd "$work" && env -i PATH="$PATH" DEID_TOOL="$work/tool" DEID_PLAN=plan DEID_OUTPUT=out DEID_SECRET=secret \
        DEID_RECIPIENT=recipient.crt DEID_OPTIONS='--ctp-script *.dcm --retain-uids' JOB_COMPLETION_INDEX="$1" \
        "$entrypoint" part)
}
fail() { echo "entrypoint-check: $1" >&2; exit 1; }
args=$(part 3)
grep -qx -- '--ctp-script' <<<"$args" && grep -qx -- '--retain-uids' <<<"$args" || fail "DEID_OPTIONS not split: $args"
grep -qx -- '\*\.dcm' <<<"$args" || fail "DEID_OPTIONS expanded as a file pattern: $args"
grep -qx -- 'out/part-3' <<<"$args" || fail "part 3 does not write out/part-3: $args"
for index in '' x 1x -1 07 00; do
    if part "$index" > "$work/refused.log" 2>&1; then fail "JOB_COMPLETION_INDEX '$index' was taken"; fi
    grep -q 'not a part number' "$work/refused.log" || fail "JOB_COMPLETION_INDEX '$index': $(cat "$work/refused.log")"
done
part 0 | grep -qx -- 'out/part-0' || fail "part 0 refused"
echo "entrypoint-check: ok"

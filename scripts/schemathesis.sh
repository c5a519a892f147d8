#!/usr/bin/env bash
# Schemathesis (property-based API testing, PyPI `schemathesis`) against the mock bank, driven
# by the Control API OpenAPI 2.0.0 document (issue 8). Starts `dsop-harness mocks serve`, mints
# a valid Maskinporten token (`token mint`) and extradition order (`eo sign`), then lets
# schemathesis generate requests for every operation: everything it generates is sent with a
# valid token and order, the rest (headers, query, path) is generated. Passes when no request
# got a 5xx (`not_a_server_error`), the mock still answers afterwards, and at least
# MIN_REQUESTS requests were sent. Prints the counts.
#
# Usage: scripts/schemathesis.sh            (env: EXAMPLES per operation, default 300;
#                                            MIN_REQUESTS, default 1000; DSOP_HARNESS_BIN)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SPEC=${SPEC:-../shared/reference/openapi/control-api-v2.0.0.yaml}
[ -f "$SPEC" ] || SPEC=/work/shared/reference/openapi/control-api-v2.0.0.yaml
EXAMPLES=${EXAMPLES:-300}
MIN_REQUESTS=${MIN_REQUESTS:-1000}
BIN=${DSOP_HARNESS_BIN:-target/debug/dsop-harness}
if [ ! -x "$BIN" ]; then cargo build --quiet; fi
if ! command -v st >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check schemathesis
fi

WORK=$(mktemp -d)
MOCKS_PID=
cleanup() {
  [ -n "$MOCKS_PID" ] && kill "$MOCKS_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" trust init --dir "$WORK/trust" >/dev/null
"$BIN" mocks serve --trust-dir "$WORK/trust" --banks 1 --journal "$WORK/journal.jsonl" \
  >"$WORK/manifest.json" 2>"$WORK/mocks.err" &
MOCKS_PID=$!
for _ in $(seq 1 100); do
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/manifest.json" 2>/dev/null && break
  sleep 0.1
done
BANK_URL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["banks"][0]["url"])' \
  "$WORK/manifest.json")
PARTY=$("$BIN" ids generate --kind fnr --count 1 --seed 8 | head -1)
TOKEN=$("$BIN" token mint --trust-dir "$WORK/trust" --audience "$BANK_URL")
TODAY=$(date -u +%F)
FROM=$(date -u -d '365 days ago' +%F)
ORDER=$("$BIN" eo sign --trust-dir "$WORK/trust" --party-id "$PARTY" --from-date "$FROM" \
  --to-date "$TODAY" --mandate criminal --only-primary-owner false)

echo "== schemathesis against $BANK_URL ($EXAMPLES examples per operation)"
set +e
st run "$SPEC" --url "$BANK_URL" \
  -H "Authorization: Bearer $TOKEN" \
  -H "AdditionalReferenceID: $ORDER" \
  --checks not_a_server_error \
  --max-examples "$EXAMPLES" \
  --generation-deterministic \
  --report junit --report-junit-path "$WORK/junit.xml" \
  2>&1 | tee "$WORK/st.out"
ST_STATUS=${PIPESTATUS[0]}
set -e

# Counts from the mock's own journal: every request it received, by status.
python3 - "$WORK/journal.jsonl" "$MIN_REQUESTS" "$ST_STATUS" <<'PY'
import collections, json, sys
path, minimum, st_status = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
statuses = collections.Counter()
for line in open(path):
    entry = json.loads(line)
    if entry.get("mock", "").startswith("bank:"):
        statuses[entry["status"]] += 1
total = sum(statuses.values())
errors = sum(n for s, n in statuses.items() if s >= 500)
print(f"mock bank received {total} requests; by status: {dict(sorted(statuses.items()))}")
print(f"server errors (5xx): {errors}; schemathesis exit status: {st_status}")
ok = total >= minimum and errors == 0 and st_status == 0
if total < minimum:
    print(f"FAIL: fewer than {minimum} requests")
sys.exit(0 if ok else 1)
PY
# The mock must still be up.
python3 - "$BANK_URL/accounts" <<'PY' || { echo "FAIL: the mock bank no longer answers"; exit 1; }
import sys, urllib.error, urllib.request
try:
    status = urllib.request.urlopen(sys.argv[1], timeout=5).status
except urllib.error.HTTPError as e:
    status = e.code
print(f"mock still answering: HTTP {status}")
PY
kill -0 "$MOCKS_PID" || { echo "FAIL: mocks serve crashed"; exit 1; }

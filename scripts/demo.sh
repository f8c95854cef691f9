#!/usr/bin/env bash
# `make demo`: a fresh ledger from the seed data, then the questions Amity answers.
set -euo pipefail
cd "$(dirname "$0")/.."
AMITY=".venv/bin/amity"
export AMITY_STORE="${AMITY_STORE:-demo.db}"  # today is the real date unless AMITY_TODAY says otherwise
TODAY="${AMITY_TODAY:-$(date +%F)}"
rm -f "$AMITY_STORE" "$AMITY_STORE-wal" "$AMITY_STORE-shm"
echo "== amity import data/seeds.jsonl   (store: $AMITY_STORE, today: $TODAY)"
$AMITY import data/seeds.jsonl
for pair in "Seoul|Kuala Lumpur" "Seoul|Tashkent" "Seoul|Bishkek" "Seoul|Tehran" \
            "Kuala Lumpur|Ankara, TR" "Kuala Lumpur|Casablanca, MA" "Kuala Lumpur|Chennai" \
            "Kuala Lumpur|Esfahan" "Kuala Lumpur|Melaka" "Kuala Lumpur|Osaka"; do
  echo; echo "== amity history \"${pair%%|*}\" \"${pair##*|}\""
  $AMITY history "${pair%%|*}" "${pair##*|}"
done

echo; echo "== amity status   (today, $TODAY)"
$AMITY status
echo; echo "== amity status --as-of 2000-01-01"
$AMITY status --as-of 2000-01-01

echo; echo "== amity networks"
$AMITY networks
echo; echo "== amity network ASCN"
$AMITY network ASCN
echo; echo "== amity city \"Kuala Lumpur\"   (its profile: ties, networks, counts, disputes)"
$AMITY city "Kuala Lumpur"

echo; echo "== amity anniversaries --year 2025 --ics demo-anniversaries.ics"
$AMITY anniversaries --year 2025 --ics demo-anniversaries.ics

echo; echo "== amity check   (official counts vs the ledger; exit 1 if one fails)"
$AMITY check || echo "(exit $?: the ledger lacks partnerships the sources count)"
echo; echo "== amity disputes   (where the sources disagree)"
$AMITY disputes

echo; echo "== amity digest   (publish it: amity verify --digest D --position P"
echo "   proves the history up to P unchanged)"
$AMITY digest
echo; echo "== amity verify"
$AMITY verify
echo; echo "== the web view of this ledger (read-only, on 127.0.0.1):"
echo "   open http://127.0.0.1:8000/ after running"
echo "   .venv/bin/amity serve --store $AMITY_STORE"

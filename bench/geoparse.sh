#!/usr/bin/env bash
# Score place recognition and geocoding on the public news corpora in ../shared/eval/geoparse,
# as in the README's table. Usage: bench/geoparse.sh [--demonyms]
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir=../shared/eval
out=$(mktemp -d)
for corpus in GeoWebNews TR-News; do
  .venv/bin/python -m geo export "$eval_dir"/geoparse/$corpus/docs/*.txt --out "$out/$corpus" "$@" 2>/dev/null
  echo "== $corpus"
  python3 "$eval_dir/geoparse.py" score "$eval_dir/geoparse/$corpus" "$out/$corpus"
done
echo "== seed article"
.venv/bin/python -m geo export "$eval_dir/docs/seed_isis_turkey.txt" --out "$out/seed" 2>/dev/null
python3 "$eval_dir/score.py" "$eval_dir/gold/seed_isis_turkey.json" "$out/seed/seed_isis_turkey.geojson"
rm -rf "$out"

#!/bin/sh
# JSON-LD checked by a processor no one here wrote (jsonld.js, installed in
# tests/jsonld by `make check-jsonld`): the JSON-LD export of the seed
# corpus and of every good data case expands to the same graph as its
# N-Triples export, and the answer of each CONSTRUCT query of
# tests/jsonld/construct/ over the seed corpus given as `query -f jsonld`
# to the same graph as its `query -f nt` answer.  DIPKG_EXE names the tool
# (default ./dipkg).
set -eu
exe=${DIPKG_EXE:-./dipkg}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
n=0
for input in facts tests/data/good/*.yaml; do
  "$exe" export -q -f nt "$input" > "$tmp/g.nt" 2>/dev/null || continue
  "$exe" export -q -f jsonld "$input" > "$tmp/g.jsonld"
  n=$((n + 1))
  if ! node tests/jsonld/roundtrip.js "$tmp/g.jsonld" "$tmp/g.nt" > "$tmp/out"; then
    echo "FAIL $input"; cat "$tmp/out"; failed=$((failed + 1))
  fi
done
for q in tests/jsonld/construct/*.rq; do
  "$exe" query -f nt "$q" facts > "$tmp/q.nt"
  "$exe" query -f jsonld "$q" facts > "$tmp/q.jsonld"
  if [ ! -s "$tmp/q.nt" ]; then
    echo "FAIL $q: no statements (a check of nothing)"; failed=$((failed + 1))
  elif ! node tests/jsonld/roundtrip.js "$tmp/q.jsonld" "$tmp/q.nt" > "$tmp/out"; then
    echo "FAIL $q"; cat "$tmp/out"; failed=$((failed + 1))
  fi
  n=$((n + 1))
done
echo "jsonld: $n inputs and queries, $failed failed"
[ "$failed" -eq 0 ] && [ "$n" -gt 0 ]

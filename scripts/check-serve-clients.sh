#!/bin/sh
# dipkg serve spoken to by clients no one here wrote: curl, jsonld.js
# (installed in tests/jsonld by the make target), SPARQLWrapper
# (the query pack, same answers as dipkg query; the dataset parameters
# default-graph-uri and named-graph-uri), and headless Chromium
# (an event page and an entity timeline: the rendered text is checked and
# screenshots are saved to docs/img/).  DIPKG_EXE names the tool.
set -eu
exe=${DIPKG_EXE:-./dipkg}
tmp=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
"$exe" serve --listen 127.0.0.1:0 --query-timeout 30 facts 2> "$tmp/log" &
server=$!
port=""
for _ in $(seq 1 200); do
  port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/log" | head -1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/log"; echo "serve did not start"; exit 1; }
base="http://127.0.0.1:$port"
failed=0
check() { # description, command...
  what=$1; shift
  if "$@"; then echo "ok $what"; else echo "FAIL $what"; failed=$((failed + 1)); fi
}
event=/event/japan-lifts-export-controls-2023

# curl: conneg through the 303, conditional GET.
check "curl follows the 303 to Turtle" sh -c \
  "curl -sfL -H 'Accept: text/turtle' '$base$event' | grep -q '^@prefix dip:'"
etag=$(curl -sf -D - -o /dev/null "$base$event.ttl" | sed -n 's/^ETag: *//Ip' | tr -d '\r')
check "curl conditional GET gives 304" sh -c \
  "test \"\$(curl -s -o /dev/null -w '%{http_code}' -H 'If-None-Match: $etag' '$base$event.ttl')\" = 304"

# jsonld.js: served JSON-LD descriptions and CONSTRUCT results are the
# graphs of their N-Triples.
for r in /event/japan-lifts-export-controls-2023 /entity/south-korea \
         /article/ap-2023-03-23-japan-south-korea-export-claims; do
  curl -sf "$base$r.jsonld" > "$tmp/d.jsonld"
  curl -sf "$base$r.nt" > "$tmp/d.nt"
  check "jsonld.js reads $r.jsonld as $r.nt" \
    node tests/jsonld/roundtrip.js "$tmp/d.jsonld" "$tmp/d.nt"
done
construct='query=CONSTRUCT { ?e ?p ?o } WHERE { ?e a dip:Summit ; ?p ?o }'
curl -sf -H 'Accept: application/ld+json' --data-urlencode "$construct" "$base/sparql" > "$tmp/c.jsonld"
curl -sf -H 'Accept: application/n-triples' --data-urlencode "$construct" "$base/sparql" > "$tmp/c.nt"
check "jsonld.js reads a CONSTRUCT result in JSON-LD" \
  node tests/jsonld/roundtrip.js "$tmp/c.jsonld" "$tmp/c.nt"

# SPARQLWrapper: the pack.
check "SPARQLWrapper runs the pack" /usr/bin/python3 tests/serve/pack.py \
  "$base/sparql" "$exe" facts queries/*.rq
check "SPARQLWrapper sends default and named graphs" /usr/bin/python3 \
  tests/serve/dataset.py "$base/sparql" "$exe" facts

# Chromium: the pages as people see them.
mkdir -p docs/img
chrome() { # URL, then --dump-dom or --screenshot=FILE
  timeout 120 chromium --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update --disable-sync \
    --no-first-run --user-data-dir="$tmp/chrome-$$-$(date +%s%N)" \
    --window-size=1000,1600 --hide-scrollbars "$2" "$1" 2>/dev/null
}
chrome "$base$event" --dump-dom > "$tmp/event.html"
check "Chromium renders the event page" sh -c \
  "grep -q 'Japan lifts export controls on three semiconductor materials' '$tmp/event.html' &&
   grep -q 'CAMEO <code>085</code>' '$tmp/event.html' &&
   grep -q '<mark>Japan and South Korea almost simultaneously' '$tmp/event.html' &&
   grep -q 'Reverses <a' '$tmp/event.html'"
chrome "$base/entity/south-korea" --dump-dom > "$tmp/entity.html"
check "Chromium renders the entity timeline" sh -c \
  "grep -q '<h2>Timeline</h2>' '$tmp/entity.html' &&
   grep -q '<time>2019' '$tmp/entity.html' && grep -q '<time>2023-03-23' '$tmp/entity.html'"
chrome "$base$event" --screenshot="$PWD/docs/img/event-page.png" >/dev/null
chrome "$base/entity/south-korea" --screenshot="$PWD/docs/img/entity-timeline.png" >/dev/null
check "screenshots saved" test -s docs/img/event-page.png -a -s docs/img/entity-timeline.png
echo "serve clients: $failed failed"
[ "$failed" -eq 0 ]

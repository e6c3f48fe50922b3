#!/bin/sh
# make bench-serve: wrk on loopback against dipkg serve (the seed corpus):
# an event page (HTML), its Turtle description, and /sparql with a pack
# query.  Prints requests/s, latency p50/p99, errors (non-2xx/3xx answers
# and socket errors: must be 0) and the server's peak memory (VmHWM).
# Not a timed test.  BENCH_SECONDS (default 10), BENCH_CONNECTIONS (8).
set -eu
exe=${DIPKG_EXE:-./dipkg}
seconds=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-8}
tmp=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
"$exe" serve -q --listen 127.0.0.1:0 --threads 4 facts 2> "$tmp/log" &
server=$!
port=""
for _ in $(seq 1 200); do
  port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/log" | head -1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/log"; exit 1; }
base="http://127.0.0.1:$port"
query=$(/usr/bin/python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(open(sys.argv[1]).read()))' queries/06-events-by-cameo.rq)
printf '%-34s %10s %9s %9s %7s\n' target requests/s p50 p99 errors
for target in /event/japan-lifts-export-controls-2023.html \
              /event/japan-lifts-export-controls-2023.ttl \
              "/sparql?query=$query"; do
  wrk -t2 -c"$conns" -d"${seconds}s" --latency "$base$target" > "$tmp/wrk"
  rps=$(awk '/^Requests\/sec/ {print $2}' "$tmp/wrk")
  p50=$(awk '$1 == "50%" {print $2}' "$tmp/wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk")
  non2xx=$(awk '/Non-2xx or 3xx/ {print $NF}' "$tmp/wrk")
  sock=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$tmp/wrk")
  case "$target" in
    *.html) name="event page (.html)" ;;
    *.ttl) name="event description (.ttl)" ;;
    *) name="/sparql (pack query 06, CSV)" ;;
  esac
  printf '%-34s %10s %9s %9s %7s\n' "$name" "$rps" "$p50" "$p99" \
    "$(( ${non2xx:-0} + ${sock:-0} ))"
done
echo "server peak memory (VmHWM): $(awk '/VmHWM/ {print $2, $3}' /proc/$server/status)"

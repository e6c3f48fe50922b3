#!/bin/bash
# make bench-stores: dipkg's graph in real triple stores, on a generated
# corpus (tests/bench/gen --seed 1).  Not a test: it prints figures and
# writes them to docs/benchmarks-stores.md.
#
#  - push to a private Virtuoso (tests/virtuoso/virtuoso.sh): the first
#    push (every graph sent), the second (nothing sent);
#  - Virtuoso's bulk loader (ld_dir + rdf_loader_run) on a second, empty
#    server, over `dipkg export --closure --with-ontology` (N-Quads);
#  - every pack query (queries/*.rq) on Virtuoso (`dipkg query --post-form
#    --endpoint`), on dipkg's bdb store and on Oxigraph in Node
#    (scripts/bench-oxigraph.mjs), side by side;
#  - the embedded stores: load time, store size and pack query 11 on bdb
#    (and sqlite up to BENCH_SQLITE_MAX articles), `dipkg query` over the
#    facts themselves (time, peak memory).
#
# BENCH_STORES_ARTICLES: the corpus of the store comparison (default
# 10000, about 2.6M statements with the closure); BENCH_STORES_EMBEDDED:
# the sizes of the embedded-store measures (default "1000 10000");
# BENCH_SQLITE_MAX (default 1000); BENCH_STORES_LIMIT: seconds after which
# one query is stopped (default 120); BENCH_DIR (default build/bench/stores).
# One run of each figure, wall seconds: the machine is shared, so the load
# average is written beside them.
set -euo pipefail

n=${BENCH_STORES_ARTICLES:-10000}
embedded=${BENCH_STORES_EMBEDDED:-1000 10000}
sqlite_max=${BENCH_SQLITE_MAX:-1000}
limit=${BENCH_STORES_LIMIT:-120}
work=${BENCH_DIR:-build/bench/stores}
report=${BENCH_STORES_REPORT:-docs/benchmarks-stores.md}
dipkg=${BENCH_DIPKG:-./dipkg}
gen=${BENCH_GEN:-build/bench/gen}
vos=tests/virtuoso/virtuoso.sh

for tool in /usr/bin/time /usr/bin/isql-vt /usr/bin/virtuoso-t node timeout; do
  command -v "$tool" >/dev/null || { echo "bench-stores: $tool is missing" >&2; exit 1; }
done
(cd tests/crosscheck && { test -d node_modules/oxigraph ||
  npm install --no-audit --no-fund --loglevel=error; })

mkdir -p "$work"
work=$(cd "$work" && pwd)
timefile=$work/time.out
servers=()
cleanup() {
  for s in "${servers[@]}"; do "$vos" stop "$s" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
loads=()
load_now() { loads+=("$(cut -d' ' -f1-3 /proc/loadavg)"); }

corpus() {  # corpus N: the directory of the N-article corpus
  local dir=$work/c$1
  [ -d "$dir" ] || "$gen" --articles "$1" --seed 1 --out "$dir" >/dev/null
  echo "$dir"
}

# timed CMD...: runs CMD with standard output to $work/out; sets W (wall
# seconds, or "> LIMIT" when stopped), M (peak RSS, MiB) and RC.
timed() {
  RC=0
  /usr/bin/time -f '%e %M' -o "$timefile" timeout "$limit" "$@" >"$work/out" 2>"$work/err" || RC=$?
  # (time writes "Command exited with non-zero status N" first then.)
  read -r W M < <(tail -1 "$timefile") || true
  M=$(( ${M:-0} / 1024 ))
  [ "$RC" -ne 124 ] || W="> $limit"
}

rows() {  # the data rows of a CSV result in $work/out
  echo $(( $(wc -l <"$work/out") - 1 ))
}

# ---------------------------------------------------------------- embedded
emb_table=""
for size in $embedded; do
  c=$(corpus "$size")
  for kind in bdb sqlite; do
    [ "$kind" = bdb ] || [ "$size" -le "$sqlite_max" ] || continue
    store=$work/store-$kind-$size
    rm -rf "$store" "$store.sqlite"
    if [ "$kind" = bdb ]; then spec=bdb:$store; path=$store; mkdir -p "$store"
    else spec=sqlite:$store.sqlite; path=$store.sqlite; fi
    load_now
    limit_save=$limit; limit=3600
    timed "$dipkg" load -q --store "$spec" "$c"; load_w=$W; load_m=$M
    [ "$RC" = 0 ] || { echo "bench-stores: load failed:" >&2; cat "$work/err" >&2; exit 1; }
    limit=$limit_save
    size_mb=$(du -sm "$path" | cut -f1)
    timed "$dipkg" query -f csv --store "$spec" queries/11-entities-in-several-articles.rq
    q_w=$W; q_m=$M
    echo "embedded $kind $size: load ${load_w} s (${load_m} MiB), ${size_mb} MB, query 11 ${q_w} s (${q_m} MiB)"
    emb_table+="| $size | $kind | $load_w | $size_mb | $q_w | $q_m |"$'\n'
    [ "$kind" = bdb ] && [ "$size" = "$n" ] && bdb_store=$spec
    [ "$kind" = sqlite ] && rm -f "$path"
  done
  timed "$dipkg" query -f csv queries/11-entities-in-several-articles.rq "$c"
  echo "embedded facts $size: query 11 ${W} s, ${M} MiB"
  emb_table+="| $size | facts (no store) | - | - | $W | $M |"$'\n'
done

# ---------------------------------------------------------------- push
c=$(corpus "$n")
# The servers: what docs/loading.md tells a deployment to set (a page cache
# for 2 GB, answers not cut at 10,000 rows), owned by this script (gone
# with it, however it ends).
export VIRTUOSO_BUFFERS=${BENCH_VIRTUOSO_BUFFERS:-170000}
export VIRTUOSO_MAX_ROWS=1000000
read -r http _ _ < <("$vos" start "$work/vos-push" $$)
servers+=("$work/vos-push")
echo dba >"$work/password"
gsp=http://127.0.0.1:$http/sparql-graph-crud-auth
push_line() {
  "$dipkg" push --graph-store "$gsp" --user dba --password-file "$work/password" "$c" 2>&1 >/dev/null |
    grep -E '^pushed to' | sed -e 's/^pushed to [^:]*:[^:]*:[^:]*: //'
}
load_now
push1=$(push_line)
push2=$(push_line)
echo "push 1: $push1"
echo "push 2: $push2"
endpoint=http://127.0.0.1:$http/sparql

# ---------------------------------------------------------------- bulk load
read -r http2 sql2 _ < <("$vos" start "$work/vos-bulk" $$)
servers+=("$work/vos-bulk")
export_file=$work/kg-$n.nq
[ -f "$export_file" ] ||
  "$dipkg" export -q --closure --with-ontology -o "$export_file" "$c" 2>/dev/null
ln -f "$export_file" "$work/vos-bulk/load/kg.nq"  # DirsAllowed: load/ only
quads=$(wc -l <"$export_file")
isql() { /usr/bin/isql-vt "$sql2" dba dba exec="$1" >/dev/null; }
load_now
start=$(date +%s.%N)
isql "ld_dir('$work/vos-bulk/load', '*.nq', 'https://example.org/dipkg/graph/default');"
isql "rdf_loader_run();"
isql "checkpoint;"
bulk=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "bulk load: $quads quads, $bulk s"
"$vos" stop "$work/vos-bulk"

# ---------------------------------------------------------------- queries
# The parameters of queries 01, 03, 05, 08 and 12 (their VALUES lines,
# what --bind replaces) name things of the seed corpus, which the generated
# one lacks: unbound, they time an empty answer.  Bind them to the busiest
# things of this corpus instead, found on Virtuoso, and run the same bound
# texts on every engine ($work/q).
pick() {  # pick SPARQL: the first cell of the answer's first row
  "$dipkg" query -f tsv --post-form --endpoint "$endpoint" --timeout "$limit" \
    -e "PREFIX dip: <https://w3id.org/dipkg/ns#> $1" | sed -n 2p | cut -f"${2:-1}"
}
pair=$(pick 'SELECT ?a ?b (COUNT(*) AS ?n) WHERE { ?e dip:actor ?a ; dip:target ?b }
  GROUP BY ?a ?b ORDER BY DESC(?n) ?a ?b LIMIT 1' 1-2)
p_a=$(echo "$pair" | cut -f1); p_b=$(echo "$pair" | cut -f2)
p_measure=$(pick 'SELECT ?m WHERE { ?r dip:reverses ?m } ORDER BY ?m LIMIT 1')
p_event=$(pick 'SELECT ?e (COUNT(?q) AS ?n) WHERE { ?e dip:quote ?q }
  GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1')
for v in p_a p_b p_measure p_event; do
  [ -n "${!v}" ] || { echo "bench-stores: found no value for $v" >&2; exit 1; }
done
qdir=$work/q
rm -rf "$qdir"; mkdir -p "$qdir"
for q in queries/*.rq; do
  sed -e "s|VALUES ?a { [^}]* }|VALUES ?a { $p_a }|" \
      -e "s|VALUES ?b { [^}]* }|VALUES ?b { $p_b }|" \
      -e "s|VALUES ?measure { [^}]* }|VALUES ?measure { $p_measure }|" \
      -e "s|VALUES ?event { [^}]* }|VALUES ?event { $p_event }|" \
      -e "s|VALUES ?entity { [^}]* }|VALUES ?entity { $p_a }|" "$q" >"$qdir/$(basename "$q")"
done
echo "parameters: a=$p_a, b=$p_b, measure=$p_measure, event=$p_event"
load_now
# (Oxigraph cannot be stopped inside a query: the whole run has 14 limits.)
ox=$(timeout $((limit * 14)) node scripts/bench-oxigraph.mjs "$export_file" "$qdir") || true
ox_load=$(echo "$ox" | awk -F'\t' '$1 == "load" {print $2}')
q_table=""
for q in "$qdir"/*.rq; do
  name=$(basename "$q")
  timed "$dipkg" query -f csv --post-form --endpoint "$endpoint" --timeout "$limit" "$q"
  v_w=$W; v_rows=$([ "$RC" = 0 ] && rows || echo "-")
  # The server alone: the answer as CSV to nowhere, curl's total time.
  v_s=$(curl -s -o /dev/null -w '%{time_total}' --max-time "$limit" \
    -H 'Accept: text/csv' --data-urlencode "query@$q" "$endpoint" |
    awk '{ printf "%.2f", $1 }' || echo "-")
  if [ -n "${bdb_store:-}" ]; then
    timed "$dipkg" query -f csv --store "$bdb_store" "$q"
    b_w=$W; b_rows=$([ "$RC" = 0 ] && rows || echo "-")
  else b_w=-; b_rows=-; fi
  o_w=$(echo "$ox" | awk -F'\t' -v q="$name" '$1 == q {print $2}')
  [ -n "$o_w" ] || o_w="> $limit"
  o_rows=$(echo "$ox" | awk -F'\t' -v q="$name" '$1 == q {print $3}')
  ratio() { case "$1$2" in *">"* | *-*) echo "-" ;; *) awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }' ;; esac; }
  echo "$name: virtuoso $v_w s ($v_rows rows), bdb $b_w s ($b_rows), oxigraph $o_w s ($o_rows)"
  q_table+="| $name | $v_s | $v_w | $v_rows | $b_w | $b_rows | $o_w | $o_rows | $(ratio "$b_w" "$v_w") | $(ratio "$o_w" "$v_w") |"$'\n'
done
load_now

# ---------------------------------------------------------------- report
{
  echo "# Benchmarks: dipkg's graph in real triple stores"
  echo
  echo "Written by \`make bench-stores\` (scripts/bench-stores.sh) on $(date -u +%Y-%m-%d):"
  echo "$(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GiB, a machine shared with other"
  echo "jobs: load averages (1, 5, 15 min) at the steps: ${loads[*]}."
  echo "One run of each figure (wall seconds), so read the ratios more than the"
  echo "absolute times.  Corpus: \`build/bench/gen --articles $n --seed 1\`,"
  echo "$quads quads in \`export --closure --with-ontology\`."
  echo "Virtuoso: Debian's virtuoso-opensource-7 $(dpkg-query -W -f '${Version}' virtuoso-opensource-7 2>/dev/null || echo '?'),"
  echo "the test server of tests/virtuoso/virtuoso.sh with NumberOfBuffers $VIRTUOSO_BUFFERS"
  echo "and ResultSetMaxRows $VIRTUOSO_MAX_ROWS (docs/loading.md)."
  echo
  echo "## Push (SPARQL 1.1 Graph Store Protocol, loopback)"
  echo
  echo "| push | result |"
  echo "|---|---|"
  echo "| first (every graph sent) | $push1 |"
  echo "| second (same corpus) | $push2 |"
  echo
  echo "## Virtuoso's bulk loader"
  echo
  echo "\`ld_dir\` + \`rdf_loader_run()\` + \`checkpoint\` of the N-Quads export into an"
  echo "empty server: $quads quads in $bulk s."
  echo "Oxigraph (Node, in memory) loads the same file in $ox_load s."
  echo
  echo "## The query pack"
  echo
  echo "Virtuoso server: the query POSTed by curl, the CSV answer thrown away"
  echo "(curl's total time).  Virtuoso through \`dipkg query --post-form --endpoint\` (the whole process:"
  echo "HTTP, parsing the CSV answer), bdb through \`dipkg query --store\`, Oxigraph"
  echo "in one Node process (the query alone).  Rows as each engine counts them;"
  echo "\"> $limit\": stopped.  Ratios: that engine's seconds over Virtuoso's."
  echo "Queries 01, 03, 05, 08 and 12 bound (their VALUES lines) to this corpus's"
  echo "busiest things, found on Virtuoso: ?a and ?entity $p_a, ?b $p_b,"
  echo "?measure $p_measure, ?event $p_event."
  echo
  echo "| query | Virtuoso server s | Virtuoso s | rows | bdb s | rows | Oxigraph s | rows | bdb/V | Ox/V |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s' "$q_table"
  echo
  echo "## The embedded stores"
  echo
  echo "| articles | store | load s | size MB | query 11 s | query 11 MiB |"
  echo "|---|---|---|---|---|---|"
  printf '%s' "$emb_table"
} >"$report"
echo "bench-stores: wrote $report"

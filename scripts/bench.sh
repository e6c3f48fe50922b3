#!/bin/bash
# The benchmarks: dipkg side by side with the reference tools, on
# synthetic corpora from tests/bench/gen.  Not a test: it prints figures
# and ratios, and writes them to a Markdown report.
#
#   scripts/bench.sh all     export, validation, stores and the query pack
#                            (make bench; report docs/benchmarks.md)
#   scripts/bench.sh query   stores and the query pack only
#                            (make bench-query; docs/benchmarks-query.md)
#
# BENCH_SIZES: article counts (default "1000 10000 100000"); BENCH_DIR:
# where corpora, exports and stores go (default build/bench/work; a 100k
# corpus takes about 6 GB with its exports and stores).  BENCH_SQLITE_MAX:
# the largest size loaded into sqlite (default 10000; Redland's sqlite
# storage takes minutes per million statements, see docs/sparql.md).
# BENCH_STORE_MAX: the largest size loaded into stores at all (default
# 100000).  BENCH_REF_LIMIT: seconds after which a reference tool's query
# is stopped (default 30); a query stopped at one size is not run again at
# the larger ones.  BENCH_QUERY_LIMIT: the same for dipkg's own queries
# (default 120).  Timings are wall seconds of one run; peak RSS from
# /usr/bin/time.  Ratios against tools run in the same script on the same
# data are what count on a shared machine.
set -euo pipefail

mode=${1:-all}
case "$mode" in
  all | query) ;;
  *) echo "usage: scripts/bench.sh all|query" >&2; exit 2 ;;
esac
sizes=${BENCH_SIZES:-1000 10000 100000}
work=${BENCH_DIR:-build/bench/work}
sqlite_max=${BENCH_SQLITE_MAX:-10000}
store_max=${BENCH_STORE_MAX:-100000}
ref_limit=${BENCH_REF_LIMIT:-30}
query_limit=${BENCH_QUERY_LIMIT:-120}
dipkg=./dipkg
gen=${BENCH_GEN:-build/bench/gen}
if [ "$mode" = all ]; then
  report=docs/benchmarks.md
else
  report=docs/benchmarks-query.md
fi
mkdir -p "$work"
timefile=$(mktemp)
trap 'rm -f "$timefile"' EXIT

for tool in serdi rapper roqet rdfproc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make deps)" >&2; exit 1; }
done

# run LABEL CMD...: runs CMD (output to /dev/null unless redirected in
# CMD), records wall, user+sys CPU and peak RSS in W, C, M (MiB).
run() {
  local label=$1
  shift
  if ! /usr/bin/time -f '%e %U %S %M' -o "$timefile" "$@" >/dev/null; then
    echo "bench: $label failed: $*" >&2
    exit 1
  fi
  read -r W u s m <"$timefile"
  C=$(echo "$u + $s" | bc)
  M=$((m / 1024))
}

# sh LABEL 'shell command': the same for a pipeline.
sh_run() {
  run "$1" sh -c "$2"
}

# limited SECONDS 'shell command': a reference tool's run, stopped after
# SECONDS (W is then ">SECONDS"); its failures are reported, not fatal.
limited() {
  local limit=$1 rc=0
  /usr/bin/time -f '%e %U %S %M' -o "$timefile" timeout "$limit" sh -c "$2" \
    >/dev/null 2>&1 || rc=$?
  if [ "$rc" = 124 ]; then
    W=">$limit"
  elif [ "$rc" != 0 ]; then
    W="failed"
  else
    read -r W u s m <"$timefile"
  fi
}

ratio() { # A / B, two decimals
  echo "scale=2; $1 / $2" | bc | sed 's/^\./0./'
}

per_sec() { # N / seconds, in thousands
  echo "scale=0; $1 / $2 / 1000" | bc
}

md=$(mktemp)
trap 'rm -f "$timefile" "$md"' EXIT
out() { printf '%s\n' "$*" | tee -a "$md"; }

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git diff --quiet HEAD 2>/dev/null; then commit="$commit (with uncommitted changes)"; fi
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
out "# dipkg benchmarks"
out ""
out "Written by \`scripts/bench.sh $mode\` (\`make $([ "$mode" = all ] && echo bench || echo bench-query)\`) on $(date -u +%Y-%m-%d)."
out "Commit $commit; $(nproc) CPUs ($cpu), $(free -g | awk '/^Mem:/ {print $2}') GiB of memory;"
out "$(uname -sr); redland $(pkg-config --modversion redland), rasqal $(pkg-config --modversion rasqal),"
out "raptor2 $(pkg-config --modversion raptor2), serdi $(serdi -v 2>&1 | head -1 | awk '{print $2}')."
out "Wall seconds of one run; CPU is user + system; RSS is the peak resident set."
out "Corpora: \`tests/bench/gen --articles N --seed 1\` (a 2,000-entity gazetteer, 5-40 events per article)."
out ""

corpus_of() { echo "$work/corpus-$1"; }

make_corpus() {
  local n=$1 dir
  dir=$(corpus_of "$n")
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    run "gen $n" "$gen" --articles "$n" --seed 1 --out "$dir"
    touch "$dir/.complete"
    echo "generated $dir in ${W}s" >&2
  fi
}

# ------------------------------------------------------------ export
export_size() {
  local n=$1 dir nt ttl
  dir=$(corpus_of "$n")
  nt=$work/export-$n.nt
  ttl=$work/export-$n.ttl
  run "export nt" "$dipkg" export -q -f ntriples -o "$nt" "$dir"
  local d_nt_w=$W d_nt_c=$C d_nt_m=$M
  local triples
  triples=$(wc -l <"$nt")
  run "export ttl" "$dipkg" export -q -f turtle -o "$ttl" "$dir"
  local d_ttl_w=$W d_ttl_c=$C d_ttl_m=$M
  sh_run "serdi nt" "serdi -i ntriples -o ntriples '$nt' >/dev/null"
  local s_nt_w=$W s_nt_c=$C s_nt_m=$M
  sh_run "serdi ttl" "serdi -i ntriples -o turtle '$nt' >/dev/null"
  local s_ttl_w=$W s_ttl_c=$C s_ttl_m=$M
  sh_run "rapper nt" "rapper -q -i ntriples -o ntriples '$nt' >/dev/null"
  local r_nt_w=$W r_nt_c=$C r_nt_m=$M
  sh_run "rapper ttl" "rapper -q -i ntriples -o turtle '$nt' >/dev/null"
  local r_ttl_w=$W r_ttl_c=$C r_ttl_m=$M
  run "validate" "$dipkg" validate -q "$dir"
  local v_w=$W v_c=$C v_m=$M
  run "export nt -j 1" "$dipkg" export -q -j 1 -f ntriples -o "$nt.j1" "$dir"
  local j1_w=$W
  local same=yes
  cmp -s "$nt" "$nt.j1" || same=NO
  rm -f "$nt.j1"
  local index_kib files_kib
  index_kib=$("$dipkg" stats "$dir" | awk '/^id index/ {print $3}')
  files_kib=$("$dipkg" stats "$dir" | awk '/^file list/ {print $3}')
  out ""
  out "## $n articles: $triples triples"
  out ""
  out "| what | wall s | CPU s | peak RSS MiB | triples/s (k) |"
  out "|---|---:|---:|---:|---:|"
  out "| dipkg export → N-Triples (YAML parsing and mapping included, -j $(nproc)) | $d_nt_w | $d_nt_c | $d_nt_m | $(per_sec "$triples" "$d_nt_w") |"
  out "| dipkg export → N-Triples, -j 1 | $j1_w | | | $(per_sec "$triples" "$j1_w") |"
  out "| dipkg export → Turtle | $d_ttl_w | $d_ttl_c | $d_ttl_m | $(per_sec "$triples" "$d_ttl_w") |"
  out "| serdi N-Triples → N-Triples | $s_nt_w | $s_nt_c | $s_nt_m | $(per_sec "$triples" "$s_nt_w") |"
  out "| serdi N-Triples → Turtle | $s_ttl_w | $s_ttl_c | $s_ttl_m | $(per_sec "$triples" "$s_ttl_w") |"
  out "| rapper N-Triples → N-Triples | $r_nt_w | $r_nt_c | $r_nt_m | $(per_sec "$triples" "$r_nt_w") |"
  out "| rapper N-Triples → Turtle | $r_ttl_w | $r_ttl_c | $r_ttl_m | $(per_sec "$triples" "$r_ttl_w") |"
  out "| dipkg validate | $v_w | $v_c | $v_m | $(per_sec "$triples" "$v_w") |"
  out ""
  out "- N-Triples export / serdi re-serialization: $(ratio "$d_nt_w" "$s_nt_w")× (target ≤ 2); / rapper: $(ratio "$d_nt_w" "$r_nt_w")× (target ≤ 1)."
  out "- Turtle export / serdi: $(ratio "$d_ttl_w" "$s_ttl_w")×; / rapper: $(ratio "$d_ttl_w" "$r_ttl_w")×."
  out "- -j $(nproc) against -j 1: $(ratio "$j1_w" "$d_nt_w")× faster; output byte-identical: $same."
  out "- id index (what memory grows with): $index_kib KiB; list of input files: $files_kib KiB."
  eval "rss_nt_$n=$d_nt_m; index_$n=$index_kib; files_$n=$files_kib"
  rm -f "$ttl"
}

# ------------------------------------------------------------ stores
# The pack as rasqal runs it: dipkg's rewrites applied (--explain), so
# that roqet and rdfproc answer the same SPARQL (rasqal alone gets several
# of the pack's constructs wrong).
# The pack's defaults name the seed's entities: generated ones instead.
binds_of() {
  case "$1" in
    01-*) echo "--bind a=entity:$ent_a --bind b=entity:$ent_b" ;;
    08-* | 12-*) echo "--bind entity=entity:$ent_a" ;;
  esac
}

explain_pack() {
  local q
  mkdir -p "$work/pack"
  for q in queries/*.rq; do
    # shellcheck disable=SC2046
    "$dipkg" query --explain $(binds_of "$(basename "$q" .rq)") "$q" \
      >"$work/pack/$(basename "$q")"
  done
}

store_size() {
  local n=$1 dir nt kind spec path
  dir=$(corpus_of "$n")
  nt=$work/export-$n.nq
  [ -f "$nt" ] || run "export nq" "$dipkg" export -q -f nquads -o "$nt" "$dir"
  local quads
  quads=$(wc -l <"$nt")
  out ""
  out "## Stores and the query pack: $n articles ($quads statements before the closure)"
  out ""
  out "| store | load wall s | CPU s | peak RSS MiB | statements | size MiB |"
  out "|---|---:|---:|---:|---:|---:|"
  for kind in bdb sqlite; do
    if [ "$kind" = sqlite ] && [ "$n" -gt "$sqlite_max" ]; then
      out "| sqlite | skipped (BENCH_SQLITE_MAX=$sqlite_max) | | | | |"
      continue
    fi
    path=$work/store-$n.$kind
    rm -rf "$path"
    spec=$kind:$path
    run "load $kind" "$dipkg" load -q --store "$spec" "$dir"
    local lw=$W lc=$C lm=$M
    local count size
    count=$("$dipkg" stats --store "$spec" | awk '/^statements/ {print $2}')
    size=$(du -sm "$path" | cut -f1)
    out "| $kind | $lw | $lc | $lm | $count | $size |"
    eval "load_${kind}_$n=$lw"
  done
  out ""
  out "Query latency, wall seconds of \`dipkg query --store\` (process start, query check, run, output).  rdfproc: Redland's own tool on the same bdb store, the same query text (dipkg's rewrites applied, from \`dipkg query --explain\`), stopped after $ref_limit s (and not run again at larger sizes once stopped).  roqet: rasqal with its own in-memory store, reading the store's content (serialized by rdfproc) each time, so its figure includes that parse; run up to 10k articles:"
  out ""
  local header="| query | dipkg bdb | rdfproc bdb |"
  local rule="|---|---:|---:|"
  local has_sqlite=no
  if [ "$n" -le "$sqlite_max" ]; then
    header="$header dipkg sqlite |"
    rule="$rule---:|"
    has_sqlite=yes
  fi
  header="$header roqet (parse + query) | rows |"
  rule="$rule---:|---:|"
  out "$header"
  out "$rule"
  local q name row slowest=0 slowest_name=""
  local bdb_options="hash-type='bdb',dir='$work/store-$n.bdb',contexts='yes',index-predicates='yes'"
  # roqet reads a file: the store's whole content (ontology and closure
  # included), as Redland serializes it.
  local dump=$work/store-$n.nq
  if [ "$n" -le 10000 ]; then
    rdfproc -s hashes -t "$bdb_options" dipkg serialize nquads >"$dump" 2>/dev/null
  fi
  for q in queries/*.rq; do
    name=$(basename "$q" .rq)
    local binds dw rows
    binds=$(binds_of "$name")
    limited "$query_limit" "'$dipkg' query -f tsv --store 'bdb:$work/store-$n.bdb' $binds '$q' >'$work/answer.tsv'"
    dw=$W
    rows=$(tail -n +2 "$work/answer.tsv" | wc -l)
    case "$dw" in
      ">"* | failed) slowest=$dw; slowest_name=$name ;;
      *) case "$slowest" in ">"* | failed) ;; *)
           if [ "$(echo "$dw > $slowest" | bc)" = 1 ]; then slowest=$dw; slowest_name=$name; fi ;;
         esac ;;
    esac
    # rdfproc opens the store with the options dipkg uses.
    local rw gave_up key=${name//-/_}
    gave_up=$(eval echo "\${rdfproc_gave_up_$key:-}")
    if [ -n "$gave_up" ]; then
      rw="not run (>$ref_limit at $gave_up)"
    else
      limited "$ref_limit" "q=\$(cat '$work/pack/$name.rq'; printf x); rdfproc -r json -s hashes -t \"$bdb_options\" dipkg query sparql - \"\${q%x}\""
      rw=$W
      case "$rw" in ">"*) eval "rdfproc_gave_up_$key=$n" ;; esac
    fi
    row="| $name | $dw | $rw |"
    if [ "$has_sqlite" = yes ]; then
      limited "$query_limit" "'$dipkg' query -f tsv --store 'sqlite:$work/store-$n.sqlite' $binds '$q' >/dev/null"
      row="$row $W |"
    fi
    if [ "$n" -le 10000 ]; then
      # (roqet exits 2 after a warning, such as an empty answer.  The
      # query keeps its last line end: rasqal fails on a final comment
      # without one.)
      limited "$ref_limit" "q=\$(cat '$work/pack/$name.rq'; printf x); roqet -q -r csv -i sparql -D '$dump' -e \"\${q%x}\" || [ \$? = 2 ]"
      row="$row $W | $rows |"
    else
      row="$row not run | $rows |"
    fi
    out "$row"
  done
  out ""
  out "- Slowest pack query on the $n-article bdb store: $slowest_name, $slowest s (target < 1 s)."
}

for n in $sizes; do
  make_corpus "$n"
done
if [ "$mode" = all ]; then
  for n in $sizes; do
    export_size "$n"
  done
  set -- $sizes
  if [ $# -ge 2 ]; then
    small=${@: -2:1}
    large=${@: -1}
    rs=$(eval echo "\$rss_nt_$small")
    rl=$(eval echo "\$rss_nt_$large")
    is=$(eval echo "\$index_$small")
    il=$(eval echo "\$index_$large")
    out ""
    out "## Memory as the corpus grows"
    out ""
    out "Peak RSS of the N-Triples export: $rs MiB at $small articles, $rl MiB at $large; id index $is KiB and $il KiB."
    limit=$(echo "scale=1; $rs * 1.1 + ($il - $is) / 1024" | bc)
    verdict=$(echo "$rl <= $limit" | bc)
    out "Target: at most 10% above the smaller figure plus the index's growth, $limit MiB: $([ "$verdict" = 1 ] && echo met || echo NOT met)."
    fs=$(eval echo "\$files_$small")
    fl=$(eval echo "\$files_$large")
    limit2=$(echo "scale=1; $limit + ($fl - $fs) / 1024" | bc)
    verdict=$(echo "$rl <= $limit2" | bc)
    out "The list of input files (a name and a 48-byte entry a file) grew from $fs to $fl KiB; with its growth as well, $limit2 MiB: $([ "$verdict" = 1 ] && echo met || echo NOT met)."
  fi
fi
# Parameters of the pack's queries 1, 8 and 12: the gazetteer's first two
# countries (the generator's entities are not the seed's).
first_corpus=$(corpus_of "${sizes%% *}")
ent_a=$(awk '/^  - id:/ {id=$3} /^    type: Country/ {print id}' "$first_corpus/entities.yaml" | sed -n 1p)
ent_b=$(awk '/^  - id:/ {id=$3} /^    type: Country/ {print id}' "$first_corpus/entities.yaml" | sed -n 2p)
explain_pack
for n in $sizes; do
  if [ "$n" -le "$store_max" ]; then
    store_size "$n"
  fi
done
cp "$md" "$report"
echo "bench: wrote $report" >&2

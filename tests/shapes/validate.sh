#!/bin/sh
# Validates RDF against ontology/shapes.ttl with Apache Jena's SHACL
# validator (Debian's libapache-jena-java, made runnable by the workplace's
# jena-setup.sh), together with the ontology, as the shapes expect.
#
#   tests/shapes/validate.sh DATA.nt [REPORT.ttl]
#
# Prints "violations N warnings M" and exits 0 when the validator ran
# (whatever it found), 2 when it could not run.  The report (Turtle) goes to
# REPORT.ttl if given.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$1
report=${2:-/dev/null}
jena=${DIPKG_JENA_DIR:-$root/build/jena}
setup=$root/../shared/tools/jena-setup.sh
if [ ! -x "$jena/jena-shacl" ]; then
  if [ ! -e /usr/share/java/jena-core.jar ]; then
    echo "validate.sh: Apache Jena is not installed (scripts/deps.sh model installs libapache-jena-java)" >&2
    exit 2
  fi
  if [ ! -f "$setup" ]; then
    echo "validate.sh: $setup is missing: it makes Debian's Jena runnable" >&2
    exit 2
  fi
  mkdir -p "$jena"
  (cd "$jena" && PROBE_DIR="$jena" bash "$setup" >/dev/null)
fi
onto=$(mktemp --suffix=.nt)
trap 'rm -f "$onto" "$onto.report"' EXIT
for f in "$root"/ontology/*.ttl; do
  [ "$(basename "$f")" = shapes.ttl ] && continue
  rapper -q -i turtle -o ntriples "$f"
done > "$onto"
cat "$data" >> "$onto"
PROBE_DIR="$jena" JVM_ARGS=-Xmx2g "$jena/jena-shacl" validate \
  --shapes "$root/ontology/shapes.ttl" --data "$onto" > "$onto.report" 2>&1 || {
  echo "validate.sh: the validator failed:" >&2
  cat "$onto.report" >&2
  exit 2
}
cp "$onto.report" "$report"
grep -q "sh:conforms *\(true\|false\)" "$onto.report" || {
  echo "validate.sh: no validation report:" >&2
  cat "$onto.report" >&2
  exit 2
}
v=$(grep -c "sh:resultSeverity *sh:Violation" "$onto.report" || true)
w=$(grep -c "sh:resultSeverity *sh:Warning" "$onto.report" || true)
echo "violations $v warnings $w"

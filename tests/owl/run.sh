#!/bin/sh
# Runs the OWL checks of tests/owl on Debian's Java libraries:
#   tests/owl/run.sh profile FILE.ttl...      OWL 2 DL profile (the OWL API)
#   tests/owl/run.sh consistency [--prov-activity] FILE...
#                                              consistency (Jena's OWL reasoner)
# The programs are compiled into build/owl on first use.  Exit status: the
# program's, or 2 when it cannot run.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${DIPKG_OWL_DIR:-$root/build/owl}
jena=${DIPKG_JENA_DIR:-$root/build/jena}
what=$1
shift
owlapi_cp() {
  cp=/usr/share/java/owlapi-distribution.jar
  for j in guava caffeine commons-codec commons-io commons-logging \
           commons-rdf-api jsr305 hppcrt slf4j-api slf4j-simple xz \
           atinject-jsr330-api jackson-core jackson-databind \
           jackson-annotations; do
    [ -e /usr/share/java/$j.jar ] && cp=$cp:/usr/share/java/$j.jar
  done
  for j in /usr/share/java/rdf4j*.jar; do [ -e "$j" ] && cp=$cp:$j; done
  echo "$cp"
}
need() {
  [ -e "$1" ] || { echo "run.sh: $1 is missing ($2)" >&2; exit 2; }
}
command -v javac >/dev/null || { echo "run.sh: javac is missing (scripts/deps.sh model)" >&2; exit 2; }
mkdir -p "$out"
case $what in
  profile)
    need /usr/share/java/owlapi-distribution.jar "scripts/deps.sh model installs libowlapi-java"
    cp=$(owlapi_cp)
    [ "$out/ProfileCheck.class" -nt "$root/tests/owl/ProfileCheck.java" ] ||
      javac -nowarn -d "$out" -cp "$cp" "$root/tests/owl/ProfileCheck.java"
    exec java -cp "$out:$cp" ProfileCheck "$@" ;;
  consistency)
    if [ ! -f "$jena/jena_classpath.txt" ]; then
      need /usr/share/java/jena-core.jar "scripts/deps.sh model installs libapache-jena-java"
      need "$root/../shared/tools/jena-setup.sh" "it makes Debian's Jena runnable"
      mkdir -p "$jena"
      (cd "$jena" && PROBE_DIR="$jena" bash "$root/../shared/tools/jena-setup.sh" >/dev/null)
    fi
    cp=$(cat "$jena/jena_classpath.txt")
    [ "$out/Consistency.class" -nt "$root/tests/owl/Consistency.java" ] ||
      javac -nowarn -d "$out" -cp "$cp" "$root/tests/owl/Consistency.java"
    exec java -cp "$out:$cp" Consistency "$@" ;;
  *) echo "run.sh: profile or consistency" >&2; exit 2 ;;
esac

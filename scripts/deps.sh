#!/bin/sh
# Installs the Debian packages dipkg needs, if any is missing; does nothing
# when everything is present.  Uses sudo when not root.  Without arguments:
# what building and running needs; `check`, `bench`, ... add the tools of
# those targets.
set -eu

missing=""
need_pkg() { # pkg-config module, Debian package
  if ! pkg-config --exists "$1" 2>/dev/null; then missing="$missing $2"; fi
}
need_cmd() { # command, Debian package
  if ! command -v "$1" >/dev/null 2>&1; then missing="$missing $2"; fi
}
need_redland_storage() { # storage module, Debian package
  for f in /usr/lib/*/redland/librdf_storage_"$1".so /usr/lib/redland/librdf_storage_"$1".so; do
    [ -e "$f" ] && return 0
  done
  missing="$missing $2"
}

# What building and running dipkg needs (`make`, `make run`).
need_cmd cc gcc
need_cmd make make
need_cmd pkg-config pkg-config
need_pkg raptor2 libraptor2-dev
need_pkg redland librdf0-dev
need_pkg rasqal librasqal3-dev
need_pkg yaml-0.1 libyaml-dev
need_pkg sqlite3 libsqlite3-dev
need_pkg zlib zlib1g-dev          # gzip inputs and outputs (.ttl.gz, -o x.nq.gz)
need_pkg jansson libjansson-dev    # JSON-LD writer
need_pkg libmicrohttpd libmicrohttpd-dev  # dipkg serve
need_pkg libcurl libcurl4-openssl-dev  # query --endpoint, push
need_redland_storage sqlite librdf-storage-sqlite

# Extras for some targets: scripts/deps.sh check|bench|fuzz|valgrind|lint|conformance|crosscheck ...
for extra in "$@"; do
  case "$extra" in
    check) need_pkg check check
           need_cmd rapper raptor2-utils      # independent parser for the round-trip tests
           need_cmd serdi serdi               # second independent parser
           need_cmd jq jq                     # independent JSON parser for the result tests
           need_cmd xmllint libxml2-utils     # independent XML parser for the result tests
           need_cmd groff groff-base          # renders the man pages (check_install)
           need_cmd script bsdutils           # a terminal for the progress tests
           /usr/bin/python3 -c 'import jsonschema' 2>/dev/null ||
             missing="$missing python3-jsonschema"  # PLOVER records (check_plover)
           [ -e /usr/share/bash-completion/bash_completion ] ||
             missing="$missing bash-completion"  # runs the completion (check_install)
           ;;
    fuzz) need_cmd clang clang ;;  # libFuzzer comes with Debian's clang
    valgrind) need_cmd valgrind valgrind ;;
    lint) need_cmd cppcheck cppcheck; need_cmd clang-tidy clang-tidy ;;
    format) need_cmd clang-format clang-format ;;
    model)  # SHACL and OWL checks by Jena and the OWL API (check_shapes, check_owl)
            [ -e /usr/share/java/jena-core.jar ] || missing="$missing libapache-jena-java"
            [ -e /usr/share/java/owlapi-distribution.jar ] || missing="$missing libowlapi-java"
            need_cmd javac default-jdk-headless
            need_cmd unzip unzip ;;
    # The tests against other engines: Oxigraph in Node (npm) and a real
    # Virtuoso (tests/virtuoso/virtuoso.sh; its debconf question, the
    # password of the system database, which the tests do not use, is
    # skipped by DEBIAN_FRONTEND=noninteractive below).
    stores) need_cmd node nodejs; need_cmd npm npm
            need_cmd virtuoso-t virtuoso-opensource-7
            need_cmd curl curl; need_cmd ps procps ;;
    crosscheck) need_cmd node nodejs; need_cmd npm npm ;;  # tests/crosscheck (Oxigraph)
    bench) need_cmd rapper raptor2-utils   # the reference parser of the benchmark
           need_cmd roqet rasqal-utils     # rasqal's own query tool, for the benchmark
           need_cmd rdfproc redland-utils  # Redland's own store tool, for the benchmark
           need_cmd serdi serdi            # the reference serialiser of the benchmark
           [ -x /usr/bin/time ] || missing="$missing time"  # peak RSS
           need_cmd bc bc ;;
    serve) need_cmd curl curl; need_cmd chromium chromium
           [ -d /usr/lib/python3/dist-packages/SPARQLWrapper ] ||
             missing="$missing python3-sparqlwrapper" ;;
    bench-serve) need_cmd wrk wrk ;;
    conformance) /usr/bin/python3 -c 'import rdflib' 2>/dev/null ||
                   missing="$missing python3-rdflib" ;;  # tests/w3c/run.py
    *) echo "dipkg: deps.sh: unknown extra '$extra'" >&2; exit 2 ;;
  esac
done

[ -z "$missing" ] && exit 0

echo "dipkg: installing missing packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "dipkg: not root and no sudo; install these packages:$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! $sudo apt-get install -y --no-install-recommends $missing; then
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends $missing
fi

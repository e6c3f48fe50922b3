#!/bin/sh
# Installs the Debian packages dipkg needs to build and test, if any is
# missing; does nothing when everything is present.  Uses sudo when not root.
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

need_cmd cc gcc
need_cmd make make
need_cmd pkg-config pkg-config
need_pkg raptor2 libraptor2-dev
need_pkg redland librdf0-dev
need_pkg rasqal librasqal3-dev
need_pkg yaml-0.1 libyaml-dev
need_pkg sqlite3 libsqlite3-dev
need_redland_storage sqlite librdf-storage-sqlite
need_cmd jq jq                     # independent JSON parser for the result tests
need_cmd xmllint libxml2-utils     # independent XML parser for the result tests
need_cmd roqet rasqal-utils        # rasqal's own query tool, for the benchmark
need_cmd rdfproc redland-utils     # Redland's own store tool, for the benchmark
need_pkg check check
need_cmd rapper raptor2-utils      # independent parser for the round-trip tests
need_cmd serdi serdi               # second independent parser

# Extras for some targets: scripts/deps.sh fuzz|valgrind|lint|bench|conformance ...
for extra in "$@"; do
  case "$extra" in
    fuzz) need_cmd clang clang ;;  # libFuzzer comes with Debian's clang
    valgrind) need_cmd valgrind valgrind ;;
    lint) need_cmd cppcheck cppcheck; need_cmd clang-tidy clang-tidy ;;
    bench) [ -x /usr/bin/time ] || missing="$missing time"  # peak RSS
           need_cmd bc bc ;;
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

#!/bin/bash
# A private, throw-away Virtuoso Open Source (Debian's virtuoso-opensource-7)
# for tests: its own database directory and free loopback ports.
#
#   tests/virtuoso/virtuoso.sh start DIR [OWNER]  # prints "HTTP_PORT SQL_PORT PID"
#   tests/virtuoso/virtuoso.sh kill DIR    # kills it (SIGKILL), keeps DIR
#   tests/virtuoso/virtuoso.sh restart DIR # starts it again on DIR's ports
#   tests/virtuoso/virtuoso.sh stop DIR    # stops it and removes DIR
#
# DIR must not exist (start) and is removed by stop.  The server answers
# SPARQL on http://127.0.0.1:HTTP_PORT/sparql and the Graph Store Protocol
# on /sparql-graph-crud-auth (user dba, password dba: a new database's).
# start waits until the HTTP port answers (60 s at most) and fails with the
# server's log otherwise.
#
# OWNER, a process id (a test's own): the server is stopped, and DIR
# removed, once that process is gone, however it ended (exit, a signal,
# SIGKILL), by a watcher that start and restart leave beside the server.
# Without OWNER the server runs until stop.
set -eu

ini_src=/etc/virtuoso-opensource-7/virtuoso.ini
exe=/usr/bin/virtuoso-t
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

# A loopback port nothing listens on (bash's /dev/tcp: no other tool).
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
}

start() {
  dir=$1
  [ -x "$exe" ] || { echo "virtuoso.sh: $exe is missing (apt-get install virtuoso-opensource-7)" >&2; exit 1; }
  [ ! -e "$dir" ] || { echo "virtuoso.sh: $dir exists" >&2; exit 1; }
  mkdir -p "$dir/db" "$dir/load"
  dir=$(cd "$dir" && pwd)
  http=$(free_port)
  sql=$(free_port)
  while [ "$sql" = "$http" ]; do sql=$(free_port); done
  # The Debian configuration with the database files, the two ports and a
  # modest cache changed: VIRTUOSO_BUFFERS pages of 8 KiB (default 20000,
  # 160 MiB; Debian's virtuoso.ini suggests 170000 for 2 GB of memory).
  # VIRTUOSO_MAX_ROWS: ResultSetMaxRows, the most rows (and Graph Store
  # triples) one answer holds, silently cut past it (Debian's: 10000).
  buffers=${VIRTUOSO_BUFFERS:-20000}
  max_rows=${VIRTUOSO_MAX_ROWS:-10000}
  case "$buffers$max_rows" in
    *[!0-9]*) echo "virtuoso.sh: VIRTUOSO_BUFFERS and VIRTUOSO_MAX_ROWS must be numbers" >&2; exit 2 ;;
  esac
  sed -e "s|/var/lib/virtuoso-opensource-7/db|$dir/db|g" \
      -e "s|^ServerPort *= *1111|ServerPort = 127.0.0.1:$sql|" \
      -e "s|^ServerPort *= *8890|ServerPort = 127.0.0.1:$http|" \
      -e "s|^DirsAllowed *=.*|DirsAllowed = ., $dir/load, /usr/share/virtuoso-opensource-7/vad|" \
      -e "s|^NumberOfBuffers *=.*|NumberOfBuffers = $buffers|" \
      -e "s|^MaxDirtyBuffers *=.*|MaxDirtyBuffers = $((buffers * 3 / 4))|" \
      -e "s|^ResultSetMaxRows *=.*|ResultSetMaxRows = $max_rows|" \
      "$ini_src" > "$dir/virtuoso.ini"
  echo "$http $sql" > "$dir/ports"
  if [ -n "${2:-}" ]; then
    # The owner's start time beside its id: a later process given the
    # same id is not the owner.
    st=$(started "$2") || { echo "virtuoso.sh: no process $2" >&2; exit 1; }
    echo "$2 $st" > "$dir/owner"
  fi
  run "$dir"
}

# The start time of process $1 (field 22 of its stat, counted after the
# command name, which may hold spaces); fails if there is no such process.
started() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  echo "${stat##*) }" | cut -d' ' -f20
}

# Watches the server $2 of DIR $1 for its owner: stops it once the owner
# is gone; ends when the server does.
watch() {
  local dir=$1 pid=$2 owner st
  read -r owner st < "$dir/owner"
  while alive "$pid"; do
    if [ "$(started "$owner" || true)" != "$st" ]; then
      stop "$dir"
      return
    fi
    sleep 1
  done
}

# Runs the server of DIR and waits until it answers.
run() {
  dir=$1
  read -r http sql < "$dir/ports"
  # setsid: its own session, so that a terminal's signals do not reach it.
  (cd "$dir/db" && exec setsid "$exe" +configfile "$dir/virtuoso.ini" \
     +foreground >> "$dir/server.out" 2>&1) &
  pid=$!
  echo "$pid" > "$dir/pid"
  i=0
  while :; do
    if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$http/sparql?query=ASK%7B%7D"; then
      break
    fi
    if ! alive "$pid" || [ $i -ge 120 ]; then
      echo "virtuoso.sh: the server did not start:" >&2
      tail -20 "$dir/db/virtuoso.log" "$dir/server.out" >&2 2>/dev/null || true
      kill "$pid" 2>/dev/null || true
      exit 1
    fi
    i=$((i + 1))
    sleep 0.5
  done
  if [ -f "$dir/owner" ]; then
    # Its own session and no inherited descriptors: a caller reading this
    # script's output to its end does not wait for the watcher.
    setsid "$self" watch "$dir" "$pid" </dev/null >/dev/null 2>&1 &
  fi
  echo "$http $sql $pid"
}

stop() {
  dir=$1
  [ -f "$dir/pid" ] || { rm -rf "$dir"; return 0; }
  pid=$(cat "$dir/pid")
  kill "$pid" 2>/dev/null || true
  i=0
  while alive "$pid" && [ $i -lt 60 ]; do sleep 0.5; i=$((i + 1)); done
  kill -9 "$pid" 2>/dev/null || true
  rm -rf "$dir"
}

# Whether process $1 still runs (a zombie no longer does: whoever
# inherited it may not reap it soon).
alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  case "$state" in Z*) return 1 ;; esac
  return 0
}

kill9() {
  dir=$1
  pid=$(cat "$dir/pid")
  kill -9 "$pid" 2>/dev/null || true
  i=0
  while alive "$pid" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}

case "${1:-}" in
  start) start "$2" "${3:-}" ;;
  watch) watch "$2" "$3" ;;
  restart) run "$(cd "$2" && pwd)" ;;
  kill) kill9 "$2" ;;
  stop) stop "$2" ;;
  *) echo "usage: virtuoso.sh start DIR [OWNER] | kill|restart|stop DIR" >&2; exit 2 ;;
esac

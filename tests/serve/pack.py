#!/usr/bin/python3
# The query pack through a SPARQL client no one here wrote (SPARQLWrapper,
# Debian's python3-sparqlwrapper): every queries/*.rq sent to the running
# server's /sparql (GET for half, POST for the others) must give the same
# CSV as `dipkg query -f csv QUERY INPUT`, and the JSON results the same
# number of rows.
# Usage: /usr/bin/python3 tests/serve/pack.py ENDPOINT DIPKG INPUT QUERY...
import csv
import io
import subprocess
import sys

from SPARQLWrapper import CSV, GET, JSON, POST, SPARQLWrapper


def main():
    endpoint, dipkg, data = sys.argv[1:4]
    failed = 0
    for i, path in enumerate(sys.argv[4:]):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        want = subprocess.run([dipkg, "query", "-f", "csv", path, data],
                              check=True, capture_output=True).stdout
        # SPARQLWrapper guesses the query form with a regular expression that
        # reads words of comments ("add", "drop") as SPARQL Update and then
        # sends update=...: give it the query without its comment lines, but
        # for dipkg's own first-line directives ("# dipkg: with-ontology").
        text = "".join(line for line in text.splitlines(True)
                       if not line.lstrip().startswith("#")
                       or line.startswith("# dipkg:"))
        client = SPARQLWrapper(endpoint)
        client.setQuery(text)
        client.setMethod(GET if i % 2 == 0 else POST)
        client.setReturnFormat(CSV)
        got = client.query().convert()
        client.setReturnFormat(JSON)
        rows = client.query().convert()["results"]["bindings"]
        want_rows = len(list(csv.reader(io.StringIO(want.decode())))) - 1
        if got != want or len(rows) != want_rows:
            failed += 1
            print(f"FAIL {path}: {len(rows)} JSON rows, {want_rows} expected")
            print(got.decode()[:400])
            print(want.decode()[:400])
        else:
            print(f"ok {path}: {want_rows} rows")
    print(f"pack over SPARQLWrapper: {len(sys.argv) - 4} queries, "
          f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

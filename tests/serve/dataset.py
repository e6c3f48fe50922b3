#!/usr/bin/python3
# The SPARQL 1.1 Protocol's dataset parameters sent by a client no one here
# wrote (SPARQLWrapper's addDefaultGraph and addNamedGraph, Debian's
# python3-sparqlwrapper), by GET and by POST: each answer must be the CSV
# that `dipkg query -f csv` gives for the same graphs named in the query.
# Usage: /usr/bin/python3 tests/serve/dataset.py ENDPOINT DIPKG INPUT
import subprocess
import sys
import warnings

from SPARQLWrapper import CSV, GET, POST, SPARQLWrapper

G = "https://example.org/dipkg/graph/"
JAPAN, TOKYO = G + "entity/japan", G + "entity/tokyo"
ARTICLE = G + "ap-2023-03-23-japan-south-korea-export-claims"
MISSING = "https://nowhere.example/graph"

# (what, query sent, default graphs, named graphs, the query for dipkg).
CASES = [
    ("two default graphs merge",
     "SELECT DISTINCT ?s ?l WHERE { ?s rdfs:label ?l "
     "FILTER(lang(?l) = 'en') } ORDER BY ?s ?l",
     [JAPAN, TOKYO], [],
     "SELECT DISTINCT ?s ?l WHERE { GRAPH ?g { ?s rdfs:label ?l } "
     f"FILTER(?g IN (<{JAPAN}>, <{TOKYO}>) && lang(?l) = 'en') }} "
     "ORDER BY ?s ?l"),
    ("named graphs, one the data lacks",
     "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
     "GROUP BY ?g ORDER BY ?g",
     [], [JAPAN, MISSING, TOKYO],
     "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
     f"FILTER(?g IN (<{JAPAN}>, <{TOKYO}>)) }} GROUP BY ?g ORDER BY ?g"),
    ("default and named graphs together",
     "SELECT DISTINCT ?s ?g WHERE { ?s a dip:Country . GRAPH ?g { ?s a ?c } "
     "} ORDER BY ?s ?g",
     [JAPAN], [TOKYO, JAPAN],
     "SELECT DISTINCT ?s ?g WHERE { GRAPH ?d { ?s a dip:Country } "
     "GRAPH ?g { ?s a ?c } "
     f"FILTER(?d = <{JAPAN}> && ?g IN (<{TOKYO}>, <{JAPAN}>)) }} "
     "ORDER BY ?s ?g"),
    ("the query's FROM and FROM NAMED overridden",
     f"SELECT DISTINCT ?s ?g FROM <{ARTICLE}> FROM NAMED <{ARTICLE}> "
     "WHERE { ?s a dip:City . GRAPH ?g { ?c a dip:Country } } "
     "ORDER BY ?s ?g",
     [TOKYO], [JAPAN],
     "SELECT DISTINCT ?s ?g WHERE { GRAPH ?d { ?s a dip:City } "
     "GRAPH ?g { ?c a dip:Country } "
     f"FILTER(?d = <{TOKYO}> && ?g = <{JAPAN}>) }} ORDER BY ?s ?g"),
    ("a default graph the data lacks is empty",
     "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", [MISSING], [],
     "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(false) }"),
]


def main():
    endpoint, dipkg, data = sys.argv[1:4]
    warnings.simplefilter("ignore", DeprecationWarning)
    failed = n = 0
    for what, query, defaults, named, local in CASES:
        want = subprocess.run([dipkg, "query", "-f", "csv", "-e", local, data],
                              check=True, capture_output=True).stdout
        for method in (GET, POST):
            client = SPARQLWrapper(endpoint)
            client.setQuery(query)
            client.setMethod(method)
            client.setReturnFormat(CSV)
            for g in defaults:
                client.addDefaultGraph(g)
            for g in named:
                client.addNamedGraph(g)
            got = client.query().convert()
            n += 1
            rows = want.count(b"\n") - 1
            if got != want or rows < 1:  # every case has an answer
                failed += 1
                print(f"FAIL {what} ({method})")
                print(got.decode()[:400])
                print(want.decode()[:400])
            else:
                print(f"ok {what} ({method}): {rows} rows")
    print(f"dataset over SPARQLWrapper: {n} requests, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""W3C SPARQL 1.0 and 1.1 query test suites against `dipkg query`.

Runs every mf:QueryEvaluationTest, mf:CSVResultFormatTest and positive or
negative query syntax test of the suites' sparql10/ and sparql11/ folders
(not update, protocol, service, entailment or graph-store) and classifies
each outcome:

  PASS            the same answer
  PASS-VALUE      the same answer up to the lexical form of some literals
                  whose values are equal ("1.0E6" for "1.0e6")
  WRONG           exit 0 with a different answer (or an invalid query
                  accepted)
  REFUSED         exit 2 with dipkg's message
  ERROR           any other exit, or output that cannot be read
  TIMEOUT         no answer within the per-test timeout
  NOT-COMPARABLE  the test cannot be run as dipkg is used (with the reason)

Usage: run.py [--suites DIR] [--exe ./dipkg] [--jobs 2] [--timeout 20]
              [--out docs/conformance.md] [--only SUBSTRING] [-v]
Exits 1 when any test is WRONG.  Runs on Debian's python3-rdflib.
"""

import argparse
import collections
import concurrent.futures
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from decimal import Decimal, InvalidOperation

import rdflib
from rdflib import RDF, Graph, Literal, URIRef, BNode
from rdflib.compare import isomorphic

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
RS = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
DAWGT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# The manifests of query tests; update, protocol, service, entailment and
# graph-store tests are not included by these.
MANIFESTS = [
    ("sparql10", "sparql10/manifest.ttl"),
    ("sparql11", "sparql11/manifest-sparql11-query.ttl"),
    ("sparql11", "sparql11/manifest-sparql11-results.ttl"),
]
EXCLUDED_FOLDERS = {"entailment", "service", "protocol", "graph-store-protocol",
                    "http-rdf-update", "service-description"}

EVAL_TYPES = {MF.QueryEvaluationTest, MF.CSVResultFormatTest}
POS_SYNTAX = {MF.PositiveSyntaxTest, MF.PositiveSyntaxTest11}
NEG_SYNTAX = {MF.NegativeSyntaxTest, MF.NegativeSyntaxTest11}


class Test:
    def __init__(self, suite, folder, uri, name, kind):
        self.suite, self.folder, self.uri, self.name = suite, folder, uri, name
        self.kind = kind          # eval, csv, positive, negative
        self.query = None         # path
        self.data = []            # paths of the default graph
        self.graph_data = []      # paths of the named graphs
        self.result = None        # path of the expected result
        self.lax = False          # mf:LaxCardinality (REDUCED): repeats optional


def local_path(uri):
    s = str(uri)
    if not s.startswith("file://"):
        return None
    from urllib.parse import unquote
    return unquote(s[len("file://"):])


def rdf_list(g, head):
    out = []
    while head and head != RDF.nil:
        out.append(g.value(head, RDF.first))
        head = g.value(head, RDF.rest)
    return out


def load_manifest(root, suite, path, seen, tests):
    path = os.path.realpath(path)
    if path in seen or not os.path.exists(path):
        return
    seen.add(path)
    folder = os.path.basename(os.path.dirname(path))
    if folder in EXCLUDED_FOLDERS:
        return
    g = Graph()
    g.parse(path, format="turtle", publicID="file://" + path)
    for m in g.subjects(RDF.type, MF.Manifest):
        for inc in g.objects(m, MF.include):
            for item in rdf_list(g, inc):
                p = local_path(item)
                if p:
                    load_manifest(root, suite, p, seen, tests)
        for entries in g.objects(m, MF.entries):
            for t in rdf_list(g, entries):
                types = set(g.objects(t, RDF.type))
                if g.value(t, DAWGT.approval) == DAWGT.Withdrawn:
                    continue
                if types & EVAL_TYPES:
                    kind = "csv" if MF.CSVResultFormatTest in types else "eval"
                elif types & POS_SYNTAX:
                    kind = "positive"
                elif types & NEG_SYNTAX:
                    kind = "negative"
                else:
                    continue  # update, protocol, ...
                name = str(g.value(t, MF.name) or t).strip()
                test = Test(suite, folder, str(t), name, kind)
                action = g.value(t, MF.action)
                if kind in ("positive", "negative"):
                    test.query = local_path(action)
                else:
                    test.query = local_path(g.value(action, QT.query))
                    test.data = sorted(local_path(d) for d in g.objects(action, QT.data))
                    test.graph_data = sorted(local_path(d) for d in g.objects(action, QT.graphData))
                    test.lax = g.value(t, MF.resultCardinality) == MF.LaxCardinality
                    res = g.value(t, MF.result)
                    test.result = local_path(res) if res is not None else None
                tests.append(test)


# ------------------------------------------------------------- terms
# A term is ('uri', iri), ('bnode', label) or ('lit', lexical, datatype,
# lang); plain literals have the datatype xsd:string (RDF 1.1), language
# tags are compared in lower case.

def lit(lex, dt=None, lang=None):
    if lang:
        return ("lit", lex, RDF_LANGSTRING, lang.lower())
    return ("lit", lex, dt or XSD + "string", None)


def from_rdflib(t):
    if t is None:
        return None
    if isinstance(t, URIRef):
        return ("uri", str(t))
    if isinstance(t, BNode):
        return ("bnode", str(t))
    if isinstance(t, Literal):
        return lit(str(t), str(t.datatype) if t.datatype else None, t.language)
    raise ValueError("unknown term %r" % (t,))


def from_json(b):
    ty = b.get("type")
    if ty == "uri":
        return ("uri", b["value"])
    if ty == "bnode":
        return ("bnode", b["value"])
    if ty in ("literal", "typed-literal"):
        return lit(b["value"], b.get("datatype"), b.get("xml:lang"))
    raise ValueError("unknown JSON term type %r" % ty)


NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int",
                              "long", "short", "byte", "nonNegativeInteger",
                              "positiveInteger", "negativeInteger",
                              "nonPositiveInteger", "unsignedInt",
                              "unsignedLong", "unsignedShort", "unsignedByte")}


def value_form(term):
    """The term with its lexical form replaced by a canonical form of its
    value where the datatype has one (same datatype only)."""
    if not term or term[0] != "lit":
        return term
    _, lex, dt, lang = term
    s = lex.strip()
    try:
        if dt in (XSD + "double", XSD + "float"):
            v = float(s)
            return ("lit", repr(v), dt, lang)
        if dt in NUMERIC:
            d = Decimal(s)
            return ("lit", str(d.normalize()) if d != 0 else "0", dt, lang)
        if dt == XSD + "boolean":
            return ("lit", {"1": "true", "0": "false"}.get(s, s), dt, lang)
        if dt in (XSD + "date", XSD + "dateTime", XSD + "time") and \
                (s.endswith("+00:00") or s.endswith("-00:00")):
            return ("lit", s[:-6] + "Z", dt, lang)  # one time zone, UTC
    except (ValueError, InvalidOperation):
        pass
    return term


# ----------------------------------------------------------- results
class Answer:
    """A query's answer: kind 'bindings' (vars, rows), 'boolean' or 'graph'."""

    def __init__(self, kind, vars=None, rows=None, boolean=None, graph=None):
        self.kind, self.vars, self.rows = kind, vars, rows
        self.boolean, self.graph = boolean, graph


def parse_srx(path):
    import xml.etree.ElementTree as ET
    ns = "{http://www.w3.org/2005/sparql-results#}"
    root = ET.parse(path).getroot()
    vars = [v.get("name") for v in root.iter(ns + "variable")]
    b = root.find(ns + "boolean")
    if b is not None:
        return Answer("boolean", boolean=b.text.strip() == "true")
    rows = []
    for r in root.iter(ns + "result"):
        row = {}
        for bd in r.findall(ns + "binding"):
            el = list(bd)[0]
            tag = el.tag[len(ns):]
            if tag == "uri":
                row[bd.get("name")] = ("uri", el.text or "")
            elif tag == "bnode":
                row[bd.get("name")] = ("bnode", el.text or "")
            else:
                row[bd.get("name")] = lit(el.text or "", el.get("datatype"),
                                          el.get("{http://www.w3.org/XML/1998/namespace}lang"))
        rows.append(row)
    return Answer("bindings", vars=vars, rows=rows)


def parse_srj(text):
    j = json.loads(text)
    if "boolean" in j:
        return Answer("boolean", boolean=bool(j["boolean"]))
    vars = j.get("head", {}).get("vars", [])
    rows = [{k: from_json(v) for k, v in b.items()}
            for b in j.get("results", {}).get("bindings", [])]
    return Answer("bindings", vars=vars, rows=rows)


def parse_rdf_result(path, fmt):
    g = Graph()
    g.parse(path, format=fmt, publicID="file://" + path)
    rs = g.value(None, RDF.type, RS.ResultSet)
    if rs is None:
        return Answer("graph", graph=g)
    b = g.value(rs, RS.boolean)
    if b is not None:
        return Answer("boolean", boolean=bool(b.toPython()))
    vars = [str(v) for v in g.objects(rs, RS.resultVariable)]
    rows = []
    indexed = []
    for sol in g.objects(rs, RS.solution):
        row = {}
        for bd in g.objects(sol, RS.binding):
            row[str(g.value(bd, RS.variable))] = from_rdflib(g.value(bd, RS.value))
        idx = g.value(sol, RS["index"])  # RS.index is str.index
        indexed.append((int(idx) if idx is not None else 0, len(rows)))
        rows.append(row)
    if any(i for i, _ in indexed):
        rows = [rows[k] for _, k in sorted(indexed)]
    return Answer("bindings", vars=vars, rows=rows)


TSV_TERM = re.compile(r'^"(.*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?$', re.S)


def unescape_turtle(s):
    out, i = [], 0
    esc = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n in esc:
                out.append(esc[n]); i += 2; continue
            if n == "u":
                out.append(chr(int(s[i + 2:i + 6], 16))); i += 6; continue
            if n == "U":
                out.append(chr(int(s[i + 2:i + 10], 16))); i += 10; continue
        out.append(c)
        i += 1
    return "".join(out)


def tsv_term(cell):
    if cell == "":
        return None
    if cell.startswith("<") and cell.endswith(">"):
        return ("uri", cell[1:-1])
    if cell.startswith("_:"):
        return ("bnode", cell[2:])
    m = TSV_TERM.match(cell)
    if m:
        return lit(unescape_turtle(m.group(1)), m.group(3), m.group(2))
    if cell in ("true", "false"):
        return lit(cell, XSD + "boolean")
    if re.match(r"^[+-]?\d+$", cell):
        return lit(cell, XSD + "integer")
    if re.match(r"^[+-]?\d*\.\d+$", cell):
        return lit(cell, XSD + "decimal")
    if re.match(r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$", cell):
        return lit(cell, XSD + "double")
    raise ValueError("unreadable TSV term %r" % cell)


def parse_tsv(text):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [l[:-1] if l.endswith("\r") else l for l in lines]
    if not lines:
        raise ValueError("empty TSV")
    vars = [v[1:] if v[:1] in "?$" else v for v in lines[0].split("\t")] if lines[0] else []
    rows = []
    for l in lines[1:]:
        cells = l.split("\t")
        row = {}
        for v, c in zip(vars, cells):
            t = tsv_term(c)
            if t is not None:
                row[v] = t
        rows.append(row)
    return Answer("bindings", vars=vars, rows=rows)


def parse_csv(text):
    """CSV loses term kinds: every cell becomes ('csv', text), blank nodes
    ('bnode', label) when written _:label."""
    rd = list(csv.reader(io.StringIO(text, newline="")))
    if not rd:
        raise ValueError("empty CSV")
    vars = rd[0]
    rows = []
    for cells in rd[1:]:
        row = {}
        for v, c in zip(vars, cells):
            if c == "":
                continue
            row[v] = ("bnode", c[2:]) if c.startswith("_:") else ("csv", c)
        rows.append(row)
    return Answer("bindings", vars=vars, rows=rows)


def as_csv(term):
    if term is None or term[0] == "bnode":
        return term
    return ("csv", term[1])


def read_expected(path):
    ext = os.path.splitext(path)[1].lower()
    with open(path, "rb") as f:
        raw = f.read()
    if ext == ".srx":
        return parse_srx(path)
    if ext == ".srj":
        return parse_srj(raw.decode("utf-8"))
    if ext == ".tsv":
        return parse_tsv(raw.decode("utf-8"))
    if ext == ".csv":
        return parse_csv(raw.decode("utf-8"))
    if ext in (".ttl", ".nt"):
        return parse_rdf_result(path, "turtle")
    if ext in (".rdf", ".owl", ".xml"):
        return parse_rdf_result(path, "xml")
    raise ValueError("unknown result format %s" % ext)


# -------------------------------------------------------- comparison
def match_rows(exp, act, key):
    """True when the rows are equal as multisets (or sequences when
    `ordered`), blank nodes up to a consistent renaming."""
    exp = [{v: key(t) for v, t in r.items()} for r in exp]
    act = [{v: key(t) for v, t in r.items()} for r in act]
    if len(exp) != len(act):
        return False
    has_b = any(t and t[0] == "bnode" for r in exp + act for t in r.values())
    if not has_b:
        c1 = collections.Counter(frozenset(r.items()) for r in exp)
        c2 = collections.Counter(frozenset(r.items()) for r in act)
        return c1 == c2
    return bnode_match(exp, act)


def signature(row):
    return frozenset((v, ("bnode",) if t[0] == "bnode" else t) for v, t in row.items())


def bnode_match(exp, act, ordered=False):
    if len(exp) != len(act):
        return False
    if ordered:
        if [signature(r) for r in exp] != [signature(r) for r in act]:
            return False
    elif collections.Counter(map(signature, exp)) != collections.Counter(map(signature, act)):
        return False
    by_sig = collections.defaultdict(list)
    for j, r in enumerate(act):
        by_sig[signature(r)].append(j)
    used = [False] * len(act)
    fwd, back = {}, {}
    steps = [0]

    def row_ok(e, a, added):
        if set(e) != set(a):
            return False
        for v, t in e.items():
            u = a[v]
            if t[0] == "bnode" or u[0] == "bnode":
                if t[0] != u[0]:
                    return False
                if t[1] in fwd:
                    if fwd[t[1]] != u[1]:
                        return False
                elif u[1] in back:
                    return False
                else:
                    fwd[t[1]] = u[1]
                    back[u[1]] = t[1]
                    added.append(t[1])
            elif t != u:
                return False
        return True

    def undo(added):
        for b in added:
            back.pop(fwd.pop(b))

    def go(i):
        steps[0] += 1
        if steps[0] > 200000:
            raise TimeoutError("blank-node matching too long")
        if i == len(exp):
            return True
        cands = [i] if ordered else by_sig[signature(exp[i])]
        for j in cands:
            if used[j]:
                continue
            added = []
            if row_ok(exp[i], act[j], added):
                used[j] = True
                if go(i + 1):
                    return True
                used[j] = False
            undo(added)
        return False

    return go(0)


def order_keys(query_text):
    """The projected variables that the outermost ORDER BY sorts on, or None
    when it sorts on anything else (or there is no ORDER BY)."""
    m = list(re.finditer(r"\bORDER\s+BY\b(.*?)(?:\bLIMIT\b|\bOFFSET\b|\bVALUES\b|$)",
                         query_text, re.I | re.S))
    if not m:
        return None
    spec = m[-1].group(1).strip()
    keys = []
    for k in re.finditer(r"(ASC|DESC)?\s*\(?\s*[?$](\w+)\s*\)?|(\S+)", spec, re.I):
        if k.group(3):
            return None
        keys.append(k.group(2))
    return keys or None


def compare_bindings(test, exp, act, qtext, csv_mode):
    if set(exp.vars) != set(act.vars):
        return "WRONG", "variables %s, expected %s" % (sorted(act.vars), sorted(exp.vars))
    ordered = bool(re.search(r"\bORDER\s+BY\b", qtext, re.I))
    if test.lax:
        # Lax cardinality: the same distinct rows, each at most as often as
        # expected (REDUCED may drop repeats).
        def distinct(rows):
            out, seen = [], set()
            for r in rows:
                k = frozenset(r.items())
                if k not in seen:
                    seen.add(k)
                    out.append(r)
            return out
        if len(act.rows) <= len(exp.rows) and match_rows(distinct(exp.rows), distinct(act.rows), lambda t: t):
            return "PASS", ""
        return "WRONG", "%d rows, expected %d (lax cardinality)%s" % (
            len(act.rows), len(exp.rows), diff_hint(exp.rows, act.rows))
    for label, key in (("PASS", lambda t: t), ("PASS-VALUE", value_form)):
        k = (lambda t: as_csv(t)) if csv_mode else key
        if csv_mode and label == "PASS-VALUE":
            continue
        if not match_rows(exp.rows, act.rows, k):
            continue
        if not ordered:
            return label, ""
        e = [{v: k(t) for v, t in r.items()} for r in exp.rows]
        a = [{v: k(t) for v, t in r.items()} for r in act.rows]
        if bnode_match(e, a, ordered=True):
            return label, ""
        keys = order_keys(qtext)
        if keys and all(v in exp.vars for v in keys):
            ke = [tuple(r.get(v) for v in keys) for r in e]
            ka = [tuple(r.get(v) for v in keys) for r in a]
            if ke == ka:
                return label, ""  # ties in another order
        return "WRONG", "the rows in another order than ORDER BY fixes"
    n_e, n_a = len(exp.rows), len(act.rows)
    return "WRONG", "%d rows, expected %d%s" % (n_a, n_e, diff_hint(exp.rows, act.rows))


def term_str(t):
    if t is None:
        return "-"
    if t[0] == "uri":
        return "<%s>" % t[1]
    if t[0] == "bnode":
        return "_:" + t[1]
    if t[0] == "csv":
        return '"%s"' % t[1]
    _, lex, dt, lang = t
    if lang:
        return '"%s"@%s' % (lex, lang)
    if dt == XSD + "string":
        return '"%s"' % lex
    return '"%s"^^%s' % (lex, dt.replace(XSD, "xsd:"))


def row_str(r):
    return "{" + ", ".join("%s=%s" % (v, term_str(r[v])) for v in sorted(r)) + "}"


def diff_hint(exp, act):
    ce = collections.Counter(row_str(r) for r in exp)
    ca = collections.Counter(row_str(r) for r in act)
    extra = list((ca - ce).elements())[:2]
    missing = list((ce - ca).elements())[:2]
    s = ""
    if missing:
        s += "; missing " + " ".join(missing)
    if extra:
        s += "; unexpected " + " ".join(extra)
    return s[:400]


def normalised_graph(g, values):
    out = Graph()
    for s, p, o in g:
        if isinstance(o, Literal):
            t = from_rdflib(o)
            if values:
                t = value_form(t)
            o = Literal(t[1], lang=t[3]) if t[3] else Literal(t[1], datatype=URIRef(t[2]))
        out.add((s, p, o))
    return out


def compare(test, exp, act, qtext):
    if exp.kind != act.kind:
        return "WRONG", "a %s answer, expected a %s answer" % (act.kind, exp.kind)
    if exp.kind == "boolean":
        if exp.boolean == act.boolean:
            return "PASS", ""
        return "WRONG", "answered %s" % str(act.boolean).lower()
    if exp.kind == "graph":
        if len(exp.graph) != len(act.graph):
            return "WRONG", "%d triples, expected %d" % (len(act.graph), len(exp.graph))
        if isomorphic(normalised_graph(exp.graph, False), normalised_graph(act.graph, False)):
            return "PASS", ""
        if isomorphic(normalised_graph(exp.graph, True), normalised_graph(act.graph, True)):
            return "PASS-VALUE", ""
        return "WRONG", "%d triples, expected %d (not isomorphic)" % (len(act.graph), len(exp.graph))
    return compare_bindings(test, exp, act, qtext, test.kind == "csv" or test.result.endswith(".csv"))


# ------------------------------------------------------------ running
class Runner:
    def __init__(self, args):
        self.exe = os.path.abspath(args.exe)
        self.timeout = args.timeout
        self.tmp = tempfile.mkdtemp(prefix="dipkg-w3c-")
        self.empty = os.path.join(self.tmp, "empty.ttl")
        open(self.empty, "w").close()
        helptext = subprocess.run([self.exe, "query", "--help"], capture_output=True,
                                  text=True).stdout + subprocess.run(
            [self.exe, "query", "--help"], capture_output=True, text=True).stderr
        self.named_option = "--named-graph" in helptext
        self.merge_option = "--default-graph" in helptext

    def run(self, argv):
        try:
            p = subprocess.run(argv, capture_output=True, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return None, b"", b""
        return p.returncode, p.stdout, p.stderr

    def first_message(self, err):
        lines = [l for l in err.decode("utf-8", "replace").splitlines() if l.strip()]
        for l in lines:
            if "error" in l:
                return re.sub(r"^\S*?:(\d+:\d+:)? ?", "", l).strip()[:300]
        return (lines[0] if lines else "(no message)")[:300]

    def syntax(self, t):
        rc, out, err = self.run([self.exe, "query", "--explain", t.query])
        if rc is None:
            return "TIMEOUT", ""
        if t.kind == "positive":
            if rc == 0:
                return "PASS", ""
            if rc == 2:
                return "REFUSED", self.first_message(err)
            return "ERROR", "exit %d: %s" % (rc, self.first_message(err))
        if rc == 2:
            return "PASS", ""
        if rc == 0:
            return "WRONG", "an invalid query accepted"
        return "ERROR", "exit %d: %s" % (rc, self.first_message(err))

    def evaluate(self, t):
        if not t.query or not t.result:
            return "NOT-COMPARABLE", "no query or no expected result"
        with open(t.query, encoding="utf-8", errors="replace") as f:
            qtext = f.read()
        ext = os.path.splitext(t.result)[1].lower()
        try:
            exp = read_expected(t.result)
        except Exception as e:  # the suite's file, not dipkg's answer
            return "NOT-COMPARABLE", "expected result unreadable by the runner: %s" % e
        named = list(t.graph_data)
        data = list(t.data)
        # FROM / FROM NAMED: the graphs the query names are the files beside
        # it, loaded as inputs (dipkg reads FROM <file> from the file's graph).
        if not t.data and not t.graph_data:
            for m in re.finditer(r"\bFROM\s+(?:NAMED\s+)?<([^>]*)>", qtext, re.I):
                p = os.path.realpath(os.path.join(os.path.dirname(t.query), m.group(1)))
                if os.path.exists(p) and p not in data:
                    data.append(p)
        if named and not self.named_option:
            return "NOT-COMPARABLE", "the dataset has named graphs: dipkg has no way to load a file as a named graph"
        if exp.kind == "graph":
            fmt = "ntriples"
        elif ext == ".tsv":
            fmt = "tsv"
        elif ext == ".csv":
            fmt = "csv"
        else:
            fmt = "json"
        argv = [self.exe, "query", "--no-closure", "-f", fmt]
        if self.merge_option:
            argv += ["--default-graph", "merge"]
        for n in named:
            argv += ["--named-graph", n]
        argv += data or ([] if named else [self.empty])
        argv.append(t.query)
        rc, out, err = self.run(argv)
        if rc is None:
            return "TIMEOUT", ""
        if rc == 2:
            return "REFUSED", self.first_message(err)
        if rc != 0:
            return "ERROR", "exit %d: %s" % (rc, self.first_message(err))
        try:
            text = out.decode("utf-8")
            if fmt == "ntriples":
                g = Graph()
                g.parse(data=text, format="nt")
                act = Answer("graph", graph=g)
            elif fmt == "tsv":
                act = parse_tsv(text)
                if exp.kind == "boolean":
                    act = Answer("boolean", boolean=text.strip().endswith("true"))
            elif fmt == "csv":
                act = parse_csv(text)
            else:
                act = parse_srj(text)
        except Exception as e:
            return "ERROR", "dipkg's %s output unreadable: %s" % (fmt, str(e)[:200])
        if ext == ".csv" and exp.kind == "bindings":
            exp = Answer("bindings", vars=exp.vars, rows=exp.rows)
        try:
            return compare(t, exp, act, qtext)
        except TimeoutError as e:
            return "NOT-COMPARABLE", str(e)

    def __call__(self, t):
        try:
            if t.kind in ("positive", "negative"):
                return self.syntax(t)
            return self.evaluate(t)
        except Exception as e:
            return "ERROR", "runner: %s: %s" % (type(e).__name__, e)


CATS = ["PASS", "PASS-VALUE", "WRONG", "REFUSED", "ERROR", "TIMEOUT", "NOT-COMPARABLE"]


def git_commit():
    try:
        c = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True,
                           text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return c + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        return "unknown"


def report(tests, results, out):
    by = collections.OrderedDict()
    for t in tests:
        by.setdefault((t.suite, t.folder), collections.Counter())[results[t.uri][0]] += 1
    lines = []
    lines.append("# SPARQL conformance of `dipkg query`\n")
    lines.append("Generated by `make conformance` (tests/w3c/run.py) at commit %s.\n" % git_commit())
    lines.append("The W3C SPARQL 1.0 and 1.1 query test suites: every query evaluation, "
                 "CSV/TSV result and query syntax test (not update, protocol, service, "
                 "entailment, graph store). PASS-VALUE: the same answer up to the lexical "
                 "form of literals with equal values. WRONG: exit 0 with a different answer "
                 "(or an invalid query accepted). REFUSED: exit 2 with dipkg's message. "
                 "Pass rate: (PASS + PASS-VALUE) / (all - NOT-COMPARABLE).\n")
    hdr = "| suite | folder | " + " | ".join(CATS) + " | total |"
    lines.append(hdr)
    lines.append("|" + "---|" * (len(CATS) + 3))
    totals = collections.OrderedDict()
    for (suite, folder), c in by.items():
        lines.append("| %s | %s | %s | %d |" % (suite, folder, " | ".join(str(c[k]) for k in CATS),
                                               sum(c.values())))
        totals.setdefault(suite, collections.Counter()).update(c)
    all_c = collections.Counter()
    for suite, c in totals.items():
        all_c.update(c)
        lines.append("| **%s** | **all** | %s | **%d** |" % (suite, " | ".join("**%d**" % c[k] for k in CATS),
                                                          sum(c.values())))
    lines.append("| **both** | | %s | **%d** |" % (" | ".join("**%d**" % all_c[k] for k in CATS),
                                                 sum(all_c.values())))
    lines.append("")
    summary = []
    for suite, c in list(totals.items()) + [("both", all_c)]:
        comparable = sum(c.values()) - c["NOT-COMPARABLE"]
        ok = c["PASS"] + c["PASS-VALUE"]
        summary.append("%s: %d of %d comparable tests pass (%.1f%%), %d WRONG" %
                       (suite, ok, comparable, 100.0 * ok / max(comparable, 1), c["WRONG"]))
    lines += ["- " + s for s in summary]
    lines.append("\n## Every test that does not pass\n")
    lines.append("| suite | folder | test | outcome | dipkg's message or the difference |")
    lines.append("|---|---|---|---|---|")
    for t in tests:
        cat, msg = results[t.uri]
        if cat in ("PASS",):
            continue
        msg = msg.replace("|", "\\|").replace("\n", " ")
        lines.append("| %s | %s | %s | %s | %s |" % (t.suite, t.folder, t.name.replace("|", "\\|"), cat, msg))
    text = "\n".join(lines) + "\n"
    if out:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
    return summary, by, totals


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--suites", default=os.environ.get("DIPKG_W3C_SUITES",
                    os.path.join(here, "../../../shared/rdf-tests/sparql")))
    ap.add_argument("--exe", default="./dipkg")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--out", default=None)
    ap.add_argument("--only", default=None)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    root = os.path.realpath(args.suites)
    if not os.path.isdir(root):
        print("run.py: %s: the W3C suites are not there (set DIPKG_W3C_SUITES)" % root,
              file=sys.stderr)
        return 2
    tests, seen = [], set()
    for suite, rel in MANIFESTS:
        load_manifest(root, suite, os.path.join(root, rel), seen, tests)
    if args.only:
        tests = [t for t in tests if args.only in t.name or args.only in t.folder
                 or args.only in t.uri]
    runner = Runner(args)
    sys.setrecursionlimit(50000)  # blank-node matching recurses once per row
    threading.stack_size(256 << 20)
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for t, r in zip(tests, pool.map(runner, tests)):
            results[t.uri] = r
            if args.verbose and r[0] != "PASS":
                print("%-14s %s/%s %s: %s" % (r[0], t.suite, t.folder, t.name, r[1]))
    summary, by, totals = report(tests, results, args.out)
    for (suite, folder), c in by.items():
        print("%-9s %-26s %s" % (suite, folder, " ".join("%s %d" % (k, c[k]) for k in CATS if c[k])))
    for s in summary:
        print(s)
    wrong = sum(c["WRONG"] for c in totals.values())
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())

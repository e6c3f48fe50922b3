#!/usr/bin/env node
// Differential test of `dipkg query` (Redland / rasqal 0.9.33) against
// Oxigraph on random small datasets and random SPARQL queries.
//
//   npm install
//   node crosscheck.mjs --seed 1 --cases 2000
//
// Every case is run three times: Oxigraph (the reference), dipkg as
// shipped (its checks and rewrites, src/sparql.c) and dipkg with
// DIPKG_SPARQL_RAW=1 (raw rasqal).  See README.md for the options and for
// how to read the output.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ox from 'oxigraph';

// The most output one dipkg run may write (a JSON string must stay far
// below V8's limit of 2^29 to 2^31 characters).
const MAX_OUTPUT = 256 * 1024 * 1024;

const HERE = path.dirname(fileURLToPath(import.meta.url));

// ------------------------------------------------------------ options

function usage(code) {
  const text = `usage: node crosscheck.mjs [OPTION...]
  --seed N            base seed (default 1); case K uses a seed made of N and K
  --cases N           number of cases (default 200)
  --first K           index of the first case (default 0)
  --mode MODE         synthetic data: triples, quads or both (alternate; default both)
  --source SRC        where the data come from: synthetic, seed (the export of
                      tests/data/seed), gen (build/bench/gen --articles 50
                      --seed N, exported), w3c (the W3C suites' data files),
                      or all (default: half synthetic, half the corpora)
  --gen PATH          the corpus generator (default: ../../build/bench/gen)
  --w3c DIR           the W3C SPARQL suites (default: $W3C_SUITES, else
                      ../shared/rdf-tests/sparql beside the repository)
  --dipkg PATH        the dipkg binary (default: ../../dipkg, or $DIPKG)
  --failures DIR      where mismatch-dipkg cases go (default: failures/ here)
  --minimize N        minimise at most N cases in all (default 300; 0: none)
  --minimize-per-kind N  at most N cases per kind (default 3): a kind is the
                      difference, the refusal and the main constructs used
  --log FILE          append one JSON line per case
  --only CONSTRUCT    keep only cases whose query has this construct
  --case K            run only case K and print everything about it
  --replay FILE.json  re-run a case written to the failures directory
  --timeout S         seconds allowed to one dipkg run (default 20; a run
                      that times out gets one more try with 3 times that)
  --quiet             no progress line`;
  (code ? process.stderr : process.stdout).write(text + '\n');
  process.exit(code);
}

function parseArgs(argv) {
  const o = {
    seed: 1, cases: 200, first: 0, mode: 'both',
    dipkg: process.env.DIPKG || path.resolve(HERE, '../../dipkg'),
    failures: path.join(HERE, 'failures'), minimize: 300, perKind: 3,
    log: null, only: null, case: null, replay: null, quiet: false, timeout: 20,
    source: 'all', gen: path.resolve(HERE, '../../build/bench/gen'),
    w3c: process.env.W3C_SUITES ? path.resolve(process.env.W3C_SUITES)
      : path.resolve(HERE, '../../../shared/rdf-tests/sparql'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(2);
      return argv[++i];
    };
    const num = () => {
      const v = Number(val());
      if (!Number.isInteger(v) || v < 0) usage(2);
      return v;
    };
    switch (a) {
      case '--seed': o.seed = num(); break;
      case '--cases': o.cases = num(); break;
      case '--first': o.first = num(); break;
      case '--mode': o.mode = val(); break;
      case '--source': o.source = val(); break;
      case '--gen': o.gen = path.resolve(val()); break;
      case '--w3c': o.w3c = path.resolve(val()); break;
      case '--dipkg': o.dipkg = path.resolve(val()); break;
      case '--failures': o.failures = path.resolve(val()); break;
      case '--minimize': o.minimize = num(); break;
      case '--minimize-per-kind': o.perKind = num(); break;
      case '--log': o.log = path.resolve(val()); break;
      case '--only': o.only = val(); break;
      case '--case': o.case = num(); break;
      case '--replay': o.replay = path.resolve(val()); break;
      case '--quiet': o.quiet = true; break;
      case '--timeout': o.timeout = Math.max(1, num()); break;
      case '-h': case '--help': usage(0); break;
      default: usage(2);
    }
  }
  if (!['triples', 'quads', 'both'].includes(o.mode)) usage(2);
  if (!['synthetic', 'seed', 'gen', 'w3c', 'all'].includes(o.source)) usage(2);
  return o;
}

// ------------------------------------------------------------ random

function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mix(a, b) {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) | 0;
}

class Rng {
  constructor(seed) { this.f = mulberry32(seed); }
  next() { return this.f(); }
  int(lo, hi) { return lo + Math.floor(this.f() * (hi - lo + 1)); }
  pick(a) { return a[Math.floor(this.f() * a.length)]; }
  chance(p) { return this.f() < p; }
  // weighted({value: weight, ...}) or weighted([[value, weight], ...])
  weighted(items) {
    const list = Array.isArray(items) ? items : Object.entries(items);
    const total = list.reduce((s, [, w]) => s + w, 0);
    let x = this.f() * total;
    for (const [v, w] of list) {
      if ((x -= w) < 0) return v;
    }
    return list[list.length - 1][0];
  }
  shuffle(a) {
    const b = a.slice();
    for (let i = b.length - 1; i > 0; i--) {
      const j = Math.floor(this.f() * (i + 1));
      [b[i], b[j]] = [b[j], b[i]];
    }
    return b;
  }
  subset(a, min = 1) {
    const b = this.shuffle(a);
    return b.slice(0, Math.max(min, this.int(min, b.length)));
  }
}

// ------------------------------------------------------------ vocabulary

const EX = 'http://ex.org/';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const RDF_TYPE = RDF + 'type';
const DIPKG_GRAPH = 'https://w3id.org/dipkg/ns';
const ONTOLOGY_TTL =
  '<https://w3id.org/dipkg/ns#Event> a <http://www.w3.org/2002/07/owl#Class> .\n' +
  '<https://w3id.org/dipkg/ns#Entity> a <http://www.w3.org/2002/07/owl#Class> .\n';
const PROLOGUE =
  'PREFIX ex: <http://ex.org/>\n' +
  'PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n' +
  'PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n';

const iri = (v) => ({ k: 'iri', v });
const lit = (v, dt = null, lang = null) => ({ k: 'lit', v, dt, lang });

const POOL = {
  iri: ['s1', 's2', 's3', 's4', 's5', 's6'].map((s) => iri(EX + s)),
  class: ['C1', 'C2', 'C3'].map((s) => iri(EX + s)),
  num: [-2, 0, 1, 2, 3, 5, 7, 10, 12].map((n) => lit(String(n), XSD + 'integer')),
  str: ['alpha', 'beta', 'Gamma', 'delta', '10', 'été', 'a b'].map((s) => lit(s)),
  lang: [['cat', 'en'], ['chat', 'fr'], ['Katze', 'de'], ['alpha', 'en'], ['chat', 'en']]
    .map(([s, l]) => lit(s, null, l)),
  date: ['2019-12-31', '2020-01-15', '2020-02-29', '2021-06-01', '2021-11-30', '2020-07-04']
    .map((d) => lit(d, XSD + 'date')),
  gyear: ['2019', '2020', '2021'].map((y) => lit(y, XSD + 'gYear')),
};
POOL.mixed = [...POOL.iri, ...POOL.num, ...POOL.str, ...POOL.lang, ...POOL.date, ...POOL.gyear];

// kind: what the objects are (for the query generator); pool: their values
const PREDS = [
  { iri: EX + 'link', kind: 'iri', pool: 'iri', w: 3 },
  { iri: RDF_TYPE, kind: 'class', pool: 'class', w: 2 },
  { iri: EX + 'num', kind: 'num', pool: 'num', w: 3 },
  { iri: EX + 'name', kind: 'str', pool: 'str', w: 2 },
  { iri: EX + 'label', kind: 'lang', pool: 'lang', w: 2 },
  { iri: EX + 'date', kind: 'date', pool: 'date', w: 2 },
  { iri: EX + 'year', kind: 'gyear', pool: 'gyear', w: 1 },
  { iri: EX + 'val', kind: 'mixed', pool: 'mixed', w: 2 },
];

const SYNTHETIC = { preds: PREDS, pool: POOL };

function escString(s) {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function ntTerm(t) {
  if (t.k === 'iri') return `<${t.v}>`;
  if (t.k === 'bnode') return `_:${t.v}`;
  let s = `"${escString(t.v)}"`;
  if (t.lang) s += '@' + t.lang;
  else if (t.dt && t.dt !== XSD + 'string') s += `^^<${t.dt}>`;
  return s;
}

function sparqlTerm(t) {
  if (t.k === 'iri') {
    if (t.v === RDF_TYPE) return 'rdf:type';
    if (t.v.startsWith(EX) && /^[A-Za-z][A-Za-z0-9_]*$/.test(t.v.slice(EX.length))) return 'ex:' + t.v.slice(EX.length);
    return `<${t.v}>`;
  }
  if (t.dt === XSD + 'integer' && /^[+-]?[0-9]+$/.test(t.v)) return t.v;
  let s = `"${escString(t.v)}"`;
  if (t.lang) s += '@' + t.lang;
  else if (t.dt && t.dt.startsWith(XSD) && t.dt !== XSD + 'string') s += '^^xsd:' + t.dt.slice(XSD.length);
  else if (t.dt && t.dt !== XSD + 'string') s += `^^<${t.dt}>`;
  return s;
}

// ------------------------------------------------------------ data

function genData(r, mode) {
  const n = r.int(10, 60);
  const graphs = mode === 'quads' ? r.int(2, 3) : 0;
  const seen = new Set();
  const quads = [];
  // A few subjects and predicates per dataset keep the joins dense; in
  // quads mode most triples of a subject are in its own graph.
  const subjects = r.subset(POOL.iri, 3).slice(0, 5);
  const preds = r.subset(PREDS, 4);
  const home = new Map(subjects.map((x) => [x.v, r.int(1, graphs || 1)]));
  for (let tries = 0; quads.length < n && tries < n * 20; tries++) {
    const p = r.weighted(preds.map((x) => [x, x.w]));
    const s = r.pick(subjects);
    const o = p.pool === 'iri' ? r.pick(r.chance(0.8) ? subjects : POOL.iri) : r.pick(POOL[p.pool]);
    const key = ntTerm(s) + ' ' + p.iri + ' ' + ntTerm(o);
    if (seen.has(key)) continue;  // duplicate-free, also across graphs
    seen.add(key);
    const g = graphs ? (r.chance(0.75) ? home.get(s.v) : r.int(1, graphs)) : 0;
    quads.push({ s, p: iri(p.iri), o, g: graphs ? iri(EX + 'g' + g) : null });
  }
  return quads;
}

function dataText(quads, mode) {
  return quads.map((q) => `${ntTerm(q.s)} ${ntTerm(q.p)} ${ntTerm(q.o)}` +
    (mode === 'quads' && q.g ? ` ${ntTerm(q.g)}` : '') + ' .\n').join('');
}


// ------------------------------------------------------------ corpora
//
// Besides the synthetic datasets above, cases draw their data from three
// corpora: the seed corpus (the export of tests/data/seed), a generated
// corpus (build/bench/gen --articles 50, exported) and the data files of the
// W3C SPARQL test suites.  A case takes a slice of a corpus (a few subjects
// and all their statements, at most SLICE_MAX), and the query generator
// takes its vocabulary (predicates, kinds of values, constants) from the
// slice.

const SLICE_MAX = 80;

// The kind of a value, as the query generator sees it.
function kindOfTerm(t) {
  if (t.k !== 'lit') return 'iri';
  if (t.lang) return 'lang';
  const dt = t.dt || XSD + 'string';
  if (dt === XSD + 'string') return 'str';
  if (NUMERIC.has(dt)) return 'num';
  if (dt === XSD + 'date') return 'date';
  if (dt === XSD + 'gYear') return 'gyear';
  return 'other';
}

// The vocabulary of a dataset: each predicate with the kind of its values
// ('mixed' when they are of several kinds), and the values of each kind.
function vocabOf(quads) {
  const byP = new Map();
  const pool = { iri: [], class: [], num: [], str: [], lang: [], date: [], gyear: [], mixed: [] };
  const seen = new Set();
  for (const q of quads) {
    if (!byP.has(q.p.v)) byP.set(q.p.v, { kinds: new Set(), n: 0 });
    const x = byP.get(q.p.v);
    const k = kindOfTerm(q.o);
    x.kinds.add(k);
    x.n++;
    if (q.o.k === 'bnode') continue;
    const key = ntTerm(q.o);
    if (seen.has(key)) continue;
    seen.add(key);
    const kk = q.p.v === RDF_TYPE ? 'class' : k;
    if (pool[kk]) pool[kk].push(q.o);
    pool.mixed.push(q.o);
  }
  for (const q of quads) if (q.s.k === 'iri' && !seen.has(ntTerm(q.s))) { seen.add(ntTerm(q.s)); pool.iri.push(q.s); }
  const preds = [...byP].map(([p, x]) => ({
    iri: p,
    kind: p === RDF_TYPE ? 'class' : x.kinds.size === 1 && !x.kinds.has('other') ? [...x.kinds][0] : 'mixed',
    w: 1 + Math.log2(x.n),
  }));
  return { preds: preds.length ? preds : PREDS, pool };
}

// An Oxigraph term as a term of this script (blank nodes relabelled by
// `bnodes`, so that their labels are valid in N-Triples).
function termOf(t, bnodes) {
  if (t.termType === 'NamedNode') return iri(t.value);
  if (t.termType === 'BlankNode') {
    if (!bnodes.has(t.value)) bnodes.set(t.value, 'b' + bnodes.size);
    return { k: 'bnode', v: bnodes.get(t.value) };
  }
  if (t.language) return lit(t.value, null, t.language);
  return lit(t.value, t.datatype.value === XSD + 'string' ? null : t.datatype.value);
}

// The statements of an RDF text, as quads of this script, without a
// statement twice (a triple in two graphs would be two rows of the union
// default graph in Oxigraph).
function quadsOf(text, format, base) {
  const store = new ox.Store();
  store.load(text, { format, base_iri: base });
  const bnodes = new Map();
  const out = [];
  const seen = new Set();
  for (const q of store.match(null, null, null, null)) {
    const s = termOf(q.subject, bnodes), p = termOf(q.predicate, bnodes), o = termOf(q.object, bnodes);
    const key = `${ntTerm(s)} ${ntTerm(p)} ${ntTerm(o)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ s, p, o, g: q.graph.termType === 'NamedNode' ? iri(q.graph.value) : null });
  }
  return out;  // in Oxigraph's index order: the same for the same text
}

// A slice of a corpus: the statements of a few subjects (picked through a
// random statement, so subjects with many statements come more often) and,
// sometimes, of the nodes they link to; at most SLICE_MAX statements.
function sliceOf(r, quads) {
  if (quads.length <= SLICE_MAX) return quads.slice();
  const bySubject = quads.bySubject || (quads.bySubject = (() => {
    const m = new Map();
    for (const q of quads) {
      const k = ntTerm(q.s);
      if (!m.has(k)) m.set(k, []);
      m.get(k).push(q);
    }
    return m;
  })());
  const picked = new Set();
  const n = r.int(2, 5);
  for (let i = 0; i < n; i++) picked.add(ntTerm(r.pick(quads).s));
  if (r.chance(0.5)) {
    for (const k of [...picked]) {
      const links = bySubject.get(k).filter((q) => bySubject.has(ntTerm(q.o)));
      if (links.length) picked.add(ntTerm(r.pick(links).o));
    }
  }
  let out = [];
  for (const k of picked) out.push(...bySubject.get(k));
  if (out.length > SLICE_MAX) {
    const keep = new Set(r.shuffle(out.map((_, i) => i)).slice(0, SLICE_MAX));
    out = out.filter((_, i) => keep.has(i));
  }
  return out;
}

function run(cmd, args) {
  const p = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (p.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${p.error || p.stderr || 'exit ' + p.status}`);
  return p.stdout;
}

// Loads the corpora a run needs: {seed, gen, w3c: [{file, quads}]}.
function loadCorpora(opts, tmp) {
  const want = (x) => opts.source === 'all' || opts.source === x;
  const corpora = {};
  if (want('seed')) {
    const out = path.join(tmp, 'seed.nq');
    run(opts.dipkg, ['export', '-q', '-o', out, path.join(HERE, '..', 'data', 'seed')]);
    corpora.seed = quadsOf(fs.readFileSync(out, 'utf8'), 'application/n-quads');
  }
  if (want('gen')) {
    const dir = path.join(tmp, 'gen');
    const out = path.join(tmp, 'gen.nq');
    run(opts.gen, ['--articles', '50', '--seed', String(opts.seed), '--out', dir]);
    run(opts.dipkg, ['export', '-q', '-o', out, dir]);
    corpora.gen = quadsOf(fs.readFileSync(out, 'utf8'), 'application/n-quads');
  }
  if (want('w3c')) {
    corpora.w3c = [];
    const walk = (dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const f = path.join(dir, e.name);
        if (e.isDirectory()) walk(f);
        else if (/\.ttl$/.test(e.name) && !/^manifest/.test(e.name)) {
          try {
            const quads = quadsOf(fs.readFileSync(f, 'utf8'), 'text/turtle', 'file://' + f);
            if (quads.length >= 3) corpora.w3c.push({ file: path.relative(opts.w3c, f), quads });
          } catch {
            // a file Oxigraph does not read (some are bad on purpose)
          }
        }
      }
    };
    for (const sub of ['sparql10', 'sparql11']) if (fs.existsSync(path.join(opts.w3c, sub))) walk(path.join(opts.w3c, sub));
    if (!corpora.w3c.length) throw new Error(`no W3C data files under ${opts.w3c} (--w3c DIR)`);
  }
  return corpora;
}

// Which source case K uses with --source all: half of the cases synthetic,
// the others from the corpora.
const SOURCE_CYCLE = ['synthetic', 'synthetic', 'seed', 'synthetic', 'gen', 'synthetic', 'w3c', 'synthetic',
  'seed', 'synthetic', 'gen', 'synthetic', 'w3c', 'synthetic', 'seed', 'synthetic', 'gen', 'synthetic', 'w3c', 'seed'];

// ------------------------------------------------------------ query AST
//
// A query: {form: 'select'|'ask', distinct, proj: null (*) or [item],
//   where: [element], groupBy: [var] | null, having: expr | null,
//   orderBy: [{v, desc}] | null, limit, offset}
// A projection item: {v} or {expr, as, agg: 'count'|'sum'|...|null,
//   sep (GROUP_CONCAT), tags}
// An element: {t:'triple', s, p, o} | {t:'filter', e} | {t:'bind', expr, v, tags}
//   | {t:'values', v, vals, tags} | {t:'optional', elems} | {t:'union', a, b}
//   | {t:'graph', g, elems} | {t:'sub', q}
// An expression: {leaf: text, tags} | {op: '&&'|'||', args: [e, e]} | {op: '!', args: [e]}

const VAR_NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'k', 'm', 'n', 'o', 'q', 'r', 's',
  't', 'u', 'w', 'x', 'y', 'z', 'a2', 'b2', 'c2', 'd2', 'e2', 'f2', 'k2'];

class QueryGen {
  // `data`: the dataset, so that constants in the query are mostly values
  // the data has (queries that match nothing test little).
  constructor(r, mode, data, vocab = SYNTHETIC) {
    this.r = r;
    this.mode = mode;
    this.used = 0;
    this.vocab = vocab;
    this.preds = vocab.preds;
    this.subjects = [...new Map(data.filter((q) => q.s.k === 'iri').map((q) => [q.s.v, q.s])).values()];
    this.byPred = new Map();
    this.byKind = new Map();
    for (const q of data) {
      const p = this.preds.find((x) => x.iri === q.p.v) || { kind: 'mixed' };
      if (q.o.k === 'bnode') continue;  // no constant for a blank node
      if (!this.byPred.has(q.p.v)) this.byPred.set(q.p.v, []);
      this.byPred.get(q.p.v).push(q.o);
      for (const k of [p.kind, 'mixed']) {
        if (!this.byKind.has(k)) this.byKind.set(k, []);
        this.byKind.get(k).push(q.o);
      }
    }
    this.byKind.set('iri', [...(this.byKind.get('iri') || []), ...this.subjects]);
    this.graphs = [...new Map(data.filter((q) => q.g).map((q) => [q.g.v, q.g])).values()];
  }

  graphConst() {
    return this.graphs.length && this.r.chance(0.9) ? sparqlTerm(this.r.pick(this.graphs)) : `ex:g${this.r.int(1, 3)}`;
  }

  fresh() { return '?' + VAR_NAMES[this.used++ % VAR_NAMES.length] + (this.used > VAR_NAMES.length ? this.used : ''); }

  static addVar(scope, v, kind, certain, where) {
    const old = scope.get(v);
    if (!old) {
      scope.set(v, { kind, certain, where });
      return;
    }
    if (old.kind !== kind) old.kind = 'mixed';
    old.certain = old.certain || certain;
  }

  // A constant of this kind: mostly one the data has.
  constOf(kind, tags) {
    const r = this.r;
    if (kind === 'pred') return sparqlTerm(iri(r.pick(this.preds).iri));
    if (kind === 'graph') return this.graphConst();
    if (kind !== 'mixed' && r.chance(0.06)) {
      tags.push('cross-type');
      return sparqlTerm(r.pick(this.pool('mixed')));
    }
    const seen = this.byKind.get(kind);
    if (seen && seen.length && r.chance(0.8)) return sparqlTerm(r.pick(seen));
    return sparqlTerm(r.pick(this.pool(kind)));
  }

  // The values of a kind: the vocabulary's, else the synthetic ones.
  pool(kind) {
    const p = this.vocab.pool[kind];
    return p && p.length ? p : POOL[kind] || POOL.mixed;
  }

  // One triple pattern.  connect: share a variable with `scope` when possible.
  triple(scope, certain, where, connect, preferCertain = false) {
    const r = this.r;
    let vars = [...scope.entries()];
    // OPTIONAL mostly joins on variables the required part binds
    if (preferCertain && r.chance(0.85) && vars.some(([, x]) => x.certain && x.kind !== 'pred')) {
      vars = vars.filter(([, x]) => x.certain);
    }
    let pterm, okind, pred = null;
    const newVars = [];
    if (r.chance(0.1)) {
      const pv = vars.filter(([, x]) => x.kind === 'pred');
      pterm = pv.length && r.chance(0.3) ? r.pick(pv)[0] : this.fresh();
      if (!scope.has(pterm)) newVars.push([pterm, 'pred']);
      okind = 'mixed';
    } else {
      pred = r.weighted(this.preds.map((x) => [x, x.w * (this.byPred.has(x.iri) ? 1 : 0.03)]));
      pterm = sparqlTerm(iri(pred.iri));
      okind = pred.kind;
    }
    const subjCands = vars.filter(([, x]) => x.kind === 'iri').map(([v]) => v);
    const objCands = vars.filter(([, x]) => x.kind === okind || (okind === 'mixed' && x.kind !== 'pred' && x.kind !== 'graph')).map(([v]) => v);
    let s, o, shared = false;
    const x = r.next();
    if (subjCands.length && x < (connect ? 0.75 : 0.3)) {
      s = r.pick(subjCands);
      shared = true;
    } else if (x < 0.95) {
      s = this.fresh();
      newVars.push([s, 'iri']);
    } else {
      s = sparqlTerm(r.pick(this.subjects.length ? this.subjects : this.pool('iri')));
    }
    const y = r.next();
    const oc = objCands.filter((v) => v !== s);
    // Literal-valued variables rarely meet again: share mostly IRIs.
    const share = okind === 'iri' || okind === 'class' ? 0.3 : 0.06;
    if (oc.length && (y < share || (connect && !shared && !subjCands.length))) {
      o = r.pick(oc);
      shared = true;
    } else if (y < 0.9) {
      o = this.fresh();
      newVars.push([o, okind]);
    } else {
      const seen = pred ? this.byPred.get(pred.iri) : this.byKind.get('mixed');
      const pool = seen && seen.length && r.chance(0.85) ? seen
        : this.pool(okind);
      o = sparqlTerm(r.pick(pool));
    }
    if (connect && !shared && subjCands.length) {
      // force the join through the subject
      const idx = newVars.findIndex(([v]) => v === s);
      if (idx >= 0) newVars.splice(idx, 1);
      s = r.pick(subjCands);
    }
    for (const [v, k] of newVars) QueryGen.addVar(scope, v, k, certain, where);
    return { t: 'triple', s, p: pterm, o };
  }

  bgp(scope, n, certain, where, connect, preferCertain = false) {
    const out = [];
    for (let i = 0; i < n; i++) out.push(this.triple(scope, certain, where, connect || i > 0, preferCertain && i === 0));
    return out;
  }

  // ---- expressions

  pickVar(scope, pred = () => true) {
    const vs = [...scope.entries()].filter(([v, x]) => pred(x, v));
    return vs.length ? this.r.pick(vs) : null;
  }

  atom(scope) {
    const r = this.r;
    const tags = [];
    const any = this.pickVar(scope, (x) => x.kind !== 'graph');
    if (!any) return { leaf: 'true', tags: ['filter:const'] };
    let [v, info] = any;
    const kind = info.kind;
    const choices = [['eq', 5], ['ne', 3], ['bound', 2], ['nbound', 2], ['in', 3], ['str', 2],
      ['lang', 2], ['datatype', 2], ['isiri', 2]];
    if (['num', 'date', 'str'].includes(kind)) choices.push(['lt', 4], ['gt', 4]);
    if (['str', 'lang', 'mixed', 'iri', 'class'].includes(kind)) choices.push(['regex', 3]);
    if (kind === 'date') choices.push(['datefn', 4]);
    if (kind === 'mixed') choices.push(['datefn', 1]);
    const same = [...scope.entries()].filter(([w, x]) => w !== v && x.kind === kind);
    if (same.length) choices.push(['vv', 2]);
    if (!info.certain) {
      choices.push(['bound', 3], ['nbound', 4]);
    }
    const c = r.weighted(choices);
    // SPARQL 1.1 makes `=` and `!=` between literals of different datatypes
    // (or language tags) a type error; Oxigraph answers false and true.
    if ((kind === 'mixed' || kind === 'lang') && ['eq', 'ne', 'in', 'vv'].includes(c)) tags.push('cmp-mixed-literals');
    switch (c) {
      case 'eq':
      case 'ne': {
        tags.push(c === 'eq' ? 'filter:=' : 'filter:!=');
        return { leaf: `${v} ${c === 'eq' ? '=' : '!='} ${this.constOf(kind, tags)}`, tags };
      }
      case 'lt':
      case 'gt': {
        const op = r.pick(c === 'lt' ? ['<', '<='] : ['>', '>=']);
        tags.push(c === 'lt' ? 'filter:<' : 'filter:>');
        return { leaf: `${v} ${op} ${this.constOf(kind, tags)}`, tags };
      }
      case 'vv': {
        const [w] = r.pick(same);
        const op = r.pick(['=', '!=', ...(['num', 'date', 'str'].includes(kind) ? ['<', '>'] : [])]);
        tags.push('filter:var-var', op === '=' ? 'filter:=' : op === '!=' ? 'filter:!=' : op === '<' ? 'filter:<' : 'filter:>');
        return { leaf: `${v} ${op} ${w}`, tags };
      }
      case 'bound':
        return { leaf: `BOUND(${v})`, tags: ['filter:bound'] };
      case 'nbound':
        return { leaf: `!BOUND(${v})`, tags: ['filter:!bound'] };
      case 'in': {
        const n = r.int(1, 3);
        const vals = [];
        for (let i = 0; i < n; i++) vals.push(this.constOf(kind, tags));
        const not = r.chance(0.2);
        tags.push(not ? 'filter:not-in' : 'filter:in');
        return { leaf: `${v} ${not ? 'NOT IN' : 'IN'} (${vals.join(', ')})`, tags };
      }
      case 'regex': {
        tags.push('filter:regex');
        const pat = r.pick(['^a', 'a', '^[A-Z]', 'ta$', 'é', '^c', 't', 's[1-3]$', 'l']);
        const flags = r.chance(0.25) ? ', "i"' : '';
        const arg = kind === 'str' || kind === 'lang' ? v : `STR(${v})`;
        if (arg !== v) tags.push('filter:str');
        return { leaf: `regex(${arg}, "${pat}"${flags})`, tags };
      }
      case 'str': {
        tags.push('filter:str');
        const seen = this.byKind.get(kind === 'pred' || kind === 'graph' ? 'mixed' : kind) || [];
        const t = seen.length && r.chance(0.8) ? r.pick(seen) : r.pick(this.pool('mixed'));
        const val = `"${escString(t.v)}"`;
        return { leaf: `STR(${v}) ${r.chance(0.8) ? '=' : '!='} ${val}`, tags };
      }
      case 'lang':
        tags.push('filter:lang');
        return { leaf: `LANG(${v}) ${r.chance(0.8) ? '=' : '!='} "${r.pick(['en', 'fr', 'de', ''])}"`, tags };
      case 'datatype': {
        tags.push('filter:datatype');
        const dt = r.pick(['xsd:integer', 'xsd:date', 'xsd:string', 'xsd:gYear', 'rdf:langString']);
        if (dt === 'rdf:langString') tags.push('datatype-langString');
        return { leaf: `DATATYPE(${v}) ${r.chance(0.8) ? '=' : '!='} ${dt}`, tags };
      }
      case 'isiri':
        tags.push('filter:isIRI');
        return { leaf: `${r.chance(0.7) ? '' : '!'}isIRI(${v})`, tags };
      case 'datefn': {
        const f = r.pick(['YEAR', 'MONTH', 'DAY']);
        tags.push('fn:' + f.toLowerCase());
        if (kind !== 'date') tags.push('datefn-nondate');
        const val = f === 'YEAR' ? r.pick([2019, 2020, 2021]) : f === 'MONTH' ? r.int(1, 12) : r.int(1, 31);
        const op = r.pick(['=', '<', '>', '!=']);
        tags.push(op === '=' ? 'filter:=' : op === '!=' ? 'filter:!=' : op === '<' ? 'filter:<' : 'filter:>');
        return { leaf: `${f}(${v}) ${op} ${val}`, tags };
      }
    }
    return { leaf: 'true', tags };
  }

  expr(scope) {
    const r = this.r;
    const x = r.next();
    if (x < 0.2) return { op: '&&', args: [this.atom(scope), this.atom(scope)] };
    if (x < 0.36) return { op: '||', args: [this.atom(scope), this.atom(scope)] };
    if (x < 0.39) return { op: '!', args: [this.atom(scope)] };
    return this.atom(scope);
  }

  // BIND (or a projected expression): [text, tags, kind of the result]
  valueExpr(scope) {
    const r = this.r;
    const nums = [...scope.entries()].filter(([, x]) => x.kind === 'num');
    const dates = [...scope.entries()].filter(([, x]) => x.kind === 'date');
    const strs = [...scope.entries()].filter(([, x]) => x.kind === 'str');
    const anyv = [...scope.entries()].filter(([, x]) => x.kind !== 'graph');
    const choices = [['const', 3]];
    if (nums.length) choices.push(['arith', 4]);
    if (dates.length) choices.push(['datefn', 4]);
    if (anyv.length) choices.push(['str', 2], ['lang', 1], ['datatype', 1], ['if', 1], ['coalesce', 2]);
    if (strs.length) choices.push(['ucase', 1], ['concat', 1]);
    if (anyv.length) choices.push(['concat-computed', 0.3]);
    const c = r.weighted(choices);
    const notCertain = (v) => !scope.get(v).certain;
    switch (c) {
      case 'const': {
        const k = r.pick(['iri', 'num', 'str', 'lang', 'date']);
        return [this.constOf(k, []), ['bind-const'], k];
      }
      case 'arith': {
        const [v] = r.pick(nums);
        const e = r.pick([`${v} + 1`, `${v} * 2`, `${v} - 3`, `-${v}`]);
        return [e, ['bind-arith', ...(notCertain(v) ? ['expr-on-unbound'] : [])], 'num'];
      }
      case 'datefn': {
        const [v] = r.pick(dates);
        const f = r.pick(['YEAR', 'MONTH', 'DAY']);
        return [`${f}(${v})`, ['fn:' + f.toLowerCase(), ...(notCertain(v) ? ['expr-on-unbound'] : [])], 'num'];
      }
      case 'str': {
        const [v] = r.pick(anyv);
        return [`STR(${v})`, ['bind-str', ...(notCertain(v) ? ['expr-on-unbound'] : [])], 'str'];
      }
      case 'lang': {
        const [v] = r.pick(anyv);
        return [`LANG(${v})`, ['bind-lang', ...(notCertain(v) ? ['expr-on-unbound'] : [])], 'str'];
      }
      case 'datatype': {
        const [v] = r.pick(anyv);
        return [`DATATYPE(${v})`, ['bind-datatype', ...(notCertain(v) ? ['expr-on-unbound'] : [])], 'class'];
      }
      case 'if': {
        const [v] = r.pick(anyv);
        return [`IF(BOUND(${v}), "yes", "no")`, ['bind-if'], 'str'];
      }
      case 'coalesce': {
        const [v, x] = r.pick(anyv);
        return [`COALESCE(${v}, "none")`, ['bind-coalesce'], x.kind === 'str' ? 'str' : 'mixed'];
      }
      case 'ucase': {
        const [v] = r.pick(strs);
        return [`UCASE(${v})`, ['bind-ucase', ...(notCertain(v) ? ['expr-on-unbound'] : [])], 'str'];
      }
      case 'concat': {
        const [v] = r.pick(strs);
        const w = r.chance(0.5) && strs.length > 1 ? r.pick(strs)[0] : '"-"';
        return [`CONCAT(${v}, ${w})`, ['concat', ...(notCertain(v) ? ['expr-on-unbound'] : [])], 'str'];
      }
      case 'concat-computed': {
        const [v] = r.pick(anyv);
        return [`CONCAT(STR(${v}), "!")`, ['concat', 'concat-computed'], 'str'];
      }
    }
    return ['1', ['bind-const'], 'num'];
  }

  bind(scope) {
    const [expr, tags, kind] = this.valueExpr(scope);
    const v = this.fresh();
    const el = { t: 'bind', expr, v, tags };
    QueryGen.addVar(scope, v, kind, false, 'bind');
    return el;
  }

  // ---- group elements

  optional(scope, depth) {
    const r = this.r;
    const inner = new Map([...scope].map(([k, x]) => [k, { ...x }]));
    const elems = this.bgp(inner, r.chance(0.7) ? 1 : 2, false, 'opt', true, true);
    if (this.mode === 'quads' && r.chance(0.12)) {
      const g = r.chance(0.5) ? '?g' : this.graphConst();
      const el = { t: 'graph', g, elems: elems.splice(0) };
      elems.push(el);
      if (g.startsWith('?')) QueryGen.addVar(inner, g, 'graph', false, 'opt');
    }
    if (r.chance(0.2)) elems.push({ t: 'filter', e: this.expr(inner) });
    if (r.chance(0.04)) elems.push(this.values(inner, elems));
    if (depth === 0 && r.chance(0.04)) elems.push(this.optional(inner, 1));
    for (const [v, x] of inner) {
      if (!scope.has(v)) QueryGen.addVar(scope, v, x.kind, false, 'opt');
      else if (scope.get(v).kind !== x.kind) scope.get(v).kind = 'mixed';
    }
    return { t: 'optional', elems };
  }

  union(scope) {
    const r = this.r;
    const branch = () => {
      const inner = new Map([...scope].map(([k, x]) => [k, { ...x }]));
      const elems = this.bgp(inner, r.chance(0.6) ? 1 : 2, true, 'union', scope.size > 0);
      if (r.chance(0.15)) elems.push({ t: 'filter', e: this.expr(inner) });
      return [elems, inner];
    };
    const [a, sa] = branch();
    const [b, sb] = branch();
    for (const [v, x] of sa) {
      if (scope.has(v)) continue;
      const y = sb.get(v);
      QueryGen.addVar(scope, v, y && y.kind !== x.kind ? 'mixed' : x.kind, !!y, 'union');
    }
    for (const [v, x] of sb) if (!scope.has(v)) QueryGen.addVar(scope, v, x.kind, false, 'union');
    return { t: 'union', a, b };
  }

  values(scope, elemsSoFar) {
    const r = this.r;
    // a variable used in a triple pattern (of this group or a nested one)
    const inPattern = new Set();
    const walk = (els) => {
      for (const e of els) {
        if (e.t === 'triple') for (const x of [e.s, e.p, e.o]) if (x.startsWith('?')) inPattern.add(x);
        if (e.elems) walk(e.elems);
        if (e.t === 'union') { walk(e.a); walk(e.b); }
      }
    };
    walk(elemsSoFar);
    const cands = [...scope.entries()].filter(([v, x]) => inPattern.has(v) && x.kind !== 'graph');
    const tags = [];
    if (!cands.length) return { t: 'filter', e: { leaf: 'true', tags: ['filter:const'] } };
    const [v, x] = r.pick(cands);
    const n = r.weighted([[1, 3], [2, 4], [3, 3]]);
    const vals = new Set();
    for (let i = 0; i < n; i++) {
      if (x.kind === 'num' && r.chance(0.1)) {
        vals.add(r.pick(['3.0', '"5"^^xsd:decimal', '1e0', '"07"^^xsd:integer']));
        tags.push('values-numeric-variant');
      } else {
        vals.add(this.constOf(x.kind, tags));
      }
    }
    if (vals.size > 1) tags.push('values-multi');
    if (!x.certain) tags.push('values-var-maybe-unbound');
    return { t: 'values', v, vals: [...vals], tags };
  }

  graphVar(scope) {
    const v = scope.has('?g') && this.r.chance(0.5) ? '?h' : '?g';
    QueryGen.addVar(scope, v, 'graph', true, 'graph');
    return v;
  }

  subquery(scope) {
    const r = this.r;
    const inner = new Map([...scope].map(([k, x]) => [k, { ...x }]));
    const where = this.bgp(inner, r.int(1, 2), true, 'sub', scope.size > 0);
    if (r.chance(0.3)) where.push({ t: 'filter', e: this.expr(inner) });
    const mentioned = new Set();
    for (const e of where) if (e.t === 'triple') for (const x of [e.s, e.p, e.o]) if (x.startsWith('?')) mentioned.add(x);
    const proj = r.subset([...mentioned], 1);
    const q = { form: 'select', distinct: r.chance(0.3), proj: proj.map((v) => ({ v })), where,
      groupBy: null, having: null, orderBy: null, limit: null, offset: null };
    for (const v of proj) {
      const x = inner.get(v);
      if (!scope.has(v)) QueryGen.addVar(scope, v, x.kind, true, 'sub');
    }
    return { t: 'sub', q };
  }

  // ---- the query

  where(scope) {
    const r = this.r;
    const elems = [];
    const quads = this.mode === 'quads';
    const n = r.weighted([[1, 3], [2, 4], [3, 3], [4, 2]]);
    const shape = quads ? r.weighted([['plain', 2], ['graph-var', 4], ['graph-iri', 1.5], ['graph-extra', 1.5], ['graph-two', 1]]) : 'plain';
    if (r.chance(0.05)) {
      elems.push(this.union(scope));  // a query that is only a UNION
    } else if (shape === 'plain') {
      elems.push(...this.bgp(scope, n, true, 'req', false));
    } else if (shape === 'graph-var' || shape === 'graph-iri') {
      const g = shape === 'graph-var' ? this.graphVar(scope) : this.graphConst();
      elems.push({ t: 'graph', g, elems: this.bgp(scope, n, true, 'req', false) });
    } else {
      const g1 = shape === 'graph-two' ? this.graphVar(scope) : null;
      const main = this.bgp(scope, n, true, 'req', false);
      if (g1) elems.push({ t: 'graph', g: g1, elems: main });
      else elems.push(...main);
      const g2 = r.chance(0.8) ? this.graphVar(scope) : this.graphConst();
      elems.push({ t: 'graph', g: g2, elems: this.bgp(scope, r.int(1, 2), true, 'req', true) });
    }
    if (r.chance(0.07)) {
      const sub = this.subquery(scope);
      if (r.chance(0.5)) elems.unshift(sub); else elems.push(sub);
    }
    if (r.chance(0.15)) {
      const u = this.union(scope);
      if (r.chance(0.4)) elems.unshift(u); else elems.push(u);
    }
    if (r.chance(0.09)) elems.push(this.bind(scope));
    const nopt = r.weighted([[0, 50], [1, 32], [2, 18]]);
    for (let i = 0; i < nopt; i++) {
      elems.push(this.optional(scope, 0));
      if (r.chance(0.15)) elems.push(...this.bgp(scope, 1, true, 'req', true));
    }
    if (r.chance(0.09)) elems.push(this.bind(scope));
    if (r.chance(0.14)) {
      const v = this.values(scope, elems);
      elems.splice(r.int(0, elems.length), 0, v);
    }
    const nf = r.weighted([[0, 45], [1, 40], [2, 15]]);
    for (let i = 0; i < nf; i++) elems.splice(r.int(0, elems.length), 0, { t: 'filter', e: this.expr(scope) });
    return elems;
  }

  query() {
    const r = this.r;
    const scope = new Map();
    const where = this.where(scope);
    const visible = [...scope.keys()];
    const q = { form: 'select', distinct: false, proj: null, where, groupBy: null, having: null,
      orderBy: null, limit: null, offset: null };
    const kind = r.weighted([['ask', 1], ['select', 7], ['agg', 2]]);
    if (kind === 'ask') {
      q.form = 'ask';
      return q;
    }
    if (kind === 'agg') {
      this.aggregate(q, scope);
      return q;
    }
    q.distinct = r.chance(0.25);
    if (r.chance(0.35)) {
      q.proj = null;
    } else {
      q.proj = r.subset(visible, 1).map((v) => ({ v }));
      if (r.chance(0.1)) {
        const [expr, tags] = this.valueExpr(scope);
        q.proj.push({ expr, as: this.fresh(), agg: null, tags: [...tags, 'select-expr'] });
      }
    }
    if (r.chance(0.3)) {
      const keys = q.proj ? q.proj.map((p) => p.v || p.as) : visible;
      if (keys.length) {
        q.orderBy = r.subset(keys, 1).slice(0, 2).map((v) => ({ v, desc: r.chance(0.3) }));
        if (r.chance(0.5)) q.limit = r.int(1, 5);
        if (r.chance(0.3)) q.offset = r.int(0, 3);
      }
    }
    return q;
  }

  aggregate(q, scope) {
    const r = this.r;
    const certain = [...scope.entries()].filter(([, x]) => x.certain);
    const all = [...scope.entries()];
    const keys = r.chance(0.2) || !certain.length ? [] : r.subset(certain.map(([v]) => v), 1).slice(0, 2);
    const items = keys.map((v) => ({ v }));
    const nagg = r.weighted([[1, 5], [2, 3], [3, 2]]);
    let idx = 1;
    const having = [];
    for (let i = 0; i < nagg; i++) {
      const choices = [['count*', 3]];
      if (all.length) choices.push(['count', 3], ['countd', 4]);
      const nums = certain.filter(([, x]) => x.kind === 'num');
      const ord = certain.filter(([, x]) => ['num', 'date', 'str', 'iri', 'class'].includes(x.kind));
      const strs = certain.filter(([, x]) => x.kind === 'str' || x.kind === 'lang');
      if (nums.length) choices.push(['sum', 3]);
      if (ord.length) choices.push(['min', 2], ['max', 2]);
      if (certain.length) choices.push(['sample', 1]);
      if (strs.length) choices.push(['gc', 3]);
      const c = r.weighted(choices);
      const as = `?agg${idx++}`;
      let item;
      switch (c) {
        case 'count*': item = { expr: 'COUNT(*)', agg: 'count', tags: ['agg:count'] }; break;
        case 'count': { const [v] = r.pick(all); item = { expr: `COUNT(${v})`, agg: 'count', tags: ['agg:count'] }; break; }
        case 'countd': { const [v] = r.pick(all); item = { expr: `COUNT(DISTINCT ${v})`, agg: 'count', tags: ['agg:count-distinct'] }; break; }
        case 'sum': { const [v] = r.pick(nums); item = { expr: `SUM(${v})`, agg: 'sum', tags: ['agg:sum'] }; break; }
        case 'min': { const [v] = r.pick(ord); item = { expr: `MIN(${v})`, agg: 'min', tags: ['agg:min'] }; break; }
        case 'max': { const [v] = r.pick(ord); item = { expr: `MAX(${v})`, agg: 'max', tags: ['agg:max'] }; break; }
        case 'sample': { const [v] = r.pick(certain); item = { expr: `SAMPLE(${v})`, agg: 'sample', tags: ['agg:sample'] }; break; }
        case 'gc': {
          const [v] = r.pick(strs);
          const d = r.chance(0.3) ? 'DISTINCT ' : '';
          item = { expr: `GROUP_CONCAT(${d}${v}; SEPARATOR="|")`, agg: 'group_concat', sep: '|', tags: ['agg:group_concat'] };
          break;
        }
      }
      item.as = as;
      items.push(item);
      if (r.chance(0.25) && ['count', 'sum', 'min', 'max'].includes(item.agg)) {
        const cmp = item.agg === 'count' ? `${item.expr} ${r.pick(['>', '>=', '<', '='])} ${r.int(1, 3)}`
          : item.agg === 'sum' ? `${item.expr} > ${r.int(0, 10)}` : null;
        if (cmp) having.push(cmp);
      }
    }
    q.proj = items;
    q.groupBy = keys.length ? keys : null;
    if (having.length) q.having = { leaf: having[0], tags: ['having'] };
    q.distinct = r.chance(0.1);
    if (r.chance(0.25)) {
      const okeys = items.filter((p) => p.v || ['count', 'sum', 'min', 'max'].includes(p.agg)).map((p) => p.v || p.as);
      if (okeys.length) {
        q.orderBy = r.subset(okeys, 1).slice(0, 2).map((v) => ({ v, desc: r.chance(0.4) }));
        if (r.chance(0.4)) q.limit = r.int(1, 4);
      }
    }
  }
}

// ------------------------------------------------------------ serialise

function exprText(e) {
  if (e.leaf !== undefined) return e.leaf;
  if (e.op === '!') return `!(${exprText(e.args[0])})`;
  return `(${exprText(e.args[0])} ${e.op} ${exprText(e.args[1])})`;
}

function groupText(elems, ind) {
  const pad = '  '.repeat(ind);
  const out = [];
  for (const e of elems) {
    switch (e.t) {
      case 'triple': out.push(`${pad}${e.s} ${e.p} ${e.o} .`); break;
      case 'filter': out.push(`${pad}FILTER (${exprText(e.e)})`); break;
      case 'bind': out.push(`${pad}BIND (${e.expr} AS ${e.v})`); break;
      case 'values': out.push(`${pad}VALUES ${e.v} { ${e.vals.join(' ')} }`); break;
      case 'optional': out.push(`${pad}OPTIONAL {`, ...groupText(e.elems, ind + 1), `${pad}}`); break;
      case 'graph': out.push(`${pad}GRAPH ${e.g} {`, ...groupText(e.elems, ind + 1), `${pad}}`); break;
      case 'union':
        out.push(`${pad}{`, ...groupText(e.a, ind + 1), `${pad}} UNION {`, ...groupText(e.b, ind + 1), `${pad}}`);
        break;
      case 'sub': out.push(`${pad}{`, ...queryBody(e.q, ind + 1), `${pad}}`); break;
    }
  }
  return out;
}

function projText(q) {
  if (!q.proj) return '*';
  return q.proj.map((p) => (p.v ? p.v : `(${p.expr} AS ${p.as})`)).join(' ');
}

function queryBody(q, ind) {
  const pad = '  '.repeat(ind);
  const out = [];
  if (q.form === 'ask') out.push(`${pad}ASK WHERE {`);
  else out.push(`${pad}SELECT ${q.distinct ? 'DISTINCT ' : ''}${projText(q)} WHERE {`);
  out.push(...groupText(q.where, ind + 1), `${pad}}`);
  if (q.groupBy) out.push(`${pad}GROUP BY ${q.groupBy.join(' ')}`);
  if (q.having) out.push(`${pad}HAVING (${exprText(q.having)})`);
  if (q.orderBy) out.push(`${pad}ORDER BY ${q.orderBy.map((o) => (o.desc ? `DESC(${o.v})` : o.v)).join(' ')}`);
  if (q.limit != null) out.push(`${pad}LIMIT ${q.limit}`);
  if (q.offset != null) out.push(`${pad}OFFSET ${q.offset}`);
  return out;
}

function queryText(q) {
  return PROLOGUE + queryBody(q, 0).join('\n') + '\n';
}

// ------------------------------------------------------------ constructs

// The constructs a query uses, from its AST (so they stay right after
// minimisation).
function constructsOf(q) {
  const c = new Set();
  c.add(q.form === 'ask' ? 'ASK' : 'SELECT');
  const exprTags = (e) => {
    if (!e) return;
    if (e.leaf !== undefined) {
      for (const t of e.tags || []) c.add(t);
      if (/\bYEAR\(/.test(e.leaf)) c.add('fn:year');
      if (/\bMONTH\(/.test(e.leaf)) c.add('fn:month');
      if (/\bDAY\(/.test(e.leaf)) c.add('fn:day');
      return;
    }
    c.add(e.op === '&&' ? 'filter:&&' : e.op === '||' ? 'filter:||' : 'filter:!');
    e.args.forEach(exprTags);
  };
  const group = (elems, where) => {
    let triplesBefore = 0, optionals = 0;
    for (const e of elems) {
      switch (e.t) {
        case 'triple':
          triplesBefore++;
          if (e.p.startsWith('?')) c.add('var-predicate');
          break;
        case 'filter':
          c.add('FILTER');
          if (where === 'optional') c.add('optional-filter');
          exprTags(e.e);
          break;
        case 'bind':
          c.add('BIND');
          for (const t of e.tags) c.add(t);
          if (/\bYEAR\(/.test(e.expr)) c.add('fn:year');
          if (/\bMONTH\(/.test(e.expr)) c.add('fn:month');
          if (/\bDAY\(/.test(e.expr)) c.add('fn:day');
          break;
        case 'values':
          c.add('VALUES');
          for (const t of e.tags) c.add(t);
          if (where === 'optional') c.add('values-in-optional');
          break;
        case 'optional':
          c.add('OPTIONAL');
          optionals++;
          if (optionals === 2) c.add('optional-x2');
          if (triplesBefore >= 2) c.add('optional-after-multi');
          if (where === 'optional') c.add('optional-nested');
          if (where === 'union' || where === 'graph' || where === 'sub') c.add('optional-in-' + where);
          group(e.elems, 'optional');
          break;
        case 'union':
          c.add('UNION');
          group(e.a, 'union');
          group(e.b, 'union');
          break;
        case 'graph':
          c.add(e.g.startsWith('?') ? 'GRAPH ?var' : 'GRAPH <iri>');
          group(e.elems, 'graph');
          triplesBefore += e.elems.filter((x) => x.t === 'triple').length;
          break;
        case 'sub':
          c.add('subquery');
          if (e.q.distinct) c.add('subquery-distinct');
          group(e.q.where, 'sub');
          break;
      }
    }
    if (elems.filter((x) => x.t === 'triple').length >= 2) c.add('join');
  };
  group(q.where, 'top');
  if (q.form === 'select') {
    if (!q.proj) c.add('SELECT *');
    if (q.distinct) c.add('DISTINCT');
    for (const p of q.proj || []) {
      for (const t of p.tags || []) c.add(t);
      if (p.expr && /\bYEAR\(/.test(p.expr)) c.add('fn:year');
      if (p.expr && /\bMONTH\(/.test(p.expr)) c.add('fn:month');
      if (p.expr && /\bDAY\(/.test(p.expr)) c.add('fn:day');
    }
    if (q.groupBy) c.add('GROUP BY');
    if (q.proj && q.proj.some((p) => p.agg)) {
      if (!q.groupBy) c.add('aggregate-no-group');
      if (q.groupBy && q.proj.some((p) => /COUNT\(DISTINCT/.test(p.expr || ''))) c.add('count-distinct+group-by');
    }
    if (q.having) c.add('HAVING');
    if (q.orderBy) c.add('ORDER BY');
    if (q.limit != null || q.offset != null) c.add('LIMIT/OFFSET');
  }
  return c;
}

// ------------------------------------------------------------ results

const NUMERIC = new Set(['integer', 'decimal', 'double', 'float', 'int', 'long', 'short', 'byte',
  'nonNegativeInteger', 'positiveInteger', 'negativeInteger', 'nonPositiveInteger',
  'unsignedInt', 'unsignedLong', 'unsignedShort', 'unsignedByte'].map((x) => XSD + x));

function termKey(t) {
  if (!t) return '-';
  if (t.type === 'uri') return '<' + t.value + '>';
  if (t.type === 'bnode') return '_:';
  const lang = t['xml:lang'] ? t['xml:lang'].toLowerCase() : null;
  const dt = lang ? RDF + 'langString' : t.datatype || XSD + 'string';
  if (NUMERIC.has(dt) && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t.value.trim())) {
    return 'num:' + String(Number(t.value));
  }
  if (dt === XSD + 'boolean') return 'bool:' + (t.value === 'true' || t.value === '1');
  return JSON.stringify(t.value) + (lang ? '@' + lang : dt === XSD + 'string' ? '' : '^^' + dt);
}

// How one variable's value is compared: GROUP_CONCAT as the set of its
// separated values, SAMPLE by being bound only.
function valueKey(q, v, t) {
  const p = q.proj && q.proj.find((x) => x.as === v);
  if (p && p.agg === 'group_concat') {
    if (!t) return '-';
    return 'gc:{' + [...new Set(t.value === '' ? [] : t.value.split(p.sep))].sort().join(p.sep) + '}';
  }
  if (p && p.agg === 'sample') return t ? 'sample:bound' : '-';
  return termKey(t);
}

function rowKey(q, vars, b) {
  return vars.map((v) => `${v}=${valueKey(q, v, b[v])}`).join(' ');
}

function orderCategory(t) {
  if (!t) return 'U';
  if (t.type === 'uri') return 'iri';
  if (t.type === 'bnode') return 'other';
  if (t['xml:lang']) return 'other';
  const dt = t.datatype || XSD + 'string';
  if (NUMERIC.has(dt)) return 'num';
  if (dt === XSD + 'string') return 'str';
  if (dt === XSD + 'date') return 'date';
  if (dt === XSD + 'boolean') return 'bool';
  return 'other';
}

// Whether ORDER BY fixes the order of these results: each key takes values of
// one kind that SPARQL orders (numbers, strings, dates, IRIs; unbound first),
// and rows with equal keys are equal.
function orderIsTotal(q, json) {
  if (!q.orderBy) return false;
  const rows = json.results.bindings;
  for (const o of q.orderBy) {
    const cats = new Set(rows.map((b) => orderCategory(b[o.v])));
    cats.delete('U');
    if (cats.size > 1 || cats.has('other')) return false;
  }
  const vars = json.head.vars.slice().sort();
  const byKey = new Map();
  for (const b of rows) {
    const k = q.orderBy.map((o) => termKey(b[o.v])).join(' ');
    const full = rowKey(q, vars, b);
    if (byKey.has(k) && byKey.get(k) !== full) return false;
    byKey.set(k, full);
  }
  return true;
}

function multiset(keys) {
  const m = new Map();
  for (const k of keys) m.set(k, (m.get(k) || 0) + 1);
  return m;
}

// null when they agree, else {kinds: [...], detail}
function compare(q, ordered, ref, got) {
  if (q.form === 'ask') {
    return ref.boolean === got.boolean ? null
      : { kinds: ['ask'], detail: `ASK: oxigraph ${ref.boolean}, rasqal ${got.boolean}` };
  }
  if (!got.head || !got.results) return { kinds: ['format'], detail: 'not a SELECT result' };
  const rv = new Set(ref.head.vars), gv = new Set(got.head.vars || []);
  const kinds = [];
  const details = [];
  const extra = [...gv].filter((v) => !rv.has(v));
  const missing = [...rv].filter((v) => !gv.has(v));
  if (extra.length || missing.length) {
    kinds.push(!missing.length && extra.every((v) => v.includes('__dipkg')) ? 'vars+__dipkg' : 'vars');
    details.push(`variables: oxigraph [${[...rv].join(' ')}], rasqal [${[...gv].join(' ')}]`);
  }
  const common = [...rv].filter((v) => gv.has(v)).sort();
  const rk = ref.results.bindings.map((b) => rowKey(q, common, b));
  const gk = got.results.bindings.map((b) => rowKey(q, common, b));
  const rm = multiset(rk), gm = multiset(gk);
  const onlyRef = [], onlyGot = [];
  for (const [k, n] of rm) for (let i = (gm.get(k) || 0); i < n; i++) onlyRef.push(k);
  for (const [k, n] of gm) for (let i = (rm.get(k) || 0); i < n; i++) onlyGot.push(k);
  if (onlyRef.length || onlyGot.length) {
    kinds.push(onlyRef.length && onlyGot.length ? 'rows-differ' : onlyGot.length ? 'rows-extra' : 'rows-missing');
    details.push(`rows: oxigraph ${rk.length}, rasqal ${gk.length}`);
    for (const k of onlyRef.slice(0, 8)) details.push(`  only oxigraph: ${k}`);
    for (const k of onlyGot.slice(0, 8)) details.push(`  only rasqal:   ${k}`);
  } else if (ordered && rk.join('\n') !== gk.join('\n')) {
    kinds.push('order');
    details.push('same rows, different order');
  }
  return kinds.length ? { kinds, detail: details.join('\n') } : null;
}

function resultsText(q, json, max = 40) {
  if (!json) return '(none)';
  if (q.form === 'ask' || json.boolean !== undefined) return `boolean ${json.boolean}`;
  const vars = json.head.vars || [];
  const lines = [`vars: ${vars.join(' ')}`];
  const rows = json.results.bindings;
  for (const b of rows.slice(0, max)) lines.push('  ' + vars.map((v) => `${v}=${b[v] ? termKey(b[v]) : '-'}`).join(' '));
  if (rows.length > max) lines.push(`  ... ${rows.length - max} more rows (${rows.length} in all)`);
  if (!rows.length) lines.push('  (no rows)');
  return lines.join('\n');
}

// ------------------------------------------------------------ explanations
//
// A difference is explained when one of these shows where it comes from
// (README.md, "Classification").  The comparator's own normalisations
// (numbers by value, ...) come first and are not differences at all.
//
// Strict equality.  SPARQL 1.1 (17.4.1.7, RDFterm-equal) makes `=` and
// `!=` between two literals that are different terms, of types the
// operator table does not compare, a type error; Oxigraph answers false
// and true (`"a"@en != "a"` is true, `"12"^^xsd:integer != "x"` is true).
// Inside `!=`, NOT IN or `!` the two give different rows.  The query is
// run again on Oxigraph with each such comparison written so that it
// raises the error SPARQL 1.1 defines (an unbound variable) where the
// types are not comparable; when dipkg agrees with that answer, the
// difference is Oxigraph's extension, not a wrong answer of dipkg.

function strictCmp(a, op, b) {
  const ok = `(!isLiteral(${a}) || !isLiteral(${b}) || sameTerm(${a}, ${b}) || ` +
    `(isNumeric(${a}) && isNumeric(${b})) || (DATATYPE(${a}) = DATATYPE(${b}) && LANG(${a}) = LANG(${b})))`;
  return `IF(${ok}, ${a} ${op} ${b}, ?strict__error)`;
}

// The leaf with its comparisons strict, or null when it has none.
function strictLeaf(leaf) {
  let m = /^(\?\w+) (=|!=) (.+)$/.exec(leaf);
  if (m) return strictCmp(m[1], m[2], m[3]);
  m = /^(\?\w+) (NOT IN|IN) \((.*)\)$/.exec(leaf);
  if (m) {
    const items = m[3].split(', ');
    if (!items.every((x) => /^("([^"\\]|\\.)*"(@[a-zA-Z-]+|\^\^\S+)?|<[^>]*>|[\w:.+-]+)$/.test(x))) return null;
    const any = '(' + items.map((x) => strictCmp(m[1], '=', x)).join(' || ') + ')';
    return m[2] === 'IN' ? any : `!${any}`;
  }
  return null;
}

// Whether the answer grows with the truth of each comparison strictQuery()
// rewrites: they are all in FILTERs of the query's top group, not under
// `!`, and the query has no aggregate (an ASK, or a SELECT whose rows are
// those of the group).  Then an engine that answers some of them per
// SPARQL 1.1 (an error) and others as Oxigraph does (false for =, true for
// !=) gives rows between the two answers.
function monotoneInMixed(q) {
  if (q.form === 'select' && (q.groupBy || (q.proj || []).some((p) => p.agg))) return false;
  const tagged = (e) => (e.leaf !== undefined ? (e.tags || []).some((t) => t === 'cmp-mixed-literals' || t === 'cross-type')
    : e.args.some(tagged));
  const positive = (e) => (e.leaf !== undefined ? true
    : e.op === '!' ? !tagged(e.args[0]) : e.args.every(positive));
  const nested = (elems) => elems.some((e) => (e.t === 'filter' && tagged(e.e)) ||
    (e.elems && nested(e.elems)) || (e.t === 'union' && (nested(e.a) || nested(e.b))) || (e.t === 'sub' && nested(e.q.where)));
  for (const e of q.where) {
    if (e.t === 'filter' && !positive(e.e)) return false;
    if (e.t !== 'filter' && nested([e])) return false;
  }
  return true;
}

// Whether multiset `small` of rows is included in `big` (on the variables
// of both), or for ASK, small implies big.
function rowsWithin(q, small, big) {
  if (q.form === 'ask') return !small.boolean || big.boolean;
  const common = small.head.vars.filter((v) => big.head.vars.includes(v)).sort();
  const bm = multiset(big.results.bindings.map((b) => rowKey(q, common, b)));
  for (const b of small.results.bindings) {
    const k = rowKey(q, common, b);
    const n = bm.get(k) || 0;
    if (!n) return false;
    bm.set(k, n - 1);
  }
  return true;
}

// The query with the comparisons the generator tagged as mixing types
// made strict; null when it has none.
function strictQuery(q) {
  const c = structuredClone(q);
  let changed = false;
  const expr = (e) => {
    if (!e) return;
    if (e.leaf !== undefined) {
      if ((e.tags || []).some((t) => t === 'cmp-mixed-literals' || t === 'cross-type')) {
        const x = strictLeaf(e.leaf);
        if (x) {
          e.leaf = x;
          changed = true;
        }
      }
      return;
    }
    e.args.forEach(expr);
  };
  const group = (elems) => {
    for (const e of elems) {
      if (e.t === 'filter') expr(e.e);
      if (e.elems) group(e.elems);
      if (e.t === 'union') { group(e.a); group(e.b); }
      if (e.t === 'sub') group(e.q.where);
    }
  };
  group(c.where);
  return changed ? c : null;
}

// ------------------------------------------------------------ engines

class Engines {
  constructor(opts) {
    this.opts = opts;
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dipkg-crosscheck-'));
    this.onto = path.join(this.tmp, 'ontology');
    fs.mkdirSync(this.onto);
    fs.writeFileSync(path.join(this.onto, 'minimal.ttl'), ONTOLOGY_TTL);
    this.storeCache = { text: null, store: null };
    this.children = new Set();
  }

  close() {
    for (const pid of this.children) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }

  store(text, mode) {
    if (this.storeCache.text === text && this.storeCache.mode === mode) return this.storeCache.store;
    const store = new ox.Store();
    store.load(text, { format: mode === 'quads' ? 'application/n-quads' : 'application/n-triples' });
    this.storeCache = { text, mode, store };
    return store;
  }

  oxigraph(text, mode, query) {
    try {
      const out = this.store(text, mode).query(query, { use_default_graph_as_union: true, results_format: 'json' });
      return { ok: true, json: JSON.parse(out) };
    } catch (e) {
      return { ok: false, msg: String(e.message || e).split('\n')[0] };
    }
  }

  dataFile(text, mode) {
    const file = path.join(this.tmp, mode === 'quads' ? 'data.nq' : 'data.nt');
    if (this.lastData !== text + mode) {
      fs.writeFileSync(file, text);
      this.lastData = text + mode;
    }
    return file;
  }

  // A run of dipkg with its checks that times out is run once more with
  // three times the time: on a loaded machine (CI's 2 cores shared) a slow
  // run is not a finding; a second time-out is one.  (A raw run that times
  // out is raw rasqal's problem, not dipkg's: no second try.)  Output past
  // MAX_OUTPUT bytes ends the run as an error (a runaway cross product).
  dipkg(file, query, raw, retry = !raw) {
    const seconds = this.opts.timeout * (retry || raw ? 1 : 3);
    return new Promise((resolve) => {
      const env = { ...process.env };
      if (raw) env.DIPKG_SPARQL_RAW = '1';
      else delete env.DIPKG_SPARQL_RAW;
      const args = ['query', '--no-closure', '-f', 'json', '-j', '1', '--ontology', this.onto, file, '-e', query];
      // Its own process group: dipkg runs rasqal in a child process, and a
      // time-out must end both.
      const p = spawn(this.opts.dipkg, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      this.children.add(p.pid);
      const out = [], err = [];
      let timedOut = false, tooLarge = false, size = 0;
      const stop = () => {
        try {
          process.kill(-p.pid, 'SIGKILL');
        } catch {
          p.kill('SIGKILL');
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, seconds * 1000);
      p.stdout.on('data', (d) => {
        size += d.length;
        if (size > MAX_OUTPUT) {
          if (!tooLarge) stop();
          tooLarge = true;
          return;
        }
        out.push(d);
      });
      p.stderr.on('data', (d) => err.push(d));
      p.on('error', (e) => { clearTimeout(timer); resolve({ status: 'error', msg: String(e.message) }); });
      p.on('close', (code, signal) => {
        clearTimeout(timer);
        this.children.delete(p.pid);
        if (tooLarge) return resolve({ status: 'error', msg: `more than ${MAX_OUTPUT} bytes of output` });
        const stdout = timedOut ? '' : Buffer.concat(out).toString('utf8');
        const stderr = Buffer.concat(err).toString('utf8');
        const first = stderr.split('\n').find((l) => /error/.test(l)) || stderr.split('\n')[0] || '';
        if (timedOut && retry) return resolve(this.dipkg(file, query, raw, false));
        if (timedOut) return resolve({ status: 'error', msg: raw ? `timed out after ${seconds} s` : `timed out after ${this.opts.timeout} s, then ${seconds} s` });
        if (signal) return resolve({ status: 'crash', msg: `killed by ${signal}` });
        if (code === 0) {
          try {
            return resolve({ status: 'ok', json: JSON.parse(stdout) });
          } catch (e) {
            return resolve({ status: 'error', msg: 'invalid JSON output: ' + String(e.message).slice(0, 80), stdout });
          }
        }
        if (code === 2) return resolve({ status: 'refused', msg: first });
        if (/crashed/.test(stderr)) return resolve({ status: 'crash', msg: first });
        resolve({ status: 'error', msg: `exit ${code}: ${first}` });
      });
    });
  }
}

// ------------------------------------------------------------ one case

function makeCase(opts, k, corpora) {
  const source = opts.source === 'all' ? SOURCE_CYCLE[k % SOURCE_CYCLE.length] : opts.source;
  const r = new Rng(mix(opts.seed, k));
  let mode, data, from = null;
  if (source === 'synthetic') {
    mode = opts.mode === 'both' ? (k % 2 ? 'quads' : 'triples') : opts.mode;
    data = genData(r, mode);
  } else if (source === 'w3c') {
    const f = r.pick(corpora.w3c);
    mode = 'triples';
    from = f.file;
    data = sliceOf(r, f.quads).map((q) => ({ ...q, g: null }));
  } else {
    mode = 'quads';
    data = sliceOf(r, corpora[source]);
  }
  const q = new QueryGen(r, mode, data, source === 'synthetic' ? SYNTHETIC : vocabOf(data)).query();
  return { k, attempt: 0, mode, source, from, seed: opts.seed, data, q };
}

function vocabOfCase(c) {
  return !c.source || c.source === 'synthetic' ? SYNTHETIC : vocabOf(c.data);
}

// Evaluates a case.  With `only: 'dipkg'`, skips raw rasqal (minimisation).
async function evaluate(eng, c, only = null) {
  const q = structuredClone(c.q);
  const text = dataText(c.data, c.mode);
  let query = queryText(q);
  let ref = eng.oxigraph(text, c.mode, query);
  if (!ref.ok) return { cls: 'invalid', msg: ref.msg, query, q };
  let ordered = false;
  let limitDropped = false;
  if (q.orderBy && q.form === 'select') {
    let full = ref;
    if (q.limit != null || q.offset != null) {
      full = eng.oxigraph(text, c.mode, queryText({ ...q, limit: null, offset: null }));
      if (!full.ok) return { cls: 'invalid', msg: full.msg, query, q };
    }
    ordered = orderIsTotal(q, full.json);
    if (!ordered && (q.limit != null || q.offset != null)) {
      // LIMIT/OFFSET only with a total order: drop them
      q.limit = q.offset = null;
      query = queryText(q);
      ref = full;
      limitDropped = true;
    }
  }
  const file = eng.dataFile(text, c.mode);
  const [chk, raw] = await Promise.all([
    eng.dipkg(file, query, false),
    only === 'dipkg' ? Promise.resolve(null) : eng.dipkg(file, query, true),
  ]);
  const judge = (run) => {
    if (!run) return null;
    if (run.status !== 'ok') return { status: run.status, msg: run.msg };
    const d = compare(q, ordered, ref.json, run.json);
    return d ? { status: 'mismatch', diff: d, json: run.json } : { status: 'agree', json: run.json };
  };
  const J = judge(chk), R = judge(raw);
  let cls;
  if (J.status === 'crash') cls = 'crash';
  else if (J.status === 'mismatch') cls = 'mismatch-dipkg';
  else if (J.status === 'error') cls = 'error';
  else if (J.status === 'refused') cls = 'refused';
  else if (R && R.status !== 'agree') cls = 'mismatch-raw';
  else cls = 'agree';
  let explained = null;
  if (cls === 'mismatch-dipkg') {
    const sq = strictQuery(q);
    const strict = sq && eng.oxigraph(text, c.mode, queryText(sq));
    if (strict && strict.ok && compare(q, ordered, ref.json, strict.json) &&
        !compare(q, ordered, strict.json, J.json)) {
      explained = { id: 'oxigraph-equality', why: 'Oxigraph compares literals SPARQL 1.1 cannot (= and != give no type error)' };
    } else if (strict && strict.ok && !ordered && monotoneInMixed(q) &&
               rowsWithin(q, strict.json, J.json) && rowsWithin(q, J.json, ref.json)) {
      explained = { id: 'mixed-equality', why: 'SPARQL 1.1 lets = and != over literals of types it cannot compare be an error or false/true: dipkg\'s rows lie between the two answers' };
    }
  }
  const constructs = constructsOf(q);
  constructs.add('source:' + (c.source || 'synthetic'));
  if (ordered) constructs.add('order-total');
  if (limitDropped) constructs.add('limit-dropped');
  return { cls, q, query, ordered, ref: ref.json, dipkg: J, raw: R, constructs, text, explained };
}

function signature(res, focus = 'dipkg') {
  const run = res[focus];
  return run && run.diff ? run.diff.kinds.join('+') : run ? run.status : res.cls;
}

// ------------------------------------------------------------ minimise

function groupsOf(q, pathSoFar = ['where'], out = []) {
  const elems = getPath(q, pathSoFar);
  out.push(pathSoFar);
  elems.forEach((e, i) => {
    if (e.t === 'optional' || e.t === 'graph') groupsOf(q, [...pathSoFar, i, 'elems'], out);
    if (e.t === 'union') {
      groupsOf(q, [...pathSoFar, i, 'a'], out);
      groupsOf(q, [...pathSoFar, i, 'b'], out);
    }
    if (e.t === 'sub') groupsOf(q, [...pathSoFar, i, 'q', 'where'], out);
  });
  return out;
}

function getPath(o, p) {
  return p.reduce((x, k) => x[k], o);
}

function* exprReductions(e) {
  if (e.leaf !== undefined) return;
  for (const a of e.args) yield a;
  for (let i = 0; i < e.args.length; i++) {
    for (const r of exprReductions(e.args[i])) {
      const args = e.args.slice();
      args[i] = r;
      yield { ...e, args };
    }
  }
}

function* queryReductions(q) {
  const variant = (f) => {
    const c = structuredClone(q);
    f(c);
    return c;
  };
  for (const p of groupsOf(q)) {
    const elems = getPath(q, p);
    for (let i = 0; i < elems.length; i++) {
      const e = elems[i];
      yield variant((c) => getPath(c, p).splice(i, 1));
      if (e.t === 'union') {
        yield variant((c) => getPath(c, p).splice(i, 1, ...e.a));
        yield variant((c) => getPath(c, p).splice(i, 1, ...e.b));
      }
      if (e.t === 'optional' || e.t === 'graph') yield variant((c) => getPath(c, p).splice(i, 1, ...e.elems));
      if (e.t === 'filter') for (const r of exprReductions(e.e)) yield variant((c) => { getPath(c, p)[i].e = r; });
      if (e.t === 'values' && e.vals.length > 1) {
        for (let k = 0; k < e.vals.length; k++) yield variant((c) => getPath(c, p)[i].vals.splice(k, 1));
      }
      if (e.t === 'sub' && e.q.distinct) yield variant((c) => { getPath(c, p)[i].q.distinct = false; });
      if (e.t === 'sub' && e.q.proj.length > 1) {
        for (let k = 0; k < e.q.proj.length; k++) yield variant((c) => getPath(c, p)[i].q.proj.splice(k, 1));
      }
    }
  }
  if (q.distinct) yield variant((c) => { c.distinct = false; });
  if (q.having) yield variant((c) => { c.having = null; });
  if (q.limit != null) yield variant((c) => { c.limit = null; });
  if (q.offset != null) yield variant((c) => { c.offset = null; });
  if (q.orderBy) {
    yield variant((c) => { c.orderBy = null; c.limit = null; c.offset = null; });
    if (q.orderBy.length > 1) for (let k = 0; k < q.orderBy.length; k++) yield variant((c) => c.orderBy.splice(k, 1));
  }
  if (q.proj && q.proj.length > 1) {
    for (let k = 0; k < q.proj.length; k++) {
      yield variant((c) => {
        const [gone] = c.proj.splice(k, 1);
        if (gone.v && c.groupBy) c.groupBy = c.groupBy.filter((v) => v !== gone.v);
        if (c.groupBy && !c.groupBy.length) c.groupBy = null;
        if (c.orderBy) c.orderBy = c.orderBy.filter((o) => o.v !== (gone.v || gone.as));
        if (c.orderBy && !c.orderBy.length) c.orderBy = null;
      });
    }
  }
  if (q.groupBy && q.groupBy.length > 1) {
    for (let k = 0; k < q.groupBy.length; k++) {
      yield variant((c) => {
        const [gone] = c.groupBy.splice(k, 1);
        c.proj = c.proj.filter((x) => x.v !== gone);
      });
    }
  }
}

// Minimisation keeps the query realistic: every group keeps a triple
// pattern or a nested group (no empty `{ }`, no group that is only a
// FILTER, BIND or VALUES), so that it does not wander off to the empty-group
// cases.
function wellFormed(q) {
  const ok = (elems) => elems.some((e) => ['triple', 'graph', 'union', 'sub'].includes(e.t)) &&
    elems.every((e) => (e.t === 'optional' || e.t === 'graph' ? ok(e.elems)
      : e.t === 'union' ? ok(e.a) && ok(e.b) : e.t === 'sub' ? ok(e.q.where) : true));
  return ok(q.where);
}

// What must stay the same while a case is minimised: its class, the kind
// of difference of the run in focus ('dipkg' or 'raw'), the refusal, and
// whether each engine returned rows at all (so that a case does not drift
// to the empty-result bugs).
function fingerprint(res, focus) {
  const run = res[focus];
  if (!run) return 'none';
  const rows = (j) => (!j ? '?' : j.boolean !== undefined ? String(j.boolean) : j.results.bindings.length ? 'rows' : 'empty');
  return [res.cls, run.status, run.diff ? run.diff.kinds.join('+') : '',
    res.cls === 'refused' ? normaliseMsg(res.dipkg.msg) : '', rows(res.ref), rows(run.json)].join('/');
}

async function minimise(eng, c, focus, budget, seconds = 60) {
  let cur = structuredClone(c);
  let evals = 0;
  const deadline = Date.now() + seconds * 1000;
  const first = await evaluate(eng, cur, focus === 'dipkg' ? 'dipkg' : null);
  const want = fingerprint(first, focus);
  const fails = async (cand) => {
    if (evals >= budget || Date.now() > deadline) return false;
    evals++;
    const res = await evaluate(eng, cand, focus === 'dipkg' ? 'dipkg' : null);
    return fingerprint(res, focus) === want;
  };
  const reduceData = async () => {
    let n = 2;
    while (cur.data.length >= 1 && evals < budget) {
      const size = Math.ceil(cur.data.length / n);
      let done = false;
      for (let i = 0; i < cur.data.length; i += size) {
        const data = cur.data.slice(0, i).concat(cur.data.slice(i + size));
        if (await fails({ ...cur, data })) {
          cur = { ...cur, data };
          n = Math.max(n - 1, 2);
          done = true;
          break;
        }
      }
      if (!done) {
        if (size <= 1) break;
        n = Math.min(cur.data.length, n * 2);
      }
    }
  };
  const reduceQuery = async () => {
    let again = true;
    while (again && evals < budget) {
      again = false;
      for (const q of queryReductions(cur.q)) {
        if (wellFormed(q) && await fails({ ...cur, q })) {
          cur = { ...cur, q };
          again = true;
          break;
        }
      }
    }
  };
  await reduceData();
  await reduceQuery();
  await reduceData();
  return { c: cur, evals };
}

// ------------------------------------------------------------ reports

function runText(res, run) {
  if (!run) return '(not run)';
  return (run.json ? resultsText(res.q, run.json) : `${run.status}: ${run.msg}`) + `\n  [${run.status}]`;
}

// The file name of a case: its source (the mode for synthetic data), seed
// and number.
function caseName(c) {
  const src = !c.source || c.source === 'synthetic' ? c.mode : c.source;
  return `${src}-seed${c.seed}-case${c.k}`;
}

function sourceText(c) {
  return !c.source || c.source === 'synthetic' ? 'synthetic'
    : c.source === 'w3c' ? `a slice of the W3C data file ${c.from}`
      : c.source === 'seed' ? 'a slice of the seed corpus' : 'a slice of the generated corpus';
}

// Writes a case as NAME.nt|nq (data), NAME.rq (query), NAME.json (for
// --replay) and NAME.txt (everything, readable).
function writeCase(dir, focus, c, res, original) {
  fs.mkdirSync(dir, { recursive: true });
  const name = caseName(c);
  const base = path.join(dir, name);
  const ext = c.mode === 'quads' ? 'nq' : 'nt';
  const rel = path.relative(HERE, dir) || '.';
  fs.writeFileSync(`${base}.${ext}`, res.text);
  fs.writeFileSync(`${base}.rq`, res.query);
  fs.writeFileSync(`${base}.json`, JSON.stringify({ mode: c.mode, source: c.source, from: c.from, seed: c.seed, k: c.k, data: c.data, q: c.q }) + '\n');
  const run = res[focus];
  const lines = [
    `case ${c.k} (seed ${c.seed}, ${c.mode} mode, data: ${sourceText(c)})${original ? ', minimised' : ''}: ${res.cls}`,
    `difference (${focus === 'dipkg' ? 'dipkg' : 'raw rasqal'} vs oxigraph): ${run && run.diff ? run.diff.kinds.join('+') : run ? run.status : ''}`,
    `constructs: ${[...res.constructs].sort().join(', ')}`,
    '',
    `replay: node crosscheck.mjs --replay ${rel}/${name}.json`,
    `   or: build/dipkg query --no-closure -f json --ontology DIR ${rel}/${name}.${ext} ${rel}/${name}.rq`,
    `       (DIR: a directory holding only the two-triple ontology of README.md; DIPKG_SPARQL_RAW=1 for raw rasqal)`,
    '',
    '--- data', res.text.trimEnd() || '(no triples: only the two ontology triples)',
    '', '--- query', res.query.trimEnd(),
    '', '--- oxigraph', resultsText(res.q, res.ref),
    '', '--- dipkg (checks and rewrites)', runText(res, res.dipkg),
    '', '--- raw rasqal (DIPKG_SPARQL_RAW=1)', runText(res, res.raw),
    '', `--- difference (${focus === 'dipkg' ? 'dipkg' : 'raw rasqal'} vs oxigraph)`, run && run.diff ? run.diff.detail : run ? `${run.status}: ${run.msg || ''}` : '',
  ];
  if (original) {
    lines.push('', `--- original case before minimisation (${original.data.length} triples)`, queryText(original.q).trimEnd());
  }
  fs.writeFileSync(`${base}.txt`, lines.join('\n') + '\n');
  return name;
}

const CLASSES = ['agree', 'refused', 'mismatch-raw', 'mismatch-dipkg', 'crash', 'error'];

function printSummary(stats, opts) {
  const out = [];
  const rows = [...stats.byConstruct.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  const head = ['construct', 'cases', ...CLASSES, 'raw-wrong', 'refused-raw-ok'];
  const table = [head];
  const fmt = (name, s) => [name, s.cases, ...CLASSES.map((k) => s[k] || 0), s.rawWrong || 0, s.refusedRawOk || 0];
  for (const [name, s] of rows) table.push(fmt(name, s));
  table.push(fmt('TOTAL', stats.total));
  const widths = head.map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
  for (const r of table) out.push(r.map((x, i) => (i ? String(x).padStart(widths[i]) : String(x).padEnd(widths[i]))).join('  '));
  out.push('');
  out.push('raw-wrong: raw rasqal (DIPKG_SPARQL_RAW=1) differs from Oxigraph, fails or crashes, whatever dipkg did;');
  out.push('refused-raw-ok: dipkg refused a query that raw rasqal answered right (on this data).');
  out.push('');
  const top = (m, title) => {
    if (!m.size) return;
    out.push(title);
    for (const [k, n] of [...m.entries()].sort((a, b) => b[1] - a[1])) out.push(`  ${String(n).padStart(5)}  ${k}`);
    out.push('');
  };
  top(stats.refusals, 'dipkg refusals (first line, variables renamed ?v):');
  top(stats.rawKinds, 'raw rasqal problems (kind of difference -> what dipkg did):');
  top(stats.dipkgKinds, 'mismatch-dipkg (kind of difference):');
  top(stats.errors, 'errors and crashes:');
  top(stats.invalid, 'generated queries Oxigraph rejected (regenerated):');
  const groups = (m, title) => {
    if (!m.size) return;
    out.push(title);
    for (const [shape, names] of [...m.entries()].sort((a, b) => b[1].length - a[1].length)) {
      out.push(`  ${String(names.length).padStart(4)}  ${shape}`);
      out.push(`        ${names.slice(0, 3).join(', ')}`);
    }
    out.push('');
  };
  const rel = path.relative(process.cwd(), opts.failures) || '.';
  groups(stats.dipkgGroups, `mismatch-dipkg and crash cases (${rel}/), by what is left after minimisation ` +
    '(kind | constructs: count, first cases):');
  groups(stats.preventedGroups, `raw rasqal problems that dipkg prevents (${rel}/prevented/), by what is left after ` +
    'minimisation:');
  console.log(out.join('\n'));
}

function normaliseMsg(m) {
  return (m || '').replace(/^<query>:\d+:\d+: /, '').replace(/\?[A-Za-z0-9_]+/g, '?v').slice(0, 160);
}

// ------------------------------------------------------------ main

async function runOne(eng, opts, c) {
  // Regenerate queries Oxigraph rejects (rare generator slips) a few times.
  for (let attempt = 0; attempt < 6; attempt++) {
    if (attempt) {
      const r = new Rng(mix(mix(opts.seed, c.k), 1000 + attempt));
      c = { ...c, attempt, q: new QueryGen(r, c.mode, c.data, vocabOfCase(c)).query() };
    }
    const res = await evaluate(eng, c);
    if (res.cls !== 'invalid') return { c, res };
    if (opts.stats) opts.stats.invalid.set(res.msg.slice(0, 100), (opts.stats.invalid.get(res.msg.slice(0, 100)) || 0) + 1);
  }
  return { c, res: { cls: 'error', constructs: new Set(['invalid-query']), dipkg: { status: 'error', msg: 'could not generate a valid query' } } };
}

function printCase(c, res) {
  console.log(`case ${c.k} (${c.mode}, data: ${sourceText(c)}): ${res.cls}${res.dipkg && res.dipkg.diff ? ' ' + signature(res) : ''}`);
  if (res.explained) console.log(`explained: ${res.explained.id} (${res.explained.why})`);
  console.log('--- data\n' + (res.text || dataText(c.data, c.mode)).trimEnd());
  console.log('--- query\n' + (res.query || queryText(c.q)).trimEnd());
  console.log('--- constructs: ' + [...(res.constructs || [])].sort().join(', '));
  if (res.ref) console.log('--- oxigraph\n' + resultsText(res.q, res.ref));
  for (const [name, x] of [['dipkg', res.dipkg], ['raw rasqal', res.raw]]) {
    if (!x) continue;
    console.log(`--- ${name}: ${x.status}${x.msg ? ' ' + x.msg : ''}`);
    if (x.json) console.log(resultsText(res.q, x.json));
    if (x.diff) console.log(x.diff.detail);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(opts.dipkg)) {
    console.error(`crosscheck: no dipkg at ${opts.dipkg}: build it (make) or pass --dipkg PATH`);
    process.exit(2);
  }
  const eng = new Engines(opts);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      eng.close();
      process.exit(130);
    });
  }
  try {
    if (opts.replay) {
      const c = JSON.parse(fs.readFileSync(opts.replay, 'utf8'));
      const res = await evaluate(eng, c);
      printCase(c, res);
      return;
    }
    if (opts.case != null) {
      const { c, res } = await runOne(eng, opts, makeCase(opts, opts.case, loadCorpora(opts, eng.tmp)));
      printCase(c, res);
      return;
    }
    const newStats = () => ({ cases: 0 });
    const stats = {
      byConstruct: new Map(), total: newStats(), refusals: new Map(), rawKinds: new Map(),
      dipkgKinds: new Map(), errors: new Map(), invalid: new Map(), failureFiles: [],
      minimised: 0, minimisedBySig: new Map(), dipkgGroups: new Map(), preventedGroups: new Map(),
      explained: new Map(), explainedCases: new Map(), unexplained: 0,
    };
    opts.stats = stats;
    const bump = (m, k) => m.set(k, (m.get(k) || 0) + 1);
    // Start from an empty failures directory (only our own files).
    for (const dir of [opts.failures, path.join(opts.failures, 'prevented')]) {
      if (!fs.existsSync(dir)) continue;
      for (const f of fs.readdirSync(dir)) {
        const m = /^(triples|quads|seed|gen|w3c)-seed\d+-case\d+\.(nt|nq|rq|txt|json)$/.exec(f);
        if (m) fs.rmSync(path.join(dir, f));
      }
    }
    const corpora = loadCorpora(opts, eng.tmp);
    const logFd = opts.log ? fs.openSync(opts.log, 'a') : null;
    const t0 = Date.now();
    let done = 0;
    for (let k = opts.first; k < opts.first + opts.cases; k++) {
      const { c, res } = await runOne(eng, opts, makeCase(opts, k, corpora));
      if (opts.only && !res.constructs.has(opts.only)) continue;
      done++;
      const count = (s) => {
        s.cases++;
        s[res.cls] = (s[res.cls] || 0) + 1;
        if (res.raw && res.raw.status !== 'agree') s.rawWrong = (s.rawWrong || 0) + 1;
        if (res.cls === 'refused' && res.raw && res.raw.status === 'agree') s.refusedRawOk = (s.refusedRawOk || 0) + 1;
      };
      count(stats.total);
      for (const con of res.constructs) {
        if (!stats.byConstruct.has(con)) stats.byConstruct.set(con, newStats());
        count(stats.byConstruct.get(con));
      }
      if (res.cls === 'refused') bump(stats.refusals, normaliseMsg(res.dipkg.msg) + (res.raw && res.raw.status === 'agree' ? '   [raw rasqal was right]' : '   [raw rasqal was wrong]'));
      if (res.raw && res.raw.status !== 'agree') {
        const rk = res.raw.status === 'mismatch' ? res.raw.diff.kinds.join('+') : `${res.raw.status}: ${normaliseMsg(res.raw.msg)}`;
        bump(stats.rawKinds, `${rk}  ->  dipkg ${res.cls === 'mismatch-raw' ? 'fixed it (agrees)' : res.cls}`);
      }
      if (res.cls === 'crash' || res.cls === 'error') bump(stats.errors, `${res.cls}: ${normaliseMsg(res.dipkg.msg)}`);
      // mismatch-dipkg cases go to failures/; the raw rasqal problems that
      // dipkg prevents (it agrees with Oxigraph, or refuses) to
      // failures/prevented/.  Both minimised within --minimize.
      const rawWrong = res.raw && (res.raw.status === 'mismatch' || res.raw.status === 'crash');
      if (res.explained) {
        bump(stats.explained, `${res.explained.id}: ${res.explained.why}`);
        if (!stats.explainedCases.has(res.explained.id)) stats.explainedCases.set(res.explained.id, []);
        stats.explainedCases.get(res.explained.id).push(caseName(c));
      } else if (['mismatch-dipkg', 'crash', 'error'].includes(res.cls)) {
        stats.unexplained++;
      }
      const focus = res.explained ? null : res.cls === 'mismatch-dipkg' || res.cls === 'crash' ? 'dipkg'
        : (res.cls === 'mismatch-raw' || res.cls === 'refused') && rawWrong ? 'raw' : null;
      if (focus) {
        const sig = signature(res, focus);
        const group = focus === 'dipkg' ? stats.dipkgGroups : stats.preventedGroups;
        if (focus === 'dipkg') bump(stats.dipkgKinds, sig);
        let final = res, fc = c, original = null;
        const key = [focus, sig, focus === 'raw' ? res.cls + normaliseMsg(res.dipkg.msg).slice(0, 40) : '',
          ...['aggregate-no-group', 'GROUP BY', 'OPTIONAL', 'UNION', 'BIND', 'VALUES', 'GRAPH ?var', 'GRAPH <iri>',
            'subquery', 'FILTER', 'SELECT *', 'ORDER BY', 'DISTINCT'].filter((x) => res.constructs.has(x))].join('|');
        const perSig = stats.minimisedBySig.get(key) || 0;
        if (stats.minimised < opts.minimize && perSig < opts.perKind) {
          stats.minimised++;
          stats.minimisedBySig.set(key, perSig + 1);
          const m = await minimise(eng, c, focus, 250);
          const again = await evaluate(eng, m.c);
          if (fingerprint(again, focus) === fingerprint(res, focus)) {
            final = again;
            fc = m.c;
            original = c;
          }
        }
        const dir = focus === 'dipkg' ? opts.failures : path.join(opts.failures, 'prevented');
        const name = writeCase(dir, focus, fc, final, original);
        const what = focus === 'dipkg' ? `${final.cls} ${sig}`
          : `raw ${sig} -> dipkg ${final.cls === 'mismatch-raw' ? 'agrees' : 'refuses: ' + normaliseMsg(final.dipkg.msg).slice(7, 60)}`;
        const shape = `${what} | ${[...constructsOf(fc.q)].filter((x) => x !== 'SELECT').sort().join(', ')}` +
          (original ? '' : ' (not minimised)');
        if (!group.has(shape)) group.set(shape, []);
        group.get(shape).push(name);
        if (focus === 'dipkg') stats.failureFiles.push(name);
      }
      if (logFd !== null) {
        fs.writeSync(logFd, JSON.stringify({
          k: c.k, mode: c.mode, cls: res.cls, explained: res.explained ? res.explained.id : null,
          constructs: [...res.constructs].sort(),
          rows: res.ref ? (res.ref.results ? res.ref.results.bindings.length : res.ref.boolean) : null,
          dipkg: res.dipkg && { status: res.dipkg.status, msg: res.dipkg.msg, diff: res.dipkg.diff && res.dipkg.diff.kinds },
          raw: res.raw && { status: res.raw.status, msg: res.raw.msg, diff: res.raw.diff && res.raw.diff.kinds },
          query: res.query,
        }) + '\n');
      }
      if (!opts.quiet && process.stderr.isTTY && done % 25 === 0) {
        const t = stats.total;
        process.stderr.write(`\r${done}/${opts.cases} cases, ${((Date.now() - t0) / 1000).toFixed(0)} s: ` +
          CLASSES.map((x) => `${x} ${t[x] || 0}`).join(', ') + '   ');
      }
    }
    if (!opts.quiet && process.stderr.isTTY) process.stderr.write('\n');
    if (logFd !== null) fs.closeSync(logFd);
    console.log(`${done} cases (seed ${opts.seed}, mode ${opts.mode}), ${((Date.now() - t0) / 1000).toFixed(0)} s, dipkg ${path.relative(process.cwd(), opts.dipkg)}\n`);
    printSummary(stats, opts);
    if (stats.explained.size) {
      console.log('explained differences (README.md, "Classification"):');
      for (const [k, n] of stats.explained) {
        const id = k.split(':')[0];
        console.log(`  ${String(n).padStart(5)}  ${k}\n         ${stats.explainedCases.get(id).slice(0, 5).join(', ')}`);
      }
      console.log('');
    }
    console.log(`unexplained differences (mismatch-dipkg, crash, error): ${stats.unexplained}` +
      ` (seed ${opts.seed}; replay one with --seed ${opts.seed} --case K)`);
    process.exitCode = stats.unexplained ? 1 : 0;
  } finally {
    eng.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});

#!/usr/bin/env node
// The query pack on another engine: every queries/*.rq, unchanged, on
// Oxigraph over a portable export (`dipkg export --closure
// --with-ontology`, N-Quads), compared with what `dipkg query` answers over
// the facts themselves.  Exit 0 when every query agrees, 1 otherwise, 2 on
// a usage error.
//
//   node pack.mjs --dipkg PATH --export FILE.nq --queries DIR -- FACTS...
//
// Results are compared as multisets of rows; with an ORDER BY, the order
// of the rows is compared too.  Terms are compared on kind, value,
// datatype (a plain literal is xsd:string) and language; blank nodes only
// on being blank (their labels are the engine's own).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ox from 'oxigraph';

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const XSD_STRING = XSD + 'string';
// Numbers are compared by value: Oxigraph returns an
// xsd:nonNegativeInteger it stored as an xsd:integer.
const NUMERIC = new Set(['integer', 'decimal', 'double', 'float', 'long', 'int',
  'short', 'byte', 'nonNegativeInteger', 'positiveInteger', 'negativeInteger',
  'nonPositiveInteger', 'unsignedLong', 'unsignedInt', 'unsignedShort',
  'unsignedByte'].map((n) => XSD + n));

function literalKey(value, datatype, lang) {
  if (lang) return `"${value}"@${lang.toLowerCase()}`;
  if (NUMERIC.has(datatype) && value.trim() !== '' && !Number.isNaN(Number(value)))
    return `${Number(value)}`;
  return `"${value}"^^${datatype || XSD_STRING}`;
}

function usage() {
  process.stderr.write('usage: node pack.mjs --dipkg PATH --export FILE.nq ' +
                       '--queries DIR [--only NAME] -- FACTS...\n');
  process.exit(2);
}

const o = { dipkg: null, exportFile: null, queries: null, only: null, facts: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--') { o.facts = argv.slice(i + 1); break; }
  if (i + 1 >= argv.length) usage();
  if (a === '--dipkg') o.dipkg = argv[++i];
  else if (a === '--export') o.exportFile = argv[++i];
  else if (a === '--queries') o.queries = argv[++i];
  else if (a === '--only') o.only = argv[++i];
  else usage();
}
if (!o.dipkg || !o.exportFile || !o.queries || !o.facts.length) usage();

// The term as a comparable string.
function keyOx(t) {
  if (!t) return '';
  if (t.termType === 'NamedNode') return `<${t.value}>`;
  if (t.termType === 'BlankNode') return '_:';
  return literalKey(t.value, t.datatype && t.datatype.value, t.language);
}

function keyJson(t) {
  if (!t) return '';
  if (t.type === 'uri') return `<${t.value}>`;
  if (t.type === 'bnode') return '_:';
  return literalKey(t.value, t.datatype, t['xml:lang']);
}

const store = new ox.Store();
store.load(fs.readFileSync(o.exportFile, 'utf8'),
           { format: 'application/n-quads' });

const names = fs.readdirSync(o.queries).filter((f) => f.endsWith('.rq')).sort();
let failed = 0;
let compared = 0;
for (const name of names) {
  if (o.only && !name.startsWith(o.only)) continue;
  const file = path.join(o.queries, name);
  const text = fs.readFileSync(file, 'utf8');
  // Oxigraph: the default graph is the union of the graphs, as in dipkg.
  let oxRows, vars;
  try {
    const res = store.query(text, { use_default_graph_as_union: true });
    if (!Array.isArray(res)) throw new Error('not a SELECT query');
    oxRows = res.map((m) => m);
    vars = null;
  } catch (e) {
    console.log(`${name}: Oxigraph failed: ${e.message}`);
    failed++;
    continue;
  }
  const run = spawnSync(o.dipkg, ['query', '-f', 'json', file, ...o.facts],
                        { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) {
    console.log(`${name}: dipkg query failed (${run.status}): ${run.stderr}`);
    failed++;
    continue;
  }
  const json = JSON.parse(run.stdout);
  vars = json.head.vars;
  const dk = json.results.bindings.map((b) => vars.map((v) => keyJson(b[v])).join('\t'));
  const ok = oxRows.map((m) => vars.map((v) => keyOx(m.get(v))).join('\t'));
  const ordered = /^\s*ORDER\s+BY/mi.test(text);
  const same = ordered
    ? dk.length === ok.length && dk.every((r, i) => r === ok[i])
    : JSON.stringify([...dk].sort()) === JSON.stringify([...ok].sort());
  compared++;
  if (same) {
    console.log(`${name}: agree (${dk.length} rows${ordered ? ', in order' : ''})`);
    continue;
  }
  failed++;
  console.log(`${name}: DIFFER: dipkg ${dk.length} rows, Oxigraph ${ok.length} rows`);
  const a = new Set(dk), b = new Set(ok);
  for (const r of dk.filter((x) => !b.has(x)).slice(0, 5)) console.log(`  only dipkg:    ${r}`);
  for (const r of ok.filter((x) => !a.has(x)).slice(0, 5)) console.log(`  only Oxigraph: ${r}`);
  if (ordered && dk.length === ok.length) console.log('  (same rows, another order)');
}
console.log(`${compared} queries compared, ${failed} differ or failed`);
process.exit(failed || !compared ? 1 : 0);

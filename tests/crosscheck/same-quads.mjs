// Usage: node same-quads.mjs A B
// Reads two RDF files with Oxigraph (the format from each name's
// extension: .nq, .trig, .ttl, .nt) and compares their quads.  Exit 0 when
// they hold the same quads; 1 with the differing ones.  Blank nodes are
// compared by label, which is enough for dipkg's exports (they name their
// blank nodes the same in every format).
import fs from 'node:fs';
import oxigraph from 'oxigraph';

const types = {
  nq: 'application/n-quads', trig: 'application/trig',
  ttl: 'text/turtle', nt: 'application/n-triples',
};

function quads(path) {
  const ext = path.slice(path.lastIndexOf('.') + 1);
  if (!types[ext]) throw new Error(`${path}: unknown extension`);
  const store = new oxigraph.Store();
  store.load(fs.readFileSync(path, 'utf8'), { format: types[ext] });
  return new Set(store.match().map((q) => q.toString()));
}

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node same-quads.mjs A B');
  process.exit(2);
}
const qa = quads(a), qb = quads(b);
const onlyA = [...qa].filter((q) => !qb.has(q));
const onlyB = [...qb].filter((q) => !qa.has(q));
for (const q of onlyA.slice(0, 20)) console.log(`only in ${a}: ${q}`);
for (const q of onlyB.slice(0, 20)) console.log(`only in ${b}: ${q}`);
if (onlyA.length || onlyB.length) {
  console.log(`${onlyA.length} + ${onlyB.length} quads differ`);
  process.exit(1);
}
console.log(`same quads: ${qa.size}`);

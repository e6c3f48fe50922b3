#!/usr/bin/env node
// Times the query pack on Oxigraph (the npm package tests/crosscheck
// installs) over a portable export: the load, then each queries/*.rq,
// unchanged.  Prints "load SECONDS QUADS" and then "QUERY SECONDS ROWS"
// lines (tab-separated).  A benchmark helper of scripts/bench-stores.sh.
//
//   node scripts/bench-oxigraph.mjs EXPORT.nq QUERIES_DIR
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(
  new URL('../tests/crosscheck/package.json', import.meta.url));
const ox = require('oxigraph');

const [file, dir] = process.argv.slice(2);
if (!file || !dir) {
  console.error('usage: node bench-oxigraph.mjs EXPORT.nq QUERIES_DIR');
  process.exit(2);
}
const store = new ox.Store();
let t = process.hrtime.bigint();
// In pieces of whole lines: a JavaScript string holds at most 512 MiB,
// less than the N-Quads export of 10,000 articles.  (The export has no
// blank nodes, whose labels would not carry from one piece to the next.)
{
  const fd = fs.openSync(file, 'r');
  const piece = Buffer.alloc(64 << 20);
  let rest = Buffer.alloc(0);
  for (;;) {
    const n = fs.readSync(fd, piece, 0, piece.length, null);
    const data = Buffer.concat([rest, piece.subarray(0, n)]);
    const end = n ? data.lastIndexOf(10) + 1 : data.length;
    if (end)
      store.load(data.subarray(0, end).toString('utf8'),
                 { format: 'application/n-quads' });
    rest = Buffer.from(data.subarray(end));
    if (!n)
      break;
  }
  fs.closeSync(fd);
}
const secs = () => Number(process.hrtime.bigint() - t) / 1e9;
console.log(`load\t${secs().toFixed(2)}\t${store.size}`);
for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.rq')).sort()) {
  const text = fs.readFileSync(path.join(dir, name), 'utf8');
  t = process.hrtime.bigint();
  const rows = store.query(text, { use_default_graph_as_union: true });
  const n = Array.isArray(rows) ? rows.length : [...rows].length;
  console.log(`${name}\t${secs().toFixed(3)}\t${n}`);
}

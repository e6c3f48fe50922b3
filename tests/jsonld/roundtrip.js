// Usage: node roundtrip.js FILE.jsonld FILE.nt
// Canonicalises (RDFC-1.0 / URDNA2015) the graph the JSON-LD document
// expands to and the graph of the N-Triples file, and compares them.
// Exit 0 when they are the same graph; 1 with the differing lines.
'use strict';
const fs = require('fs');
const jsonld = require('jsonld');

async function main() {
  const [doc, nt] = process.argv.slice(2);
  if (!doc || !nt) {
    console.error('usage: node roundtrip.js FILE.jsonld FILE.nt');
    process.exit(2);
  }
  const input = JSON.parse(fs.readFileSync(doc, 'utf8'));
  // No remote context may be fetched: the document must be self-contained.
  const documentLoader = (url) => {
    throw new Error('remote context requested: ' + url);
  };
  const fromJsonld = await jsonld.canonize(input, {
    algorithm: 'URDNA2015', format: 'application/n-quads', documentLoader,
    safe: true,
  });
  const fromNt = await jsonld.canonize(fs.readFileSync(nt, 'utf8'), {
    algorithm: 'URDNA2015', inputFormat: 'application/n-quads',
    format: 'application/n-quads',
  });
  const a = new Set(fromJsonld.split('\n').filter(Boolean));
  const b = new Set(fromNt.split('\n').filter(Boolean));
  const onlyJsonld = [...a].filter((l) => !b.has(l));
  const onlyNt = [...b].filter((l) => !a.has(l));
  if (onlyJsonld.length || onlyNt.length) {
    for (const l of onlyJsonld) console.log('only in JSON-LD: ' + l);
    for (const l of onlyNt) console.log('only in N-Triples: ' + l);
    process.exit(1);
  }
  console.log(`same graph: ${a.size} statements`);
}
main().catch((e) => { console.error(e.message || e); process.exit(1); });

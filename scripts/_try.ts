import { readFileSync } from 'node:fs';
import { parsePage } from '../parsers/index.ts';
const f = process.argv[2];
const r = parsePage({ body: readFileSync(f) }, f.endsWith('.txt') ? 'text' : undefined);
console.log(JSON.stringify(r, null, 1).slice(0, Number(process.argv[3] ?? 6000)));

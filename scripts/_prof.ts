import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePage } from '../parsers/index.ts';
import { PINGTAN_DIR, SEEDS_DIR, pingtanPages, seedTexts } from './bench/corpus.ts';
const inputs = [...pingtanPages().map((p) => ({ body: readFileSync(join(PINGTAN_DIR, p.path)), form: 'html' as const })), ...seedTexts().map((f) => ({ body: readFileSync(join(SEEDS_DIR, f)), form: 'text' as const }))];
for (let k = 0; k < 40; k++) for (const i of inputs) parsePage({ body: i.body }, i.form);

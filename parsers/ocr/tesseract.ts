/** Running Debian's tesseract on a raster: the one place the OCR engine is called. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Gray } from './png.ts';

export interface OcrWord {
  text: string;
  conf: number;
  left: number;
  top: number;
  width: number;
  height: number;
  /** tesseract's block/paragraph/line numbers: words of one text line share them */
  line: string;
  /** index of the image, when several are read in one run */
  page: number;
}

export interface TesseractOptions {
  lang: string;
  psm: number;
  /** characters tesseract may output (tessedit_char_whitelist) */
  whitelist?: string;
}

let available: boolean | null = null;

/** Whether `tesseract` with chi_sim is installed (tesseract-ocr, tesseract-ocr-chi-sim). */
export function tesseractAvailable(): boolean {
  if (available === null) {
    const r = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' });
    available = r.status === 0 && /^chi_sim$/m.test(r.stdout) && /^eng$/m.test(r.stdout);
  }
  return available;
}

function pgm(g: Gray): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${g.width} ${g.height}\n255\n`, 'latin1'), Buffer.from(g.data)]);
}

/** OCR several images in one tesseract run (one process: startup and model loading cost ~0.3 s each). */
export function tesseractPages(imgs: Gray[], opts: TesseractOptions): OcrWord[] {
  if (!imgs.length) return [];
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-ocr-'));
  try {
    const files = imgs.map((img, i) => {
      const file = join(dir, `${String(i).padStart(5, '0')}.pgm`);
      writeFileSync(file, pgm(img));
      return file;
    });
    const list = join(dir, 'list.txt');
    writeFileSync(list, files.join('\n') + '\n');
    const args = [list, 'stdout', '-l', opts.lang, '--psm', String(opts.psm)];
    if (opts.whitelist) args.push('-c', `tessedit_char_whitelist=${opts.whitelist}`);
    args.push('tsv');
    // OpenMP threads cost 2-3x the CPU for no gain on small images (and the crawler runs beside it)
    const env = { ...process.env, OMP_THREAD_LIMIT: '1' };
    let tsv: string;
    try {
      tsv = execFileSync('tesseract', args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string };
      if (err.code === 'ENOENT') throw new Error('tesseract is not installed (apt-get install -y tesseract-ocr tesseract-ocr-chi-sim)');
      throw new Error(`tesseract failed: ${String(err.stderr ?? err.message).trim().slice(0, 500)}`);
    }
    const words: OcrWord[] = [];
    for (const line of tsv.split('\n')) {
      const f = line.split('\t');
      if (f.length < 12 || f[0] !== '5' || f[11].trim() === '') continue;
      words.push({
        text: f[11], conf: Number(f[10]), left: +f[6], top: +f[7], width: +f[8], height: +f[9],
        line: `${f[2]}.${f[3]}.${f[4]}`, page: Number(f[1]) - 1,
      });
    }
    return words;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function tesseractWords(img: Gray, opts: TesseractOptions): OcrWord[] {
  return tesseractPages([img], opts);
}

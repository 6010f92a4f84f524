/** PDF bytes → each page's text items (with positions) and ruling lines, through unpdf's build of pdf.js. */
import type { PdfPageContent, PdfRule, PdfTextItem } from './pdf-layout.ts';

/** Pages read at most: an annual report is a few pages; a 500-page scan is not parsed in full. */
export const MAX_PDF_PAGES = 60;

/**
 * pdf.js calls ArrayBuffer.prototype.transferToFixedLength (Node ≥ 21); on Node 20 the operator list of a page
 * stops at the first call. A copy has the same contents, which is all pdf.js needs.
 */
function polyfillArrayBuffer(): void {
  const proto = ArrayBuffer.prototype as unknown as { transferToFixedLength?: (n?: number) => ArrayBuffer; transfer?: (n?: number) => ArrayBuffer };
  if (proto.transferToFixedLength) return;
  const copy = function (this: ArrayBuffer, length?: number): ArrayBuffer {
    const n = length ?? this.byteLength;
    const out = new ArrayBuffer(n);
    new Uint8Array(out).set(new Uint8Array(this, 0, Math.min(n, this.byteLength)));
    return out;
  };
  Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', { value: copy, configurable: true, writable: true });
  if (!proto.transfer) Object.defineProperty(ArrayBuffer.prototype, 'transfer', { value: copy, configurable: true, writable: true });
}

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** m applied after ctm (PDF's cm: CTM' = m × CTM). */
function multiply(m: Matrix, ctm: Matrix): Matrix {
  return [
    m[0] * ctm[0] + m[1] * ctm[2], m[0] * ctm[1] + m[1] * ctm[3],
    m[2] * ctm[0] + m[3] * ctm[2], m[2] * ctm[1] + m[3] * ctm[3],
    m[4] * ctm[0] + m[5] * ctm[2] + ctm[4], m[4] * ctm[1] + m[5] * ctm[3] + ctm[5],
  ];
}

const apply = (m: Matrix, x: number, y: number) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

export interface PdfContent {
  pages: PdfPageContent[];
  totalPages: number;
}

/** Read a PDF's pages. Rejects (with pdf.js's message) on a corrupt or encrypted file. */
export async function readPdf(bytes: Uint8Array): Promise<PdfContent> {
  polyfillArrayBuffer();
  const { getDocumentProxy, getResolvedPDFJS } = await import('unpdf');
  const { OPS } = await getResolvedPDFJS();
  // pdf.js takes ownership of the buffer it is given: hand it a copy
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  try {
    const pages: PdfPageContent[] = [];
    const n = Math.min(pdf.numPages, MAX_PDF_PAGES);
    for (let i = 1; i <= n; i++) {
      const page = await pdf.getPage(i);
      const [x0, y0, x1, y1] = page.view;
      const height = y1 - y0;
      const toTop = (y: number) => y1 - y;
      const items: PdfTextItem[] = [];
      const text = await page.getTextContent();
      for (const it of text.items) {
        if (!('str' in it) || !it.str) continue;
        const [a, b, , , e, f] = it.transform as number[];
        items.push({ str: it.str, x: e - x0, y: toTop(f), width: it.width, size: Math.hypot(a, b) || it.height });
      }
      const rules: PdfRule[] = [];
      const ops = await page.getOperatorList();
      let ctm: Matrix = IDENTITY;
      const stack: Matrix[] = [];
      for (let k = 0; k < ops.fnArray.length; k++) {
        const fn = ops.fnArray[k];
        const args = ops.argsArray[k];
        if (fn === OPS.save) stack.push(ctm);
        else if (fn === OPS.restore) ctm = stack.pop() ?? IDENTITY;
        else if (fn === OPS.transform) ctm = multiply(args as Matrix, ctm);
        else if (fn === OPS.constructPath) {
          // [drawing op, path data, bounding box in user space]
          const box = args?.[2] as ArrayLike<number> | undefined;
          if (!box || box.length < 4) continue;
          const corners = [apply(ctm, box[0], box[1]), apply(ctm, box[2], box[3]), apply(ctm, box[0], box[3]), apply(ctm, box[2], box[1])];
          const xs = corners.map((c) => c[0] - x0);
          const ys = corners.map((c) => toTop(c[1]));
          rules.push({ x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) });
        }
      }
      pages.push({ width: x1 - x0, height, items, rules });
      page.cleanup();
    }
    return { pages, totalPages: pdf.numPages };
  } finally {
    await pdf.destroy();
  }
}

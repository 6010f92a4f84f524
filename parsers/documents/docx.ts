/** DOCX → HTML through mammoth: paragraphs and Word tables (merged cells as rowspan/colspan) for the page reader. */

/** mammoth's HTML of a .docx, in a page shell so the HTML reader finds the body. Rejects on a broken file. */
export async function docxToHtml(bytes: Uint8Array): Promise<{ html: string; messages: string[] }> {
  const mammoth = (await import('mammoth')).default;
  const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  const html = `<!doctype html><html><head><meta charset="utf-8"></head><body><div class="docx-body">${result.value}</div></body></html>`;
  return { html, messages: result.messages.map((m) => `${m.type}: ${m.message}`) };
}

/** Dates as printed on report pages → ISO "YYYY-MM-DD". */

const CN_DIGITS: Record<string, string> = { 〇: '0', 零: '0', O: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };

/** "二〇二四年一月二十四日" → "2024年1月24日" */
export function arabicDate(text: string): string {
  return text.replace(/[〇零O一二三四五六七八九十]+(?=年|月|日|号)/g, (run) => {
    if (run.includes('十')) {
      const [a, b] = run.split('十');
      return String((a ? Number(CN_DIGITS[a]) : 1) * 10 + (b ? Number(CN_DIGITS[b]) : 0));
    }
    return run.split('').map((c) => CN_DIGITS[c] ?? c).join('');
  });
}

const DATE = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?/;

function iso(y: string, m: string, d: string): string | null {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The first date in a string, or null. */
export function findDate(text: string | null | undefined): string | null {
  if (!text) return null;
  const m = arabicDate(text.normalize('NFKC')).match(DATE);
  return m ? iso(m[1], m[2], m[3]) : null;
}

/** A paragraph that is nothing but a date (a report's signing line). */
export function dateLine(text: string): string | null {
  const t = arabicDate(text.normalize('NFKC')).replace(/\s+/g, '');
  const m = t.match(/^(\d{4})年(\d{1,2})月(\d{1,2})[日号]$/) ?? t.match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/);
  return m ? iso(m[1], m[2], m[3]) : null;
}

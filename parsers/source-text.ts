/** Reading small things straight from page source, where building a DOM would cost more than the answer. */
import { decodeHTML } from 'entities';
import { squash } from './normalize.ts';

const TAGS = /<[^>]*>/g;

/** Visible-ish text of a source fragment: scripts, styles and tags removed, entities decoded. */
export function plainText(html: string): string {
  return squash(decodeHTML(html.replace(/<script\b[\s\S]*?<\/script\s*>|<style\b[\s\S]*?<\/style\s*>|<!--[\s\S]*?-->/gi, ' ').replace(TAGS, ' ')));
}

/** Text of the first <name>…</name> in the source. */
export function firstTag(html: string, name: string): string {
  const m = html.match(new RegExp(`<${name}\\b[^>]*>([\\s\\S]*?)</${name}\\s*>`, 'i'));
  return m ? squash(decodeHTML(m[1].replace(TAGS, ''))) : '';
}

const META = /<meta\b([^>]*)>/gi;
const ATTR = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g;

/** <meta name=… content=…> from source, names lower-cased; the first non-empty value wins. */
export function metaTagsFromSource(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  // exec on the shared patterns: matchAll clones the RegExp on every call
  META.lastIndex = 0;
  for (let m = META.exec(html); m; m = META.exec(html)) {
    let name = '';
    let content = '';
    const attrs = m[1];
    ATTR.lastIndex = 0;
    for (let a = ATTR.exec(attrs); a; a = ATTR.exec(attrs)) {
      const key = a[1].toLowerCase();
      const value = a[2] ?? a[3] ?? a[4] ?? '';
      if (key === 'name') name = value.toLowerCase();
      else if (key === 'content') content = value;
    }
    content = squash(decodeHTML(content));
    if (name && content && out[name] === undefined) out[name] = content;
  }
  return out;
}

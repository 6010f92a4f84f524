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
  for (const m of html.matchAll(META)) {
    let name = '';
    let content = '';
    for (const a of m[1].matchAll(ATTR)) {
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

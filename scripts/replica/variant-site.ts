/**
 * What every variant replica site (./variants.ts) has in common, so that each site's module keeps only what makes
 * it a variant (its URLs, list pages, list calls and detail template): the fixed document column, no nights, the
 * generated registry entry, the lookup of a document page by path, and the few HTML pieces several of them print.
 */
import { generatedEntry, type Place } from './generated.ts';
import type { DocInfo, Family, PageReply, RegistryEntry, ReplicaRequest, Site, SiteOptions } from './types.ts';
import { escapeHtml } from './util.ts';
import { variantDocs, variantInfo, type VariantColumn, type VariantDoc } from './variant-docs.ts';

/** A variant site's column: its departments (the region's name is put before each), title form, noise, first id. */
export type VariantSiteColumn = Omit<VariantColumn, 'place' | 'agencies'> & { departments: string[] };

export abstract class VariantSite implements Site {
  abstract readonly family: Family;
  abstract readonly entryPaths: string[];
  readonly name: string;
  protected readonly docList: VariantDoc[];

  constructor(
    readonly id: string, readonly options: SiteOptions, readonly place: Place, readonly robots: string | null, col: VariantSiteColumn,
  ) {
    this.name = place.siteName;
    const { departments, ...rest } = col;
    this.docList = variantDocs({ ...rest, place, agencies: departments.map((d) => `${place.region}${d}`) });
  }

  abstract docPath(d: VariantDoc): string;
  abstract handle(req: ReplicaRequest): PageReply | null;

  docs(baseUrl: string): DocInfo[] {
    return this.docList.map((d) => variantInfo(d, baseUrl, this.docPath(d)));
  }

  /** The page of the document at `path`, rendered by the site's detail template; null if there is none. */
  protected docReply(path: string, type: string, render: (d: VariantDoc) => string | Buffer): PageReply | null {
    const d = this.docList.find((x) => this.docPath(x) === path);
    return d ? { body: render(d), type, lastModified: d.lastModified } : null;
  }

  nextNight() {
    return [];
  }

  registryEntry(baseUrl: string): RegistryEntry {
    return generatedEntry(this, baseUrl);
  }
}

/** A bare home page with one link (to the 年报 column or the catalogue). */
export function linkHome(name: string, href: string, text = '政府信息公开年报'): string {
  return `<html><head><meta charset="utf-8"><title>${name}</title></head><body><a href="${href}">${text}</a></body></html>`;
}

/** The title / date / source metas most detail templates carry. */
export function docMetas(d: VariantDoc): string {
  return `<meta name="ArticleTitle" content="${escapeHtml(d.title)}"><meta name="PubDate" content="${d.published} ${d.time}">
<meta name="ContentSource" content="${escapeHtml(d.agency)}">`;
}

/** Hanweb's content block between its ContentStart / ContentEnd markers. */
export function hanwebZoom(content: string): string {
  return `<div class="zoom" id="zoom"><!--ZJEG_RSS.content.begin--><meta name="ContentStart">${content}<meta name="ContentEnd"><!--ZJEG_RSS.content.end--></div>`;
}

/** A list call's parameters: the query, then the fields of a POSTed form the query does not set. */
export function formParams(req: ReplicaRequest): URLSearchParams {
  const q = new URLSearchParams(req.query);
  if (req.method === 'POST' && req.body) for (const [k, v] of new URLSearchParams(req.body)) if (!q.has(k)) q.set(k, v);
  return q;
}

/** The canonical report of ../shared/spec/report-tables.md — the contract of `nianbao parse --json`. */

export type Template = '2019' | '2021' | 'pre2019' | 'unknown';
export type TableKey = 'active' | 'applications' | 'review_litigation';
export type SectionKey = 'overview' | 'active' | 'applications' | 'review_litigation' | 'problems' | 'other';
export type WarningSection = TableKey | SectionKey | 'metadata' | 'input';

/** A cell value: a number, null for a blank cell, or the printed text when it is not a number ("/", "—"). */
export type CellValue = number | string | null;

export interface ParseWarning {
  code: WarningCode;
  section: WarningSection;
  detail: string;
}

export type WarningCode =
  | 'NOT_A_REPORT'
  | 'TABLE_MISSING'
  | 'TABLE_AS_IMAGE'
  | 'OCR_DERIVED'
  | 'TABLE_FROM_TEXT'
  | 'TABLE_IN_ATTACHMENT'
  | 'BODY_IS_ATTACHMENT_LINK'
  | 'UNKNOWN_ROW_LABEL'
  | 'COLUMN_COUNT_MISMATCH'
  | 'COLUMNS_INCOMPLETE'
  | 'VALUE_NOT_NUMERIC'
  | 'VALUE_OUTSIDE_GRID'
  | 'DUPLICATE_ROW'
  | 'TEMPLATE_FROM_YEAR'
  | 'TEMPLATE_MIXED'
  | 'NARRATIVE_MISMATCH'
  | 'NO_CONTENT_REGION'
  | 'SECTION_MISSING'
  | 'YEAR_UNCERTAIN'
  | 'INPUT_TRUNCATED'
  | 'ROWS_MISSING'
  | 'PRE2019_FREE_FORM';

export interface CheckResult {
  rule: string;
  ok: boolean;
  detail: string;
}

export interface Attachment {
  url: string;
  type: AttachmentType;
  title?: string;
}
export type AttachmentType = 'pdf' | 'doc' | 'docx' | 'wps' | 'xls' | 'xlsx' | 'ofd' | 'rtf' | 'zip';

export interface SiteInfo {
  name: string | null;
  domain: string | null;
  id_code: string | null;
  column: string | null;
}

export interface CanonicalReport {
  url: string | null;
  title: string | null;
  agency: string | null;
  year: number | null;
  publish_date: string | null;
  written_date: string | null;
  index_no: string | null;
  issuer: string | null;
  doc_no: string | null;
  content_source: string | null;
  site: SiteInfo;
  template: Template;
  sections: Partial<Record<SectionKey, string>>;
  section_headings: string[];
  tables: Record<TableKey, Record<string, CellValue>>;
  raw: Record<string, string>;
  checks: CheckResult[];
  warnings: ParseWarning[];
  attachments: Attachment[];
  /** figures the report states in words, keyed like cells ("applications.new_received.total") */
  narrative: Record<string, number>;
  /** set only for a report read from a document file: what it was read from (absent for pages and text) */
  source_format?: SourceFormat;
}

/** 'pdf': text positions and ruling lines of a PDF; 'docx': a Word file's paragraphs and tables. */
export type SourceFormat = 'pdf' | 'docx';

/** What a fetch hands the parser. */
export interface PageInput {
  /** Raw bytes (preferred: charset is detected) or already-decoded text. */
  body: Uint8Array | string;
  url?: string | null;
  headers?: Record<string, string | string[] | undefined>;
}

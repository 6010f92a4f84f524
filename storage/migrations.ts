/**
 * The archive's schema as an ordered list of forward migrations; PRAGMA user_version is the number of
 * the last one applied. An archive made today opens next year because every later version only adds a
 * migration at the end.
 *
 * RULE: never edit a migration that has shipped — add a new one. Each runs in its own transaction with
 * its user_version bump, so a crash mid-upgrade leaves the archive at the previous version, intact.
 */
import type { Archive } from './types.ts';

export interface Migration {
  version: number;
  name: string;
  up: (db: Archive) => void;
}

const sql = (text: string) => (db: Archive) => void db.exec(text);

// ---------------------------------------------------------------------------------------------------
// v1 — raw bytes, fetch log, documents, versions, reports, cells, change events, parser changes
// ---------------------------------------------------------------------------------------------------
const V1_CORE = `
-- every byte received, once: sha256 of the original bytes → compressed bytes
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size   INTEGER NOT NULL,                 -- original length in bytes
  codec  TEXT NOT NULL CHECK (codec IN ('br', 'gzip', 'identity')),
  data   BLOB NOT NULL
);

-- one per canonical URL
CREATE TABLE documents (
  id                 INTEGER PRIMARY KEY,
  url                TEXT NOT NULL UNIQUE,
  site               TEXT,
  status             TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'removed')),
  status_since       TEXT NOT NULL,
  first_seen         TEXT NOT NULL,
  last_seen          TEXT NOT NULL,      -- last fetch that found it there (200 or 304)
  current_version_id INTEGER REFERENCES versions(id),
  -- from the crawler's portal registry
  unit_name TEXT, province TEXT, city TEXT, county TEXT, level TEXT
);

-- every request the crawler made, whatever happened
CREATE TABLE fetches (
  id           INTEGER PRIMARY KEY,
  url          TEXT NOT NULL,             -- as requested
  document_id  INTEGER REFERENCES documents(id),
  requested_at TEXT NOT NULL,
  status       INTEGER,                   -- null: no response
  headers      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(headers)),
  blob_sha256  TEXT REFERENCES blobs(sha256),
  elapsed_ms   INTEGER,
  error        TEXT,
  outcome      TEXT NOT NULL CHECK (outcome IN
                 ('new_version', 'same_version', 'not_modified', 'gone', 'redirect', 'http_error', 'network_error', 'no_body')),
  version_id   INTEGER REFERENCES versions(id)   -- the version this body was found to be
);
CREATE INDEX fetches_document ON fetches(document_id, requested_at);
CREATE INDEX fetches_url ON fetches(url);
CREATE INDEX fetches_blob ON fetches(blob_sha256);

-- one per distinct content of a document (noise-free main content + parsed values)
CREATE TABLE versions (
  id                 INTEGER PRIMARY KEY,
  document_id        INTEGER NOT NULL REFERENCES documents(id),
  seq                INTEGER NOT NULL,     -- 1, 2, … within the document
  blob_sha256        TEXT NOT NULL REFERENCES blobs(sha256),
  first_fetch_id     INTEGER NOT NULL REFERENCES fetches(id),
  first_seen         TEXT NOT NULL,
  parse_status       TEXT NOT NULL CHECK (parse_status IN ('report', 'not_a_report', 'unreadable', 'parse_error')),
  parse_reason       TEXT,                 -- why it is not a report
  charset            TEXT,
  content_hash       TEXT NOT NULL,        -- normalised main content (raw sha256 when unreadable)
  prose_hash         TEXT NOT NULL,        -- the same without table rows
  values_hash        TEXT,                 -- parsed cells; null when not a report
  parser_version     TEXT NOT NULL,
  normaliser_version INTEGER NOT NULL,
  UNIQUE (document_id, seq)
);
CREATE INDEX versions_blob ON versions(blob_sha256);

-- one per version the parser read as a report
CREATE TABLE reports (
  version_id       INTEGER PRIMARY KEY REFERENCES versions(id),
  parser_version   TEXT NOT NULL,
  url              TEXT,
  title            TEXT,
  agency           TEXT,
  year             INTEGER,
  publish_date     TEXT,
  written_date     TEXT,
  index_no         TEXT,
  issuer           TEXT,
  doc_no           TEXT,
  content_source   TEXT,
  site_name        TEXT,
  site_domain      TEXT,
  site_id_code     TEXT,
  site_column      TEXT,
  template         TEXT NOT NULL,
  sections         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(sections)),
  section_headings TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(section_headings)),
  checks           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(checks)),
  checks_failed    INTEGER NOT NULL DEFAULT 0,
  warnings         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(warnings)),
  attachments      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(attachments)),
  narrative        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(narrative)),
  raw_extra        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(raw_extra)),  -- printed texts with no cell
  body             TEXT NOT NULL DEFAULT '',   -- the main content as text (search, snippets, text diffs)
  unit_name TEXT, province TEXT, city TEXT, county TEXT, level TEXT
);
CREATE INDEX reports_year ON reports(year);
CREATE INDEX reports_province ON reports(province, year);

-- the three tables in long form
CREATE TABLE report_cells (
  version_id INTEGER NOT NULL REFERENCES reports(version_id) ON DELETE CASCADE,
  tbl        TEXT NOT NULL CHECK (tbl IN ('active', 'applications', 'review_litigation')),
  key        TEXT NOT NULL,
  value      NUMERIC,        -- the number; null when blank or not a number
  text       TEXT,           -- the printed non-number ("/", "—"); null otherwise
  raw        TEXT,           -- as printed, when it differs from the value ("5.02万元", "+2")
  PRIMARY KEY (version_id, tbl, key)
) WITHOUT ROWID;
CREATE INDEX report_cells_key ON report_cells(tbl, key);

-- what happened at the source: never written by reparse
CREATE TABLE changes (
  id             INTEGER PRIMARY KEY,
  document_id    INTEGER NOT NULL REFERENCES documents(id),
  kind           TEXT NOT NULL CHECK (kind IN ('new', 'text_changed', 'numbers_changed', 'removed', 'restored')),
  at             TEXT NOT NULL,
  fetch_id       INTEGER REFERENCES fetches(id),
  old_version_id INTEGER REFERENCES versions(id),
  new_version_id INTEGER REFERENCES versions(id),
  detail         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
);
CREATE INDEX changes_at ON changes(at);
CREATE INDEX changes_document ON changes(document_id, id);

-- what a new parser (or normaliser) read differently from the same stored bytes: never a source change
CREATE TABLE reparse_runs (
  id                 INTEGER PRIMARY KEY,
  started_at         TEXT NOT NULL,
  finished_at        TEXT,
  parser_version     TEXT NOT NULL,
  normaliser_version INTEGER NOT NULL,
  versions_seen      INTEGER NOT NULL DEFAULT 0,
  versions_changed   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE parser_changes (
  id                 INTEGER PRIMARY KEY,
  run_id             INTEGER REFERENCES reparse_runs(id),  -- null: re-derived by an ingest that needed it
  at                 TEXT NOT NULL,
  document_id        INTEGER NOT NULL REFERENCES documents(id),
  version_id         INTEGER NOT NULL REFERENCES versions(id),
  old_parser_version TEXT,
  new_parser_version TEXT NOT NULL,
  kind               TEXT NOT NULL CHECK (kind IN ('numbers_changed', 'text_changed', 'status_changed', 'metadata_changed')),
  detail             TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
);
CREATE INDEX parser_changes_version ON parser_changes(version_id);
`;

// ---------------------------------------------------------------------------------------------------
// v2 — search over title, agency and body.
// reports_fts (trigram) answers terms of 3+ characters with ranking; trigram cannot match 1–2
// characters, so reports_chars indexes the same text with a space around every CJK character
// (unicode61 then makes each character a token and "民政" becomes the phrase "民 政").
// Both are kept in step with reports by triggers; nianbao_spaced() is registered by openArchive.
// ---------------------------------------------------------------------------------------------------
const V2_SEARCH = `
CREATE VIRTUAL TABLE reports_fts USING fts5(
  title, agency, body, content='reports', content_rowid='version_id', tokenize='trigram');
CREATE VIRTUAL TABLE reports_chars USING fts5(
  title, agency, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');

CREATE TRIGGER reports_search_insert AFTER INSERT ON reports BEGIN
  INSERT INTO reports_fts (rowid, title, agency, body) VALUES (new.version_id, new.title, new.agency, new.body);
  INSERT INTO reports_chars (rowid, title, agency, body)
    VALUES (new.version_id, nianbao_spaced(new.title), nianbao_spaced(new.agency), nianbao_spaced(new.body));
END;
CREATE TRIGGER reports_search_delete AFTER DELETE ON reports BEGIN
  INSERT INTO reports_fts (reports_fts, rowid, title, agency, body) VALUES ('delete', old.version_id, old.title, old.agency, old.body);
  DELETE FROM reports_chars WHERE rowid = old.version_id;
END;
CREATE TRIGGER reports_search_update AFTER UPDATE OF title, agency, body ON reports BEGIN
  INSERT INTO reports_fts (reports_fts, rowid, title, agency, body) VALUES ('delete', old.version_id, old.title, old.agency, old.body);
  INSERT INTO reports_fts (rowid, title, agency, body) VALUES (new.version_id, new.title, new.agency, new.body);
  DELETE FROM reports_chars WHERE rowid = old.version_id;
  INSERT INTO reports_chars (rowid, title, agency, body)
    VALUES (new.version_id, nianbao_spaced(new.title), nianbao_spaced(new.agency), nianbao_spaced(new.body));
END;

-- reports written before search existed
INSERT INTO reports_fts (reports_fts) VALUES ('rebuild');
INSERT INTO reports_chars (rowid, title, agency, body)
  SELECT version_id, nianbao_spaced(title), nianbao_spaced(agency), nianbao_spaced(body) FROM reports;
`;

// ---------------------------------------------------------------------------------------------------
// v3 — views for people who don't read schemas. All "latest" views use the newest version of each
// document that is a report, so a page that became unreadable still shows its last report.
// ---------------------------------------------------------------------------------------------------
const cell = (key: string) => `MAX(CASE WHEN c.tbl = 'applications' AND c.key = '${key}' THEN c.value END)`;
const sumGlob = (tbl: string, glob: string) => `SUM(CASE WHEN c.tbl = '${tbl}' AND c.key GLOB '${glob}' THEN c.value END)`;
const review = (key: string) => `MAX(CASE WHEN c.tbl = 'review_litigation' AND c.key = '${key}' THEN c.value END)`;

const V3_VIEWS = `
CREATE VIEW latest_report_versions AS
  SELECT v.document_id, MAX(v.id) AS version_id
  FROM versions v JOIN reports r ON r.version_id = v.id
  GROUP BY v.document_id;

CREATE VIEW latest_reports AS
  SELECT d.id AS document_id, r.version_id, v.seq AS version_seq, d.url, d.site, d.status,
         d.first_seen, d.last_seen, v.first_seen AS version_seen,
         r.title, r.agency, r.year, r.publish_date, r.written_date, r.index_no, r.issuer, r.doc_no, r.template,
         r.unit_name, r.province, r.city, r.county, r.level, r.checks_failed,
         (SELECT group_concat(json_extract(w.value, '$.code'), ',') FROM json_each(r.warnings) w) AS warning_codes,
         r.parser_version
  FROM latest_report_versions l
  JOIN documents d ON d.id = l.document_id
  JOIN versions v ON v.id = l.version_id
  JOIN reports r ON r.version_id = l.version_id;

-- table 三 and 四 with one column per key number; blank stays NULL (never 0)
CREATE VIEW applications_wide AS
  SELECT l.document_id, r.version_id, d.url, r.title, r.agency, r.year, r.template,
         r.unit_name, r.province, r.city, r.county, r.level,
         ${cell('new_received.total')} AS new_received_total,
         ${cell('new_received.natural_person')} AS new_received_natural_person,
         SUM(CASE WHEN c.tbl = 'applications' AND c.key IN ('new_received.commercial', 'new_received.research',
             'new_received.social', 'new_received.legal', 'new_received.other') THEN c.value END) AS new_received_organisations,
         ${cell('carried_over.total')} AS carried_over_total,
         ${cell('granted.total')} AS granted_total,
         ${cell('partial.total')} AS partial_total,
         ${sumGlob('applications', 'denied_*.total')} AS denied_total,
         ${sumGlob('applications', 'unavailable_*.total')} AS unavailable_total,
         ${sumGlob('applications', 'rejected_*.total')} AS rejected_total,
         ${sumGlob('applications', 'other_*.total')} AS other_handling_total,
         ${cell('total.total')} AS total_total,
         ${cell('carried_forward.total')} AS carried_forward_total,
         ${review('review_upheld')} AS review_upheld,
         ${review('review_corrected')} AS review_corrected,
         ${review('review_other')} AS review_other,
         ${review('review_pending')} AS review_pending,
         ${review('review_total')} AS review_total,
         ${review('suit_direct_total')} AS suit_direct_total,
         ${review('suit_after_review_total')} AS suit_after_review_total,
         ${sumGlob('review_litigation', 'suit_*_total')} AS suit_total,
         r.checks_failed
  FROM latest_report_versions l
  JOIN documents d ON d.id = l.document_id
  JOIN reports r ON r.version_id = l.version_id
  LEFT JOIN report_cells c ON c.version_id = r.version_id
  GROUP BY r.version_id;

CREATE VIEW latest_cells AS
  SELECT l.document_id, c.version_id, d.url, r.agency, r.year, r.province, r.level,
         c.tbl, c.key, c.value, c.text, c.raw
  FROM latest_report_versions l
  JOIN documents d ON d.id = l.document_id
  JOIN reports r ON r.version_id = l.version_id
  JOIN report_cells c ON c.version_id = l.version_id;

CREATE VIEW failed_checks AS
  SELECT l.document_id, r.version_id, d.url, r.agency, r.year, r.title, r.province, r.level,
         json_extract(k.value, '$.rule') AS rule, json_extract(k.value, '$.detail') AS detail
  FROM latest_report_versions l
  JOIN documents d ON d.id = l.document_id
  JOIN reports r ON r.version_id = l.version_id,
  json_each(r.checks) k
  WHERE json_extract(k.value, '$.ok') = 0;

-- source changes only: what nianbao's parser read differently is in parser_changes
CREATE VIEW recent_changes AS
  SELECT c.id, c.at, c.kind, c.document_id, d.url, d.status,
         COALESCE(rn.title, ro.title) AS title, COALESCE(rn.agency, ro.agency) AS agency,
         COALESCE(rn.year, ro.year) AS year, COALESCE(rn.province, ro.province, d.province) AS province,
         COALESCE(rn.level, ro.level, d.level) AS level,
         c.old_version_id, c.new_version_id, c.detail
  FROM changes c
  JOIN documents d ON d.id = c.document_id
  LEFT JOIN reports rn ON rn.version_id = c.new_version_id
  LEFT JOIN reports ro ON ro.version_id = c.old_version_id
  ORDER BY c.at DESC, c.id DESC;

CREATE VIEW report_counts AS
  SELECT r.province, r.level, r.year, COUNT(*) AS reports,
         SUM(r.checks_failed > 0) AS with_failed_checks,
         SUM(d.status = 'removed') AS removed
  FROM latest_report_versions l
  JOIN documents d ON d.id = l.document_id
  JOIN reports r ON r.version_id = l.version_id
  GROUP BY r.province, r.level, r.year;

-- pages kept raw because the parser could not read them as a report
CREATE VIEW unparsed_pages AS
  SELECT d.id AS document_id, d.url, d.site, d.status, v.id AS version_id, v.seq AS version_seq,
         v.first_seen, v.parse_status, v.parse_reason, v.blob_sha256
  FROM documents d JOIN versions v ON v.id = d.current_version_id
  WHERE v.parse_status <> 'report';
`;

// ---------------------------------------------------------------------------------------------------
// v4 — the crawler's frontier and its runs (crawlers/frontier.ts, crawlers/runs.ts, crawlers/commit.ts).
// A frontier row changes state only in a committed transaction, and the transition that completes a
// fetch commits together with the fetch itself (commitFetch), so a killed crawl resumes with nothing
// lost and nothing stored twice.
// ---------------------------------------------------------------------------------------------------
const V4_FRONTIER = `
CREATE TABLE crawl_runs (
  id          INTEGER PRIMARY KEY,
  mode        TEXT NOT NULL CHECK (mode IN ('crawl', 'backfill')),
  args        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(args)),      -- e.g. {"province":"福建省","years":[2019,2024]}
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  status      TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),
  -- pages (requests stored), new / changed / removed (change events), failed (items given up), bytes (bodies)
  counts      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(counts))
);

CREATE TABLE frontier (
  id              INTEGER PRIMARY KEY,
  url             TEXT NOT NULL UNIQUE,        -- canonicalUrl(): one row per page
  request_url     TEXT NOT NULL,               -- as first discovered (no fragment): what is fetched
  site            TEXT NOT NULL,               -- registry site key (default: host)
  host            TEXT NOT NULL,               -- URL host[:port]; leases are fair across hosts
  kind            TEXT NOT NULL CHECK (kind IN ('list', 'detail', 'attachment')),
  depth           INTEGER NOT NULL DEFAULT 0,
  status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'in_flight', 'done', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,  -- fetches completed for this row (each one committed)
  next_attempt_at TEXT NOT NULL,               -- a queued row is due from then (backoff, Retry-After)
  last_error      TEXT,
  discovered_from TEXT,                        -- the page that linked here
  run_id          INTEGER REFERENCES crawl_runs(id),
  priority        INTEGER NOT NULL DEFAULT 0,  -- higher first, within a host
  leases          INTEGER NOT NULL DEFAULT 0,  -- times leased; a transition must name the lease it ends
  leased_at       TEXT,
  fetch_id        INTEGER REFERENCES fetches(id),  -- the stored fetch that settled this row
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX frontier_due ON frontier(status, next_attempt_at);
CREATE INDEX frontier_run ON frontier(run_id, status);
`;

// ---------------------------------------------------------------------------------------------------
// v5 — an archive that stays fast at 100,000s of reports (measured by `npm run bench -- archive`).
//
// Search. The two v2 indexes (trigram over title/agency/body with positions; a character index with
// positions) cost ~5 ms of CPU and ~27 KB per report. They become character-pair indexes without positions
// (storage/ngrams.ts; FTS5 detail=none, 'ascii' tokenizer over pre-made tokens), ~2 KB per report, for every
// query length:
//   reports_fts    pairs of title, agency and body: every report a search can find
//   reports_chars  pairs of title and agency: the header hits search lists first
// Both also hold the report's unit (province, city, county, level) as one token each, so a filtered search
// reads only matching reports. Both are contentless; their rowid is year × 2^32 + version_id (ngrams.ts
// searchKey), so an index yields reports newest year first and a year filter is a rowid range. A report is indexed at the end of the
// transaction that wrote it: triggers put it in search_queue, and every writer calls flushSearchIndex
// (reports.ts) before it commits — one FTS5 segment per batch instead of one per report.
//
// Latest. latest_report_versions was a GROUP BY over all versions, recomputed by every search and view;
// report_latest holds the same (each document's newest version that is a report), kept by triggers on
// reports, and the view reads it.
//
// Cells. report_cells_key (tbl, key) was read by nothing (every view reaches cells through the primary key,
// version first) and cost 1.3 ms and 4.8 KB per report version: dropped.
// ---------------------------------------------------------------------------------------------------
const KEY = (t: string) => `((CASE WHEN ${t}.year BETWEEN 1 AND 999999 THEN ${t}.year ELSE 0 END) << 32 | ${t}.version_id)`;
// applications_wide's columns, frozen as v5 defined them (v9 reads the same columns from numbered cells); a
// migration that changes the columns gets its own list.
const WIDE_COLUMNS: ReadonlyArray<readonly [tbl: string, key: string, agg: 'one' | 'sum', alias: string]> = Object.freeze([
  ['applications', "= 'new_received.total'", 'one', 'new_received_total'],
  ['applications', "= 'new_received.natural_person'", 'one', 'new_received_natural_person'],
  ['applications', "IN ('new_received.commercial', 'new_received.research', 'new_received.social', 'new_received.legal', 'new_received.other')", 'sum', 'new_received_organisations'],
  ['applications', "= 'carried_over.total'", 'one', 'carried_over_total'],
  ['applications', "= 'granted.total'", 'one', 'granted_total'],
  ['applications', "= 'partial.total'", 'one', 'partial_total'],
  ['applications', "GLOB 'denied_*.total'", 'sum', 'denied_total'],
  ['applications', "GLOB 'unavailable_*.total'", 'sum', 'unavailable_total'],
  ['applications', "GLOB 'rejected_*.total'", 'sum', 'rejected_total'],
  ['applications', "GLOB 'other_*.total'", 'sum', 'other_handling_total'],
  ['applications', "= 'total.total'", 'one', 'total_total'],
  ['applications', "= 'carried_forward.total'", 'one', 'carried_forward_total'],
  ['review_litigation', "= 'review_upheld'", 'one', 'review_upheld'],
  ['review_litigation', "= 'review_corrected'", 'one', 'review_corrected'],
  ['review_litigation', "= 'review_other'", 'one', 'review_other'],
  ['review_litigation', "= 'review_pending'", 'one', 'review_pending'],
  ['review_litigation', "= 'review_total'", 'one', 'review_total'],
  ['review_litigation', "= 'suit_direct_total'", 'one', 'suit_direct_total'],
  ['review_litigation', "= 'suit_after_review_total'", 'one', 'suit_after_review_total'],
  ['review_litigation', "GLOB 'suit_*_total'", 'sum', 'suit_total'],
]);
const wideColumns = (cell: (tbl: string, key: string, what: string) => string, value: string): string =>
  WIDE_COLUMNS.map(([tbl, key, agg, alias]) => `${cell(tbl, key, agg === 'sum' ? `SUM(${value})` : value)} AS ${alias},`).join('\n         ');
const v5cell = (tbl: string, key: string, what: string) =>
  `(SELECT ${what} FROM report_cells c WHERE c.version_id = r.version_id AND c.tbl = '${tbl}' AND c.key ${key})`;
const V5_SCALE = `
DROP TRIGGER reports_search_insert;
DROP TRIGGER reports_search_delete;
DROP TRIGGER reports_search_update;
DROP TABLE reports_fts;
DROP TABLE reports_chars;

CREATE VIRTUAL TABLE reports_fts USING fts5(text, content='', contentless_delete=1, tokenize='ascii', detail=none);
CREATE VIRTUAL TABLE reports_chars USING fts5(text, content='', contentless_delete=1, tokenize='ascii', detail=none);
-- in rowid order (FTS5 writes out its pending terms whenever a rowid is not above the previous one)
INSERT INTO reports_fts (rowid, text)
  SELECT ${KEY('reports')} AS k, nianbao_search_text(title, agency, body, province, city, county, level) FROM reports ORDER BY k;
INSERT INTO reports_chars (rowid, text)
  SELECT ${KEY('reports')} AS k, nianbao_search_text(title, agency, NULL, province, city, county, level) FROM reports ORDER BY k;

-- reports written in the current transaction and not yet in the indexes
CREATE TABLE search_queue (version_id INTEGER PRIMARY KEY);

CREATE TRIGGER reports_search_insert AFTER INSERT ON reports BEGIN
  INSERT OR IGNORE INTO search_queue (version_id) VALUES (new.version_id);
END;
CREATE TRIGGER reports_search_delete AFTER DELETE ON reports BEGIN
  DELETE FROM reports_fts WHERE rowid = ${KEY('old')};
  DELETE FROM reports_chars WHERE rowid = ${KEY('old')};
  DELETE FROM search_queue WHERE version_id = old.version_id;
END;
CREATE TRIGGER reports_search_update AFTER UPDATE OF title, agency, body, year, province, city, county, level ON reports BEGIN
  DELETE FROM reports_fts WHERE rowid = ${KEY('old')};
  DELETE FROM reports_chars WHERE rowid = ${KEY('old')};
  INSERT OR IGNORE INTO search_queue (version_id) VALUES (new.version_id);
END;

CREATE TABLE report_latest (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id),
  version_id  INTEGER NOT NULL UNIQUE
);
INSERT INTO report_latest (document_id, version_id)
  SELECT v.document_id, MAX(v.id) FROM versions v JOIN reports r ON r.version_id = v.id GROUP BY v.document_id;

CREATE TRIGGER reports_latest_insert AFTER INSERT ON reports BEGIN
  INSERT INTO report_latest (document_id, version_id)
    SELECT document_id, id FROM versions WHERE id = new.version_id
    ON CONFLICT (document_id) DO UPDATE SET version_id = excluded.version_id WHERE excluded.version_id > report_latest.version_id;
END;
CREATE TRIGGER reports_latest_delete AFTER DELETE ON reports BEGIN
  DELETE FROM report_latest WHERE version_id = old.version_id;
  INSERT INTO report_latest (document_id, version_id)
    SELECT v.document_id, MAX(v.id) FROM versions v JOIN reports r ON r.version_id = v.id
    WHERE v.document_id = (SELECT document_id FROM versions WHERE id = old.version_id)
    GROUP BY v.document_id
    ON CONFLICT (document_id) DO UPDATE SET version_id = excluded.version_id WHERE excluded.version_id > report_latest.version_id;
END;

DROP VIEW latest_report_versions;
CREATE VIEW latest_report_versions AS SELECT document_id, version_id FROM report_latest;

DROP INDEX report_cells_key;

-- the same columns as v3's, read per latest report through the cells' primary key instead of pivoting
-- every cell of every version; the unit is the document's (ingest and reparse give reports the same)
DROP VIEW applications_wide;
CREATE VIEW applications_wide AS
  SELECT l.document_id, r.version_id, d.url, r.title, r.agency, r.year, r.template,
         d.unit_name, d.province, d.city, d.county, d.level,
         ${wideColumns(v5cell, 'value')}
         r.checks_failed
  FROM report_latest l
  JOIN documents d ON d.id = l.document_id
  JOIN reports r ON r.version_id = l.version_id;
`;

// ---------------------------------------------------------------------------------------------------
// image tables — one row per table that a report shows only as a picture (TABLE_AS_IMAGE), in each
// document's latest report, with the pictures' URLs: the list a person works through to type them in.
// Self-contained: a view over reports' warnings, no table changes.
// ---------------------------------------------------------------------------------------------------
const IMAGE_TABLES = `
CREATE VIEW image_tables AS
  SELECT d.id AS document_id, r.version_id, d.url, r.title, r.agency, r.year, r.unit_name, r.province, r.city, r.county,
         json_extract(w.value, '$.section') AS table_key,
         CASE WHEN instr(json_extract(w.value, '$.detail'), '; images: ') > 0
              THEN substr(json_extract(w.value, '$.detail'), instr(json_extract(w.value, '$.detail'), '; images: ') + length('; images: '))
         END AS image_urls,
         json_extract(w.value, '$.detail') AS detail
  FROM latest_report_versions l
  JOIN documents d ON d.id = l.document_id
  JOIN reports r ON r.version_id = l.version_id, json_each(r.warnings) w
  WHERE json_extract(w.value, '$.code') = 'TABLE_AS_IMAGE';
`;

// v7 — reports unlinked from their lists but still served (crawlers/listing.ts). The document's state:
// delisted_since (NULL while a list names it); which run's lists last named a URL (list_seen); and two
// change kinds, 'delisted' and 'relisted' (the changes table rebuilt for its CHECK; same columns, same rows).
const V7_LISTING = `
ALTER TABLE documents ADD COLUMN delisted_since TEXT;

CREATE TABLE list_seen (
  url     TEXT PRIMARY KEY,          -- canonical URL, as documents.url
  site    TEXT NOT NULL,
  run_id  INTEGER NOT NULL,          -- the last crawl run whose lists named it
  at      TEXT NOT NULL
);
CREATE INDEX list_seen_site ON list_seen(site, run_id);

CREATE TABLE changes_v7 (
  id             INTEGER PRIMARY KEY,
  document_id    INTEGER NOT NULL REFERENCES documents(id),
  kind           TEXT NOT NULL CHECK (kind IN ('new', 'text_changed', 'numbers_changed', 'removed', 'restored', 'delisted', 'relisted')),
  at             TEXT NOT NULL,
  fetch_id       INTEGER REFERENCES fetches(id),
  old_version_id INTEGER REFERENCES versions(id),
  new_version_id INTEGER REFERENCES versions(id),
  detail         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
);
INSERT INTO changes_v7 SELECT id, document_id, kind, at, fetch_id, old_version_id, new_version_id, detail FROM changes;
DROP TABLE changes;
ALTER TABLE changes_v7 RENAME TO changes;
CREATE INDEX changes_at ON changes(at);
CREATE INDEX changes_document ON changes(document_id, id);
`;

/** Run a table rebuild with the views dropped and made again afterwards (SQLite checks views on a rename). */
function withViewsSetAside(db: Archive, fn: () => void): void {
  const views = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'view' ORDER BY rowid`).all() as { name: string; sql: string }[];
  for (const v of [...views].reverse()) db.exec(`DROP VIEW "${v.name}"`);
  fn();
  for (const v of views) db.exec(v.sql);
}

// v8 — a smaller report row. reports.sections repeated the body's text (8 KB of a 22 KB row); it now
// holds each section as [start, end] offsets into reports.body (a text not found in the body is kept as
// text). reports.ts packSections / unpackSections read and write it; nianbao_pack_sections (db.ts) converts
// the rows written before, and takes either form.
// ---------------------------------------------------------------------------------------------------
const V8_SECTIONS = `
UPDATE reports SET sections = nianbao_pack_sections(sections, body);
`;

// ---------------------------------------------------------------------------------------------------
// v9 — cells without their key text. report_cells repeated 'applications' and 'new_received.total' in
// each of a report's ~200 cell rows (7 KB a report). The keys are now numbered once in cell_keys and the
// cells stored in report_values by (version_id, key_id); report_cells stays, as a view with the same
// columns and rows. cell_keys only grows (reports.ts caches ids of committed keys).
// ---------------------------------------------------------------------------------------------------
const v9cell = (tbl: string, key: string, what: string) =>
  `(SELECT ${what} FROM cell_keys k JOIN report_values c ON c.version_id = r.version_id AND c.key_id = k.id WHERE k.tbl = '${tbl}' AND k.key ${key})`;
const V9_CELL_KEYS = `
CREATE TABLE cell_keys (
  id  INTEGER PRIMARY KEY,
  tbl TEXT NOT NULL CHECK (tbl IN ('active', 'applications', 'review_litigation')),
  key TEXT NOT NULL,
  UNIQUE (tbl, key)
);
-- no foreign keys: checking two per cell cost 0.2 ms a report; insertReport writes a report's cells right
-- after its row with keys from cell_keys, and the trigger below does what ON DELETE CASCADE did
CREATE TABLE report_values (
  version_id INTEGER NOT NULL,   -- reports(version_id)
  key_id     INTEGER NOT NULL,   -- cell_keys(id)
  value      NUMERIC,        -- the number; null when blank or not a number
  text       TEXT,           -- the printed non-number ("/", "—"); null otherwise
  raw        TEXT,           -- as printed, when it differs from the value ("5.02万元", "+2")
  PRIMARY KEY (version_id, key_id)
) WITHOUT ROWID;
INSERT INTO cell_keys (tbl, key) SELECT DISTINCT tbl, key FROM report_cells ORDER BY tbl, key;
INSERT INTO report_values (version_id, key_id, value, text, raw)
  SELECT c.version_id, k.id, c.value, c.text, c.raw FROM report_cells c JOIN cell_keys k ON k.tbl = c.tbl AND k.key = c.key
  ORDER BY c.version_id, k.id;

DROP VIEW latest_cells;
DROP VIEW applications_wide;
DROP TABLE report_cells;

CREATE TRIGGER report_values_delete AFTER DELETE ON reports BEGIN
  DELETE FROM report_values WHERE version_id = old.version_id;
END;

CREATE VIEW report_cells AS
  SELECT c.version_id, k.tbl, k.key, c.value, c.text, c.raw
  FROM report_values c JOIN cell_keys k ON k.id = c.key_id;

CREATE VIEW latest_cells AS
  SELECT l.document_id, c.version_id, d.url, r.agency, r.year, r.province, r.level,
         k.tbl, k.key, c.value, c.text, c.raw
  FROM latest_report_versions l
  JOIN documents d ON d.id = l.document_id
  JOIN reports r ON r.version_id = l.version_id
  JOIN report_values c ON c.version_id = l.version_id
  JOIN cell_keys k ON k.id = c.key_id;

CREATE VIEW applications_wide AS
  SELECT l.document_id, r.version_id, d.url, r.title, r.agency, r.year, r.template,
         d.unit_name, d.province, d.city, d.county, d.level,
         ${wideColumns(v9cell, 'c.value')}
         r.checks_failed
  FROM report_latest l
  JOIN documents d ON d.id = l.document_id
  JOIN reports r ON r.version_id = l.version_id;
`;

// ---------------------------------------------------------------------------------------------------
// v10 — report pages whose report is in their file (crawlers/attachments.ts). A page that is only a link
// to its PDF/DOCX/DOC/WPS/OFD (or a report page with no tables and such files) gets one page_attachments
// row per file the crawler followed, written with the page's commit. The file is its own document (its
// report, cells or unparsed reason); report_sources puts each file's latest report beside its page's URL
// and title, so a person reads "the page's report, with the file's numbers".
// ---------------------------------------------------------------------------------------------------
const V10_PAGE_ATTACHMENTS = `
CREATE TABLE page_attachments (
  page_document_id INTEGER NOT NULL REFERENCES documents(id),
  attachment_url   TEXT NOT NULL,       -- canonical URL, as documents.url once fetched
  type             TEXT NOT NULL,       -- pdf, docx, doc, wps, ofd
  title            TEXT,                -- the link's text on the page
  first_seen       TEXT NOT NULL,
  PRIMARY KEY (page_document_id, attachment_url)
) WITHOUT ROWID;
CREATE INDEX page_attachments_url ON page_attachments(attachment_url);

CREATE VIEW report_sources AS
  SELECT pa.page_document_id, p.url AS page_url, pr.title AS page_title, pr.version_id AS page_version_id,
         pa.attachment_url, pa.type AS attachment_type, pa.title AS attachment_title,
         a.id AS attachment_document_id, v.id AS attachment_current_version_id, v.parse_status, v.parse_reason,
         ar.version_id AS report_version_id, ar.title AS report_title, ar.agency, ar.year, ar.template, ar.checks_failed
  FROM page_attachments pa
  JOIN documents p ON p.id = pa.page_document_id
  LEFT JOIN latest_report_versions pl ON pl.document_id = p.id
  LEFT JOIN reports pr ON pr.version_id = pl.version_id
  LEFT JOIN documents a ON a.url = pa.attachment_url
  LEFT JOIN versions v ON v.id = a.current_version_id
  LEFT JOIN latest_report_versions al ON al.document_id = a.id
  LEFT JOIN reports ar ON ar.version_id = al.version_id;
`;

// ---------------------------------------------------------------------------------------------------
// v11 — a cheaper search index to write. FTS5 merges its segments as it goes; by default ('automerge' 4)
// every 4 segments of a level are merged into one of the next, so each indexed pair is rewritten once per
// level. Merging 16 at a time rewrites it about half as often: measured with the writer benchmark
// (scripts/bench/writer-bench.ts), FTS5's part of a version's commit fell from ≈0.7 to ≈0.4 ms of CPU, and a
// search reads at most 15 segments a level instead of 3 (search latency: README, Benchmarks). The setting
// is stored in the index's own config table, so it holds for every connection and every later writer.
// ---------------------------------------------------------------------------------------------------
export const FTS_AUTOMERGE = 16;
const V11_FTS_MERGE = `
INSERT INTO reports_fts (reports_fts, rank) VALUES ('automerge', ${FTS_AUTOMERGE});
INSERT INTO reports_chars (reports_chars, rank) VALUES ('automerge', ${FTS_AUTOMERGE});
`;

// v12 — the queue by host (crawlers/frontier.ts lease): each host's best queued items in order, so a lease walks
// the queued hosts and reads a few rows of each instead of ranking every queued row. Partial: a row enters and
// leaves it once, when it is queued and when it is leased.
const V12_FRONTIER_QUEUE = `
CREATE INDEX frontier_queue ON frontier(host, priority DESC, next_attempt_at, id) WHERE status = 'queued';
`;

// ---------------------------------------------------------------------------------------------------
// v13 — table pictures read by OCR (crawlers/table-pictures.ts, storage/ocr-results.ts). A report page
// whose standard table is a picture (TABLE_AS_IMAGE) gets one table_pictures row per picture, written with
// the page's commit; the picture is fetched as an 'attachment' and kept raw. Its OCR outcome is stored
// per page report version and table (ocr_tables: accepted / refused / not_run, with the reason), and the
// accepted values in ocr_cells — apart from report_values, so an OCR-derived number can never pass for
// one the agency typed as text (views: provenance 'ocr'). Nothing here writes `changes`: OCR values
// appearing are not the report changing at the source. image_tables reads the URLs from table_pictures
// (same columns; archives crawled before v13 still get them from the warning text); unparsed_pages leaves
// the pictures out (they are not pages kept raw).
// ---------------------------------------------------------------------------------------------------
const V13_TABLE_PICTURES = `
CREATE TABLE table_pictures (
  page_document_id INTEGER NOT NULL REFERENCES documents(id),
  table_key        TEXT NOT NULL CHECK (table_key IN ('active', 'applications', 'review_litigation')),
  picture_url      TEXT NOT NULL,       -- canonical URL, as documents.url once fetched
  first_seen       TEXT NOT NULL,
  PRIMARY KEY (page_document_id, table_key, picture_url)
) WITHOUT ROWID;
CREATE INDEX table_pictures_url ON table_pictures(picture_url);

CREATE TABLE ocr_tables (
  version_id     INTEGER NOT NULL,      -- the page's report version (reports.version_id)
  table_key      TEXT NOT NULL CHECK (table_key IN ('active', 'applications', 'review_litigation')),
  picture_url    TEXT NOT NULL,
  picture_sha256 TEXT REFERENCES blobs(sha256),   -- the stored picture read (null: not fetched)
  status         TEXT NOT NULL CHECK (status IN ('accepted', 'refused', 'not_run')),
  reason         TEXT,                  -- why refused / not run
  warning        TEXT CHECK (warning IS NULL OR json_valid(warning)),  -- OCR_DERIVED, when accepted
  checks         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(checks)),
  engine         TEXT NOT NULL,         -- which OCR code read it (a better one: read the blobs again)
  at             TEXT NOT NULL,
  PRIMARY KEY (version_id, table_key, picture_url)
) WITHOUT ROWID;

CREATE TABLE ocr_cells (
  version_id  INTEGER NOT NULL,
  tbl         TEXT NOT NULL CHECK (tbl IN ('active', 'applications', 'review_litigation')),
  key         TEXT NOT NULL,
  value       NUMERIC,
  picture_url TEXT NOT NULL,
  PRIMARY KEY (version_id, tbl, key)
) WITHOUT ROWID;

CREATE VIEW latest_ocr_cells AS
  SELECT l.document_id, c.version_id, d.url, r.agency, r.year, r.province, r.level,
         c.tbl, c.key, c.value, 'ocr' AS provenance, c.picture_url
  FROM latest_report_versions l
  JOIN documents d ON d.id = l.document_id
  JOIN reports r ON r.version_id = l.version_id
  JOIN ocr_cells c ON c.version_id = l.version_id;

-- every cell of the latest reports with where it comes from: 'html' (typed by the agency) or 'ocr'
CREATE VIEW latest_cells_provenance AS
  SELECT document_id, version_id, url, agency, year, province, level, tbl, key, value, 'html' AS provenance, NULL AS picture_url FROM latest_cells
  UNION ALL
  SELECT document_id, version_id, url, agency, year, province, level, tbl, key, value, provenance, picture_url FROM latest_ocr_cells;

DROP VIEW image_tables;
CREATE VIEW image_tables AS
  SELECT d.id AS document_id, r.version_id, d.url, r.title, r.agency, r.year, r.unit_name, r.province, r.city, r.county,
         json_extract(w.value, '$.section') AS table_key,
         coalesce(
           (SELECT group_concat(tp.picture_url, ' ') FROM (SELECT picture_url FROM table_pictures
              WHERE page_document_id = d.id AND table_key = json_extract(w.value, '$.section') ORDER BY picture_url) tp),
           CASE WHEN instr(json_extract(w.value, '$.detail'), '; images: ') > 0
                THEN substr(json_extract(w.value, '$.detail'), instr(json_extract(w.value, '$.detail'), '; images: ') + length('; images: '))
           END) AS image_urls,
         json_extract(w.value, '$.detail') AS detail
  FROM latest_report_versions l
  JOIN documents d ON d.id = l.document_id
  JOIN reports r ON r.version_id = l.version_id, json_each(r.warnings) w
  WHERE json_extract(w.value, '$.code') = 'TABLE_AS_IMAGE';

-- a table picture is stored raw (not a page): it is listed by image_tables / ocr_outcomes, not as a page kept raw
DROP VIEW unparsed_pages;
CREATE VIEW unparsed_pages AS
  SELECT d.id AS document_id, d.url, d.site, d.status, v.id AS version_id, v.seq AS version_seq,
         v.first_seen, v.parse_status, v.parse_reason, v.blob_sha256
  FROM documents d JOIN versions v ON v.id = d.current_version_id
  WHERE v.parse_status <> 'report' AND NOT EXISTS (SELECT 1 FROM table_pictures tp WHERE tp.picture_url = d.url);

-- the OCR outcome of each picture table of the latest reports: what a journalist reads next to image_tables
CREATE VIEW ocr_outcomes AS
  SELECT l.document_id, o.version_id, d.url, r.title, r.agency, r.year, o.table_key, o.picture_url, o.status, o.reason,
         json_extract(o.warning, '$.code') AS warning_code, o.engine, o.at
  FROM latest_report_versions l
  JOIN documents d ON d.id = l.document_id
  JOIN reports r ON r.version_id = l.version_id
  JOIN ocr_tables o ON o.version_id = l.version_id;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'core tables', up: sql(V1_CORE) },
  { version: 2, name: 'chinese search', up: sql(V2_SEARCH) },
  { version: 3, name: 'views', up: sql(V3_VIEWS) },
  { version: 4, name: 'crawl frontier and runs', up: sql(V4_FRONTIER) },
  { version: 5, name: 'search, latest reports and cells at scale', up: sql(V5_SCALE) },
  { version: 6, name: 'image_tables view', up: sql(IMAGE_TABLES) },
  { version: 7, name: 'reports unlinked from their lists', up: (db) => withViewsSetAside(db, () => db.exec(V7_LISTING)) },
  { version: 8, name: 'sections as offsets into the body', up: sql(V8_SECTIONS) },
  { version: 9, name: 'cells keyed by number', up: sql(V9_CELL_KEYS) },
  { version: 10, name: 'report pages and the files their report is in', up: sql(V10_PAGE_ATTACHMENTS) },
  { version: 11, name: 'search index merged 16 segments at a time', up: sql(V11_FTS_MERGE) },
  { version: 12, name: 'frontier queue by host', up: sql(V12_FRONTIER_QUEUE) },
  { version: 13, name: 'table pictures and their OCR', up: sql(V13_TABLE_PICTURES) },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
    path: string,
  ) {
    super(
      `archive ${path} has schema version ${found}, newer than this nianbao knows (${known}); ` +
        'it was written by a newer nianbao — upgrade nianbao to open it (the archive was not modified)',
    );
    this.name = 'SchemaTooNewError';
  }
}

export function schemaVersion(db: Archive): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Apply every migration above the archive's version (up to `to`), each in its own transaction. */
export function migrate(db: Archive, opts: { to?: number } = {}): { from: number; to: number } {
  const from = schemaVersion(db);
  if (from > SCHEMA_VERSION) throw new SchemaTooNewError(from, SCHEMA_VERSION, db.name);
  const target = opts.to ?? SCHEMA_VERSION;
  for (const m of MIGRATIONS) {
    if (m.version <= from || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return { from, to: schemaVersion(db) };
}

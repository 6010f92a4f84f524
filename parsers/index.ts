export { parsePage, parsePageDetailed, parseHtml, parseText, isAnnualReport, looksLikeHtml, PARSER_VERSION } from './report.ts';
export type { DetailedParse, InputForm } from './report.ts';
export { UnreadableInput, decodeBytes } from './decode.ts';
export type * from './types.ts';

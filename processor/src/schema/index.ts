/** `@waymark/processor/schema`: table and column names, row types, and deduplicated reads. */
export * from './columns.js';
export * from './dedupe.js';

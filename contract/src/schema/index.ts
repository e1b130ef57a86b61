/**
 * `@waymark/contract/schema`: the ClickHouse schema — table and column names, row types,
 * migrations (with their copy-and-swap steps), how statements render for a cluster, and
 * deduplicated reads. Code that needs a ClickHouse client takes it as a parameter.
 */
export * from './columns.js';
export * from './context.js';
export * from './dedupe.js';
export * from './erasure.js';
export * from './errors.js';
export * from './keys.js';
export * from './migrations.js';
export * from './rebuild.js';
export * from './render.js';
export * from './retention.js';
export * from './summaries.js';
export * from './timeline.js';

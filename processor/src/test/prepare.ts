/**
 * The processor's handling of one Kafka value (JSON parse, record validation, enrichment, row
 * building and RowBinary encoding), and the rows read back, for contract tests that cross the
 * collector → processor boundary (infra/e2e), which import it by name instead of reaching into
 * src/.
 */
export { type Prepared, prepareValue } from '../prepare.js';
export { readEventRow } from '../rows.js';

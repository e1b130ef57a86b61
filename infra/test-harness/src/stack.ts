/**
 * `@waymark/test-harness/stack`: start and stop a Kafka or a ClickHouse of the test's own, for
 * tests that take one down (outage, chaos). The shared services of a run come from the global
 * setup instead.
 */
export { clickhouseUrl, startClickHouse, stopClickHouse } from '@waymark/stack/clickhouse';
export { loadStackConfig, repoRoot, type StackConfig } from '@waymark/stack/config';
export { kafkaBrokers, startKafka, stopKafka } from '@waymark/stack/kafka';

/**
 * `@waymark/test-harness`: what a test needs to reach the real services (set up once per run by
 * `@waymark/test-harness/global-setup`), names unique to the run, the built services as child
 * processes, and the flags every browser test uses. Private Kafka/ClickHouse control for outage
 * tests: `@waymark/test-harness/stack`.
 */
export { CHROMIUM_ARGS, CHROMIUM_PATH } from '@waymark/stack/browser';
export {
  runPrefix,
  type TestServices,
  testClickHouse,
  testServices,
  uniqueDatabase,
  uniqueTopic,
} from './context.js';
export {
  eventually,
  freePort,
  type Pipeline,
  type ServiceProcess,
  startPipeline,
  startService,
} from './processes.js';

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { type StackConfig, StackError, stackRoot } from './config.js';
import {
  assertPortFree,
  daemonStatus,
  fillTemplate,
  requireCommand,
  runningPid,
  type ServiceStatus,
  spawnDaemon,
  stopPid,
  waitUntil,
} from './process.js';

const KAFKA_VERSION = '3.9.1';

export function kafkaPaths(config: StackConfig) {
  const home = join(config.stateDir, 'kafka');
  return {
    home,
    // Versioned so that bumping the pom fetches fresh jars instead of mixing versions.
    libs: join(config.cacheDir, `kafka-${KAFKA_VERSION}-libs`),
    data: join(home, 'data'),
    logs: join(home, 'logs'),
    logFile: join(home, 'logs', 'server.log'),
    stdoutFile: join(home, 'logs', 'stdout.log'),
    properties: join(home, 'server.properties'),
    pidFile: join(config.stateDir, 'run', 'kafka.pid'),
  };
}

const javaFix =
  'install a Java 17+ runtime (Debian/Ubuntu: apt-get install openjdk-17-jre-headless)';

/** Copies Kafka and its runtime dependencies from Maven Central into the cache, once. */
export function ensureKafkaJars(config: StackConfig): void {
  const paths = kafkaPaths(config);
  if (existsSync(join(paths.libs, `kafka_2.13-${KAFKA_VERSION}.jar`))) return;
  requireCommand('mvn', '--version', 'install Maven (Debian/Ubuntu: apt-get install maven)');
  const staging = `${paths.libs}.partial`;
  rmSync(staging, { recursive: true, force: true });
  const result = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(stackRoot, 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${staging}`,
      '-DincludeScope=runtime',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
  if (result.status !== 0) {
    const tail = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-5).join(' | ');
    throw new StackError(`mvn could not fetch the Kafka jars from Maven Central: ${tail}`);
  }
  // Rename last so an interrupted download never looks complete.
  renameSync(staging, paths.libs);
}

function javaArgs(config: StackConfig, main: string, args: string[]): string[] {
  const paths = kafkaPaths(config);
  return [
    `-Xms${config.kafkaHeap}`,
    `-Xmx${config.kafkaHeap}`,
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    `-Dkafka.logs.dir=${paths.logs}`,
    `-Dlog4j.configuration=file:${join(stackRoot, 'config', 'kafka', 'log4j.properties')}`,
    '-cp',
    join(paths.libs, '*'),
    main,
    ...args,
  ];
}

/** KRaft cluster ids are 16 random bytes, URL-safe base64 without padding. */
/**
 * A KRaft cluster id: 16 random bytes, base64url, as Kafka's own `Uuid.randomUuid()`, which
 * likewise draws again while the id starts with '-' (the storage tool would read it as a flag).
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function writeProperties(config: StackConfig): void {
  const paths = kafkaPaths(config);
  const template = readFileSync(join(stackRoot, 'config', 'kafka', 'server.properties'), 'utf8');
  mkdirSync(paths.home, { recursive: true });
  writeFileSync(
    paths.properties,
    fillTemplate(template, {
      KAFKA_PORT: config.kafkaPort,
      CONTROLLER_PORT: config.kafkaControllerPort,
      DATA_DIR: paths.data,
    }),
  );
}

/** Formats the KRaft storage once; a formatted data dir carries meta.properties. */
function formatStorageOnce(config: StackConfig): void {
  const paths = kafkaPaths(config);
  if (existsSync(join(paths.data, 'meta.properties'))) return;
  mkdirSync(paths.data, { recursive: true });
  // A leftover from an interrupted format would make StorageTool refuse: start clean.
  for (const entry of readdirSync(paths.data)) rmSync(join(paths.data, entry), { recursive: true });
  const result = spawnSync(
    'java',
    javaArgs(config, 'kafka.tools.StorageTool', [
      'format',
      '--standalone',
      '-t',
      newClusterId(),
      '-c',
      paths.properties,
    ]),
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new StackError(
      `formatting Kafka storage failed: ${(result.stderr || result.stdout).trim().split('\n')[0]}`,
    );
  }
}

/** A client could create (or find) a topic: the broker and controller are both serving. */
async function canCreateTopic(brokers: string): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'waymark-stack-probe',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: '__waymark_probe', numPartitions: 1, replicationFactor: 1 }],
      waitForLeaders: true,
      timeout: 3000,
    });
    const topics = await admin.listTopics();
    return topics.includes('__waymark_probe');
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

export function kafkaBrokers(config: StackConfig): string {
  return `127.0.0.1:${config.kafkaPort}`;
}

export function kafkaStatus(config: StackConfig): ServiceStatus {
  const paths = kafkaPaths(config);
  return daemonStatus('kafka', paths.pidFile, kafkaBrokers(config), paths.logFile);
}

/** Idempotent: fetches jars, formats storage, starts the broker, waits until topics can be created. */
export async function startKafka(config: StackConfig): Promise<void> {
  const paths = kafkaPaths(config);
  const brokers = kafkaBrokers(config);
  const existing = runningPid(paths.pidFile);
  if (existing !== undefined) {
    await waitUntil(() => canCreateTopic(brokers), {
      timeoutMs: 60_000,
      what: 'Kafka',
      logFile: paths.logFile,
      pid: existing,
    });
    return;
  }
  requireCommand('java', '-version', javaFix);
  await assertPortFree(config.kafkaPort, 'Kafka', 'KAFKA_PORT');
  await assertPortFree(config.kafkaControllerPort, 'Kafka controller', 'KAFKA_CONTROLLER_PORT');
  ensureKafkaJars(config);
  writeProperties(config);
  formatStorageOnce(config);
  mkdirSync(paths.logs, { recursive: true });
  const pid = spawnDaemon({
    command: 'java',
    args: javaArgs(config, 'kafka.Kafka', [paths.properties]),
    logFile: paths.stdoutFile,
    pidFile: paths.pidFile,
  });
  await waitUntil(() => canCreateTopic(brokers), {
    timeoutMs: 90_000,
    what: 'Kafka',
    logFile: paths.logFile,
    pid,
  });
}

export async function stopKafka(config: StackConfig): Promise<boolean> {
  // A controlled shutdown moves leadership and flushes logs; give it time before SIGKILL.
  return stopPid(kafkaPaths(config).pidFile, 30_000);
}

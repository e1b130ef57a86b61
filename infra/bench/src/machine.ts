/** Facts about the machine and the versions measured, printed with every report. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@waymark/stack/config';

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  loadAverage: string;
  node: string;
  java: string;
  clickhouse: string;
  kafka: string;
}

function javaVersion(): string {
  // `java -version` writes to stderr.
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n')[0] || 'not found';
}

/** The Kafka version from the jar the local stack runs (kafka_2.13-<version>.jar). */
function kafkaVersion(): string {
  try {
    const libs = readdirSync(join(repoRoot, '.waymark/cache')).find((d) => d.startsWith('kafka-'));
    return libs ? libs.replace(/^kafka-/, '').replace(/-libs$/, '') : 'external';
  } catch {
    return 'external';
  }
}

export async function machineFacts(clickhouseUrl: string): Promise<MachineFacts> {
  let clickhouse = 'unknown';
  try {
    clickhouse = (await (await fetch(`${clickhouseUrl}/?query=SELECT%20version()`)).text()).trim();
  } catch {
    // Reported as unknown.
  }
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    node: process.version,
    java: javaVersion(),
    clickhouse,
    kafka: kafkaVersion(),
  };
}

/** The local stack's servers, by name, for per-process figures (absent when external). */
export function serverPids(ctx: {
  clickhousePid: number | undefined;
  kafkaPid: number | undefined;
}): Record<string, number | undefined> {
  return {
    'ClickHouse (local stack)': ctx.clickhousePid,
    'Kafka broker (local stack)': ctx.kafkaPid,
  };
}

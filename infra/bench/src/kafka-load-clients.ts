/**
 * The clients the Kafka benchmark compares, loaded so that one that cannot run here is reported
 * with the reason instead of failing the bench: @platformatic/kafka by a dynamic import (it may not
 * load on this Node.js), @confluentinc/kafka-javascript from the bench's private install, built on
 * first use (src/kafka-native-install.ts).
 */
import { BENCH, type KafkaClientUnderTest } from './kafka-client.js';
import { kafkajsClient } from './kafka-kafkajs.js';
import {
  ensureNativeKafka,
  NATIVE_KAFKA,
  NativeKafkaInstallError,
} from './kafka-native-install.js';
import type { BenchContext, BenchRow } from './report-types.js';
import { benchKafka } from './services.js';

const firstLine = (err: unknown) =>
  (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';

/** A row that says why a client has no figures (the report shows its value as n/a). */
function notMeasured(client: string, reason: string): BenchRow {
  return {
    bench: BENCH,
    measure: `${client}: not measured — ${reason}`,
    value: Number.NaN,
    unit: 'ev/s',
    runs: [],
  };
}

async function nativeClient(ctx: BenchContext): Promise<KafkaClientUnderTest> {
  const installed = await ensureNativeKafka(ctx.log);
  ctx.log(
    `kafka clients: ${installed.package}@${installed.version} (librdkafka ${installed.librdkafka}) ` +
      `${installed.builtNow ? 'built now' : `built ${installed.builtAt}`}, in ${installed.buildSeconds} s`,
  );
  const { confluentClient } = await import('./kafka-confluent.js');
  return confluentClient(installed, ctx.kafkaBrokers);
}

/** The clients that load on this machine, and a row for each one that does not. */
export async function loadClients(
  ctx: BenchContext,
): Promise<{ clients: KafkaClientUnderTest[]; absent: BenchRow[] }> {
  const clients = [kafkajsClient(benchKafka(ctx))];
  const absent: BenchRow[] = [];
  try {
    const { platformaticClient } = await import('./kafka-platformatic.js');
    clients.push(platformaticClient(ctx.kafkaBrokers));
  } catch (err) {
    absent.push(
      notMeasured(
        '@platformatic/kafka',
        `does not load on Node ${process.version}: ${firstLine(err)}`,
      ),
    );
  }
  try {
    clients.push(await nativeClient(ctx));
  } catch (err) {
    const why = err instanceof NativeKafkaInstallError ? 'not installed' : 'does not load';
    absent.push(
      notMeasured(`${NATIVE_KAFKA.name} ${NATIVE_KAFKA.version}`, `${why}: ${firstLine(err)}`),
    );
  }
  return { clients, absent };
}

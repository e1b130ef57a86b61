/**
 * The one place a kafkajs client is made: client id, brokers, logging (into pino, or none) and
 * timeouts / retries. Services, tests and benches call `createKafka`; only this subpath loads
 * kafkajs (an optional peer dependency of the kit: the dashboards service installs no Kafka
 * client and never imports it).
 */
import kafkajs, { type Kafka, type LogEntry, type RetryOptions } from 'kafkajs';
import type { Logger } from 'pino';

export interface KafkaOptions {
  /** Names the client in broker logs and quotas: `waymark-collector`, `waymark-bench`, … */
  clientId: string;
  brokers: readonly string[];
  /** kafkajs's own logs go to this logger at warn and above; without one, nowhere. */
  log?: Logger;
  /** Per connection attempt (kafkajs's default: 1000 ms). */
  connectionTimeoutMs?: number;
  /** Per request (kafkajs's default: 30 s). */
  requestTimeoutMs?: number;
  /** Retries of every request (kafkajs's default: 5 retries, up to 30 s apart). */
  retry?: RetryOptions;
}

/** Routes kafkajs's log entries into a pino logger, each with the kafkajs component as `kafka`. */
export function kafkaLogCreator(log: Logger) {
  return () =>
    ({ level, label, log: { message, ...extra } }: LogEntry) => {
      const fields = { kafka: label, ...extra };
      if (level === kafkajs.logLevel.ERROR) log.error(fields, message);
      else if (level === kafkajs.logLevel.WARN) log.warn(fields, message);
      else if (level === kafkajs.logLevel.INFO) log.info(fields, message);
      else log.debug(fields, message);
    };
}

export function createKafka(options: KafkaOptions): Kafka {
  return new kafkajs.Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    ...(options.log
      ? { logLevel: kafkajs.logLevel.WARN, logCreator: kafkaLogCreator(options.log) }
      : { logLevel: kafkajs.logLevel.NOTHING }),
    ...(options.connectionTimeoutMs === undefined
      ? {}
      : { connectionTimeout: options.connectionTimeoutMs }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeout: options.requestTimeoutMs }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  });
}

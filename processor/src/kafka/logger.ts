import { type LogEntry, logLevel } from 'kafkajs';
import type { Logger } from 'pino';

/** Routes kafkajs' own logs into the processor's pino logger. */
export function kafkaLogCreator(log: Logger) {
  return () =>
    ({ level, label, log: { message, ...extra } }: LogEntry) => {
      const fields = { kafka: label, ...extra };
      if (level === logLevel.ERROR) log.error(fields, message);
      else if (level === logLevel.WARN) log.warn(fields, message);
      else if (level === logLevel.INFO) log.info(fields, message);
      else log.debug(fields, message);
    };
}

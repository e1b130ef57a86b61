import kafkajs from 'kafkajs';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { kafkaLogCreator } from './kafka.js';

describe('kafkaLogCreator', () => {
  it('routes kafkajs entries to the pino level of the same name, labelled', () => {
    const lines: { level: number; kafka: string; msg: string; broker?: string }[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const write = kafkaLogCreator(log)();
    const entry = (level: number, message: string) => ({
      namespace: 'Connection',
      level,
      label: 'Connection',
      log: { timestamp: 't', logger: 'kafkajs', message, broker: 'b:9092' },
    });
    write(entry(kafkajs.logLevel.ERROR, 'down'));
    write(entry(kafkajs.logLevel.WARN, 'slow'));
    write(entry(kafkajs.logLevel.DEBUG, 'detail'));
    expect(lines.map((l) => [l.level, l.kafka, l.msg, l.broker])).toEqual([
      [50, 'Connection', 'down', 'b:9092'],
      [40, 'Connection', 'slow', 'b:9092'],
      [20, 'Connection', 'detail', 'b:9092'],
    ]);
  });
});

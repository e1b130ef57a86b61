/**
 * The summarizer: keeps each configured project's device summaries up to date
 * (contract/src/schema/summaries.ts) — every `intervalMs`, the devices changed since the
 * project's watermark and settled for `settleMs`, in windows of at most `maxDevices`, until
 * none is left. One pass at a time; a failed pass is logged and tried again next time (until
 * then the questions read those devices' events, so nothing is wrong meanwhile, only slower).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { summarizeWindow } from '@waymark/contract/schema';
import type { Logger } from 'pino';
import { errorMessage } from './clickhouse/errors.js';
import type { ProcessorMetrics } from './metrics.js';

export interface SummarizerOptions {
  /** The summarizer's own client (closed when it stops). */
  clickhouse: ClickHouseClient;
  database: string;
  /** Project id → session timeout (ms): what each project's sessions are computed with. */
  projects: ReadonlyMap<string, number>;
  intervalMs: number;
  settleMs: number;
  maxDevices: number;
  metrics: ProcessorMetrics;
  log: Logger;
}

export interface Summarizer {
  /** Waits for the pass in flight, then stops. */
  stop: () => Promise<void>;
}

export function startSummarizer(options: SummarizerOptions): Summarizer {
  const { clickhouse, database, log, metrics } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const pass = async () => {
    for (const [projectId, timeoutMs] of options.projects) {
      // Windows until the project is caught up (or the process stops).
      for (;;) {
        if (stopped) return;
        const started = performance.now();
        const done = await summarizeWindow(clickhouse, database, {
          projectId,
          timeoutMs,
          settleMs: options.settleMs,
          maxDevices: options.maxDevices,
        });
        if (done.watermarkMs > 0) {
          metrics.summaryWatermark.set({ project: projectId }, done.watermarkMs / 1000);
        }
        if (done.devices === 0) break;
        metrics.devicesSummarized.inc({ project: projectId }, done.devices);
        log.debug(
          {
            project: projectId,
            devices: done.devices,
            pending: done.pending,
            ms: Math.round(performance.now() - started),
          },
          'devices summarized',
        );
        if (done.pending === 0) break;
      }
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass()
        .catch((err: unknown) => {
          metrics.summaryFailures.inc();
          log.warn({ err: errorMessage(err) }, 'summarizing failed; the next pass tries again');
        })
        .finally(schedule);
    }, options.intervalMs);
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await clickhouse.close();
    },
  };
}

/** One line of the report: a figure, the same-run baseline it is compared with, and the target. */
export interface BenchRow {
  bench: string;
  measure: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  /** value / baseline.value (for latencies the report says which way is better). */
  ratio?: number;
  target?: string;
  /** Whether the target is met; undefined when there is no target. */
  met?: boolean;
  /** Every run's value, so the median can be checked. */
  runs: number[];
}

export interface BenchContext {
  quick: boolean;
  runs: number;
  kafkaBrokers: string[];
  clickhouseUrl: string;
  /** The local stack's ClickHouse process, for its CPU per event; undefined when external. */
  clickhousePid: number | undefined;
  /** The local stack's Kafka broker process, for its peak memory; undefined when external. */
  kafkaPid: number | undefined;
  /** Unique per bench run (`wmb_<time>_<random>`), prefixes every topic and database created. */
  runId: string;
  log: (line: string) => void;
}

/**
 * CPU time per process, read from /proc: what a part costs per event does not depend on how busy
 * the shared machine is, where a rate does. Every figure counts all the process's threads.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim();
    const parsed = Number(out);
    ticksPerSecond = Number.isInteger(parsed) && parsed > 0 ? parsed : 100;
  }
  return ticksPerSecond;
}

/** User + system CPU seconds the process has used so far, or undefined if it is not readable. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / clockTicks();
  } catch {
    return undefined;
  }
}

/** Starts counting the CPU of each named process; `read()` gives the seconds used since. */
export function cpuMeter<K extends string>(
  pids: Record<K, number | undefined>,
): { read: () => Record<K, number | undefined> } {
  const start = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid as number | undefined)]),
  ) as Record<K, number | undefined>;
  return {
    read: () => {
      const used = {} as Record<K, number | undefined>;
      for (const name of Object.keys(pids) as K[]) {
        const now = cpuSeconds(pids[name]);
        const before = start[name];
        used[name] = now === undefined || before === undefined ? undefined : now - before;
      }
      return used;
    },
  };
}

/** Microseconds of CPU per event, or undefined when the CPU or the count is unknown. */
export function microsPerEvent(seconds: number | undefined, events: number): number | undefined {
  return seconds === undefined || events <= 0 ? undefined : (seconds * 1e6) / events;
}

/** The process's peak resident memory so far (VmHWM), in bytes, or undefined if unreadable. */
export function peakRssBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

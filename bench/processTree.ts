import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time and memory of a process and all its descendants (a gateway and its node:cluster
 * workers, a client process), read from Linux's /proc: a bench can see processes it did not write.
 */
export interface TreeUsage {
  processes: number;
  /** User + system CPU time of the live processes. */
  cpuMs: number;
  rssBytes: number;
  /** The sum of each live process's peak RSS (VmHWM). */
  peakRssBytes: number;
}

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface ProcStat {
  pid: number;
  ppid: number;
  cpuTicks: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after its end.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the name: state(3) ppid(4) ... utime(14) stime(15).
  return {
    pid,
    ppid: Number(fields[1]),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
  };
}

function memoryKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The usage of `root` and every process below it; zero processes if it is gone. */
export function treeUsage(root: number): TreeUsage {
  const stats = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== undefined);
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) {
    const list = children.get(stat.ppid) ?? [];
    list.push(stat);
    children.set(stat.ppid, list);
  }
  const tree = stats.filter((stat) => stat.pid === root);
  for (let i = 0; i < tree.length; i += 1) {
    tree.push(...(children.get(tree[i]?.pid ?? -1) ?? []));
  }
  return {
    processes: tree.length,
    cpuMs: tree.reduce((sum, stat) => sum + (stat.cpuTicks * 1000) / ticksPerSecond, 0),
    rssBytes: tree.reduce((sum, stat) => sum + memoryKb(stat.pid, 'VmRSS') * 1024, 0),
    peakRssBytes: tree.reduce((sum, stat) => sum + memoryKb(stat.pid, 'VmHWM') * 1024, 0),
  };
}

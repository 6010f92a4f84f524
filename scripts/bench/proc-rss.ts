/** Resident memory and CPU of this process's Chromium tree, read from /proc (Linux). */
import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  rssKb: number;
  /** utime + stime, clock ticks */
  ticks: number;
  cmd: string;
}

function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name is in parentheses and may contain spaces: fields start after the last ')'
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+)/.exec(status);
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return { pid, ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]), rssKb: rss ? Number(rss[1]) : 0, cmd };
  } catch {
    return null; // gone meanwhile
  }
}

/** Every descendant of `root` (default: this process). */
function descendants(root = process.pid): Proc[] {
  const all: Proc[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const p = readProc(Number(d));
    if (p) all.push(p);
  }
  const kids = new Map<number, Proc[]>();
  for (const p of all) kids.set(p.ppid, [...(kids.get(p.ppid) ?? []), p]);
  const out: Proc[] = [];
  const walk = (pid: number) => {
    for (const k of kids.get(pid) ?? []) {
      out.push(k);
      walk(k.pid);
    }
  };
  walk(root);
  return out;
}

/** Chromium's processes under this one: count, summed RSS (MB) and CPU seconds. */
export function chromiumUsage(): { processes: number; rssMb: number; cpuSeconds: number } {
  const procs = descendants().filter((p) => /chrom/i.test(p.cmd));
  const hz = 100; // USER_HZ on Linux
  return {
    processes: procs.length,
    rssMb: procs.reduce((n, p) => n + p.rssKb, 0) / 1024,
    cpuSeconds: procs.reduce((n, p) => n + p.ticks, 0) / hz,
  };
}

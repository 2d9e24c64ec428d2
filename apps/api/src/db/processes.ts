import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';

/** Processes (this one included) holding files of `dir` open; empty where /proc is not available. */
export function processesUsing(dir: string): { pid: number; command: string }[] {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return [];
  }
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  const found: { pid: number; command: string }[] = [];
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process, or gone
    }
    const holds = fds.some((fd) => {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        return target === real || target.startsWith(`${real}/`);
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').slice(0, 120);
    } catch {
      // gone meanwhile
    }
    found.push({ pid: Number(pid), command });
  }
  return found;
}

import { writeFileSync } from 'node:fs';
import type { ImportProgress } from './import-options';

/**
 * A one-line progress bar for the terminal: bar, percent, rows, rows per second, time left and
 * what is being done. Redrawn at most ten times a second; on a stream that is not a terminal it
 * prints nothing (the summary at the end says it all).
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr, label = 'Importing') {
  const tty = !!stream.isTTY;
  const t0 = Date.now();
  let last = 0;
  let drawn = false;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const draw = (p: ImportProgress, force = false) => {
    if (!tty) return;
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const width = 28;
    const f = Math.max(0, Math.min(1, p.fraction));
    const filled = Math.round(f * width);
    const elapsed = (now - t0) / 1000;
    // Rows count as done in proportion to the whole job, so the rate covers writing too.
    const done = p.phase === 'reading rows' || p.phase === 'checking dates' ? p.rows : f * p.totalRows;
    const rate = elapsed > 0.2 ? done / elapsed : 0;
    const left = f > 0.02 && f < 1 ? (elapsed / f) * (1 - f) : 0;
    const cols = stream.columns ?? 100;
    let line =
      `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%  ` +
      `${fmt(done)}/${fmt(p.totalRows)} rows  ${fmt(rate)} rows/s  ` +
      `${f >= 1 ? `${elapsed.toFixed(1)} s` : `${left.toFixed(1)} s left`}  ${p.phase}`;
    if (line.length > cols - 1) line = line.slice(0, cols - 1);
    stream.write(`\r${line}\x1b[K`);
    drawn = true;
  };
  return {
    update: (p: ImportProgress) => draw(p),
    done: (p?: ImportProgress) => {
      if (p) draw(p, true);
      if (drawn) stream.write('\n');
    },
  };
}

/**
 * Where an import's time goes, for the benchmark: with IKB_IMPORT_PHASES_FILE set, each phase's
 * start (wall clock, epoch ms, and this process's CPU seconds) is written to that file as JSON when
 * the import ends, with the process's start time, so a parent timing the whole command can split it
 * into start-up, the phases and exit. Off (null) otherwise.
 */
export class PhaseTrace {
  private readonly phases: { phase: string; at: number; cpu: number }[] = [];
  private constructor(private readonly file: string) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): PhaseTrace | null {
    const file = env.IKB_IMPORT_PHASES_FILE;
    return file ? new PhaseTrace(file) : null;
  }

  mark(phase: string): void {
    if (this.phases[this.phases.length - 1]?.phase === phase) return;
    const c = process.cpuUsage();
    this.phases.push({ phase, at: performance.timeOrigin + performance.now(), cpu: (c.user + c.system) / 1e6 });
  }

  write(extra: Record<string, unknown> = {}): void {
    try {
      writeFileSync(this.file, JSON.stringify({ processStart: performance.timeOrigin, phases: this.phases, ...extra }));
    } catch {
      // A diagnostic only.
    }
  }
}

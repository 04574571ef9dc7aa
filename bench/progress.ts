// Progress lines for a run that takes minutes: a counter that rewrites one terminal line when
// stdout is a terminal, and prints a few milestones when it is a log file.

export interface Progress {
  /** A line of its own. */
  say(text: string): void;
  /** "<label>: done/total", rewritten in place; the line is finished when done reaches total. */
  count(label: string, done: number, total: number): void;
  /** A transient status line (rewritten in place on a terminal, skipped otherwise). */
  status(text: string): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stdout): Progress {
  const tty = Boolean(stream.isTTY);
  let open = false;
  const lastMilestone = new Map<string, number>();
  const startedAt = new Map<string, number>();
  /** " (1,234/s, ~3 min left)" once a count has run for a few seconds. */
  const pace = (label: string, done: number, total: number) => {
    const started = startedAt.get(label) ?? Date.now();
    startedAt.set(label, started);
    const elapsed = (Date.now() - started) / 1000;
    if (elapsed < 3 || done === 0) return '';
    const rate = done / elapsed;
    const left = (total - done) / rate;
    const eta =
      done >= total ? `${Math.round(elapsed)} s` : left >= 90 ? `~${Math.round(left / 60)} min left` : `~${Math.round(left)} s left`;
    return ` (${Math.round(rate).toLocaleString('en-US')}/s, ${eta})`;
  };
  const endLine = () => {
    if (open) stream.write('\n');
    open = false;
  };
  return {
    say(text) {
      endLine();
      stream.write(`${text}\n`);
    },
    count(label, done, total) {
      const text = `  ${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}${pace(label, done, total)}`;
      if (tty) {
        stream.write(`\r\x1b[2K${text}`);
        open = true;
        if (done >= total) {
          endLine();
          startedAt.delete(label);
        }
        return;
      }
      // Not a terminal: print at every 10 % and at the end.
      const step = Math.floor((done / Math.max(1, total)) * 10);
      if (done >= total || step > (lastMilestone.get(label) ?? 0)) {
        lastMilestone.set(label, step);
        stream.write(`${text}\n`);
      }
      if (done >= total) {
        lastMilestone.delete(label);
        startedAt.delete(label);
      }
    },
    status(text) {
      if (!tty) return;
      stream.write(`\r\x1b[2K  ${text}`);
      open = true;
    },
  };
}

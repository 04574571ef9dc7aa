// /readyz, asked twice a second for the whole run, so each fault's report says what a load
// balancer would have seen: 200 (keep sending) or 503 (take the process out), and why.
export interface ReadyProbe {
  at: number;
  /** HTTP status, or 0 when nothing answered within 3 s. */
  status: number;
  body: string;
}

export class ReadinessProbe {
  readonly probes: ReadyProbe[] = [];
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly origin: string) {}

  start(intervalMs = 500): void {
    this.timer = setInterval(() => void this.probe(), intervalMs);
  }

  private async probe(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const res = await fetch(`${this.origin}/readyz`, { signal: AbortSignal.timeout(3000) });
      this.probes.push({ at: Date.now(), status: res.status, body: (await res.text()).slice(0, 300) });
    } catch {
      this.probes.push({ at: Date.now(), status: 0, body: '' });
    } finally {
      this.busy = false;
    }
  }

  between(from: number, to: number): ReadyProbe[] {
    return this.probes.filter((p) => p.at >= from && p.at <= to);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

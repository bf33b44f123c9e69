// Progress and checklist lines for `mesonet up`: what is being built, started, waited for.
export class Progress {
  private readonly t0: number;
  constructor(private readonly out: (s: string) => void = (s) => process.stdout.write(s)) {
    this.t0 = Date.now();
  }
  elapsed(): string {
    return `${((Date.now() - this.t0) / 1000).toFixed(1)}s`;
  }
  step(msg: string): void {
    this.out(`[${this.elapsed().padStart(6)}] ${msg}\n`);
  }
  check(ok: boolean, what: string, figure: string): void {
    this.out(`  ${ok ? '✓' : '✗'} ${what}${figure ? ` — ${figure}` : ''}\n`);
  }
}

/** Poll until `fn` yields a value or the deadline passes; returns [value|undefined, ms waited]. */
export async function poll<T>(fn: () => Promise<T | undefined>, timeoutMs: number, everyMs = 50): Promise<[T | undefined, number]> {
  const t0 = Date.now();
  for (;;) {
    let v: T | undefined;
    try {
      v = await fn();
    } catch {
      v = undefined;
    }
    if (v !== undefined) return [v, Date.now() - t0];
    if (Date.now() - t0 > timeoutMs) return [undefined, Date.now() - t0];
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

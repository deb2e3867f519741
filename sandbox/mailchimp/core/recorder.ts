/** One request the sandbox received, as exported by GET /__sandbox/requests (JSON lines). */
export interface RecordedRequest {
  time: string;
  method: string;
  /** Full path including /3.0 for HTTP calls; the operation's path for batch operations. */
  path: string;
  /** The OpenAPI path template that matched, when one did. */
  template?: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  durationMs: number;
  via: 'http' | 'batch';
}

export interface SandboxStats {
  total: number;
  byStatus: Record<string, number>;
  inFlight: number;
  maxInFlight: number;
}

export class RequestRecorder {
  private entries: RecordedRequest[] = [];
  private readonly statusCounts = new Map<number, number>();
  private totalCount = 0;
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly enabled: boolean,
    private readonly limit = 200_000,
  ) {}

  enter(): void {
    this.inFlight += 1;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
  }

  leave(): void {
    this.inFlight -= 1;
  }

  record(entry: RecordedRequest): void {
    this.totalCount += 1;
    this.statusCounts.set(entry.status, (this.statusCounts.get(entry.status) ?? 0) + 1);
    if (this.enabled && this.entries.length < this.limit) this.entries.push(entry);
  }

  all(): readonly RecordedRequest[] {
    return this.entries;
  }

  stats(): SandboxStats {
    return {
      total: this.totalCount,
      byStatus: Object.fromEntries([...this.statusCounts].map(([k, v]) => [String(k), v])),
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
    };
  }

  clear(): void {
    this.entries = [];
  }

  resetStats(): void {
    this.statusCounts.clear();
    this.totalCount = 0;
    this.maxInFlight = this.inFlight;
  }
}

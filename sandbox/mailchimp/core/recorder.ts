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
  /**
   * Requests in flight integrated over time since the stats were reset (request-milliseconds): divided by a span of
   * time it is the mean number in flight over that span (how busy the client kept its connections).
   */
  inFlightMs: number;
  /** Milliseconds from the reset to the moment the last request in flight left (0 before any request). */
  activeMs: number;
}

export class RequestRecorder {
  private entries: RecordedRequest[] = [];
  private readonly statusCounts = new Map<number, number>();
  private totalCount = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** The time integral of `inFlight` since `since`, up to `changedAt` (performance.now() milliseconds). */
  private inFlightIntegral = 0;
  private since: number;
  private changedAt: number;
  private lastLeftAt: number | undefined;

  constructor(
    private readonly enabled: boolean,
    private readonly limit = 200_000,
    /** A monotonic clock in milliseconds (tests pass their own). */
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.since = clock();
    this.changedAt = this.since;
  }

  enter(): void {
    this.advance();
    this.inFlight += 1;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
  }

  leave(): void {
    this.advance();
    this.inFlight -= 1;
    this.lastLeftAt = this.changedAt;
  }

  private advance(): void {
    const now = this.clock();
    this.inFlightIntegral += this.inFlight * (now - this.changedAt);
    this.changedAt = now;
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
    this.advance();
    return {
      total: this.totalCount,
      byStatus: Object.fromEntries([...this.statusCounts].map(([k, v]) => [String(k), v])),
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      inFlightMs: this.inFlightIntegral,
      activeMs: this.lastLeftAt === undefined ? 0 : this.lastLeftAt - this.since,
    };
  }

  clear(): void {
    this.entries = [];
  }

  resetStats(): void {
    this.statusCounts.clear();
    this.totalCount = 0;
    this.maxInFlight = this.inFlight;
    this.inFlightIntegral = 0;
    this.since = this.clock();
    this.changedAt = this.since;
    this.lastLeftAt = undefined;
  }
}

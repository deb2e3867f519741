/** What the GraphQL endpoint has answered, for tests and benchmarks (`GET /__sandbox/requests`). */
export class RequestStats {
  total = 0;
  throttled = 0;
  unauthorized = 0;
  maxCostExceeded = 0;
  /** Requests per top-level field (`products`, `bulkOperationRunQuery`, …). */
  byField: Record<string, number> = {};
  /** Points charged in total (actual cost). */
  actualCost = 0;

  countFields(fields: string[]): void {
    for (const field of fields) this.byField[field] = (this.byField[field] ?? 0) + 1;
  }

  snapshot(): Record<string, unknown> {
    return {
      total: this.total,
      throttled: this.throttled,
      unauthorized: this.unauthorized,
      maxCostExceeded: this.maxCostExceeded,
      actualCost: this.actualCost,
      byField: {...this.byField},
    };
  }

  reset(): void {
    this.total = 0;
    this.throttled = 0;
    this.unauthorized = 0;
    this.maxCostExceeded = 0;
    this.actualCost = 0;
    this.byField = {};
  }
}

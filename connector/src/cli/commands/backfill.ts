import cliProgress from 'cli-progress';
import type {CliCommand, CliIo, CliOptionValues} from '../cli-command.js';
import type {BackfillRun, Phase, PhaseProgress} from '../../backfill/backfill-service.js';
import {CONNECTION_USAGE, connectionOptions} from './operator-commands.js';
import {operatorTarget} from '../operator-request.js';
import {finishedPhaseLine, phaseBar, recordsDone} from '../phase-progress.js';

const SHOWN_PHASES: Phase[] = ['products', 'customers', 'promos', 'orders', 'members', 'carts'];

/** The final summary of `backfill --json` (also the last thing the progress view prints). */
export function backfillSummary(run: BackfillRun, now: Date = new Date()): Record<string, unknown> {
  const sum = (pick: (p: PhaseProgress) => number) =>
    Object.values(run.progress).reduce((n, p) => n + (p ? pick(p) : 0), 0);
  return {
    run_id: run.id,
    status: run.status,
    error: run.error,
    seconds:
      Math.round(((run.finishedAt ? Date.parse(run.finishedAt) : now.getTime()) - Date.parse(run.startedAt)) / 100) /
      10,
    sent: Object.fromEntries(SHOWN_PHASES.map((phase) => [phase, run.progress[phase]?.sent ?? 0])),
    read: Object.fromEntries(SHOWN_PHASES.map((phase) => [phase, run.progress[phase]?.read ?? 0])),
    // Counted by the platform but never handled by a finished phase (skipped by the mapper, or merged).
    skipped: Object.fromEntries(
      SHOWN_PHASES.map((phase) => {
        const p = run.progress[phase];
        return [phase, p?.finishedAt && p.total !== undefined ? Math.max(p.total - recordsDone(p), 0) : 0];
      }),
    ),
    not_sendable: sum((p) => p.nothing),
    handed_to_live_worker: sum((p) => p.handedToLive),
    mailchimp_requests: run.mailchimpRequests,
    batches: sum((p) => p.batches),
    batch_operations: sum((p) => p.operations),
    failed_operations: sum((p) => p.failedOperations),
    dead_lettered: run.deadLetters,
  };
}

/** A run as `/v1/backfill` answers it; a start that found the backfill done says so (200, not 202). */
type StartAnswer = BackfillRun & {alreadyCompleted?: boolean; detail?: string};

function isDone(run: BackfillRun): boolean {
  return run.status !== 'running';
}

async function api(
  values: CliOptionValues,
  io: CliIo,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ok: true; body: StartAnswer} | {ok: false; message: string}> {
  const {base, token} = operatorTarget(values, io);
  if (!token) return {ok: false, message: 'pass --token or set ADMIN_TOKEN'};
  try {
    const res = await fetch(new URL(path, base), {
      method,
      headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as StartAnswer;
    return res.ok ? {ok: true, body: json} : {ok: false, message: `${res.status} ${json.detail ?? res.statusText}`};
  } catch (error) {
    return {
      ok: false,
      message: `cannot reach the connector at ${base} (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}

/**
 * Progress bars per phase on a terminal; elsewhere (logs, CI) one line per phase started and one per phase finished.
 * What a bar shows comes from phaseBar (phase-progress.ts); cli-progress only draws it, so its own ETA (NULL/INF
 * before a rate exists) is never printed.
 */
class ProgressView {
  private readonly bars = new Map<Phase, cliProgress.SingleBar>();
  private readonly multi?: cliProgress.MultiBar;
  private lastPhase?: Phase;
  private readonly finished = new Set<Phase>();

  constructor(
    private readonly io: CliIo,
    tty: boolean,
  ) {
    if (tty) {
      this.multi = new cliProgress.MultiBar(
        {
          format: ' {phase} |{bar}| {count} sent {sent} · {rate} · {eta_text}{skipped}',
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
    }
  }

  update(run: BackfillRun, now: Date = new Date()): void {
    if (!this.multi) {
      if (run.phase !== this.lastPhase) this.io.stderr.write(`backfill ${run.id}: ${run.phase}\n`);
      this.lastPhase = run.phase;
      for (const phase of SHOWN_PHASES) {
        const p = run.progress[phase];
        if (!p?.finishedAt || this.finished.has(phase)) continue;
        this.finished.add(phase);
        this.io.stderr.write(`backfill ${run.id}: ${finishedPhaseLine(phase, p, run.startedAt)}\n`);
      }
      return;
    }
    for (const phase of SHOWN_PHASES) {
      const p = run.progress[phase];
      if (!p) continue;
      const bar = phaseBar(p, run.startedAt, now);
      const payload = {
        phase: phase.padEnd(9),
        count: bar.count,
        sent: p.sent + p.handedToLive,
        rate: bar.rate,
        eta_text: bar.eta,
        skipped: bar.skipped > 0 ? ` · ${bar.skipped} skipped` : '',
      };
      const drawn = this.bars.get(phase) ?? this.multi.create(bar.total, 0, payload);
      this.bars.set(phase, drawn);
      drawn.setTotal(bar.total);
      drawn.update(bar.value, payload);
    }
  }

  stop(): void {
    this.multi?.stop();
  }
}

export const backfillCommand: CliCommand = {
  name: 'backfill',
  summary:
    "initial sync of a shop's history into Mailchimp through batches: progress per phase, exit 0 once everything is in; an initial sync already completed is reported, not run again (--resync reads again)",
  usage: `backfill [--shop <domain>] [--orders-since <ISO date>] [--resync] [--json] ${CONNECTION_USAGE}`,
  options: {
    ...connectionOptions,
    shop: {type: 'string'},
    'orders-since': {type: 'string'},
    resync: {type: 'boolean'},
    json: {type: 'boolean'},
    'poll-ms': {type: 'string'},
  },
  async run(values, io) {
    const pollMs = Number(values['poll-ms'] ?? 500);
    const start = await api(values, io, 'POST', '/v1/backfill', {
      ...(typeof values.shop === 'string' ? {shop: values.shop} : {}),
      ...(typeof values['orders-since'] === 'string' ? {orders_since: values['orders-since']} : {}),
      kind: values.resync === true ? 'resync' : 'backfill',
    });
    if (!start.ok) {
      io.stderr.write(`backfill: ${start.message}\n`);
      return 1;
    }
    if (start.body.alreadyCompleted === true) {
      // Nothing was read or sent: say so, then report that run as a finished one is reported.
      io.stderr.write(
        `backfill: already done: run ${start.body.id} completed${start.body.finishedAt ? ` on ${start.body.finishedAt}` : ''}; nothing was read or sent. ` +
          'Live sync keeps Mailchimp current; use --resync to read the shop again and send what differs.\n',
      );
    }
    const tty = values.json !== true && io.stderr === process.stderr && process.stderr.isTTY === true;
    const view = values.json === true ? undefined : new ProgressView(io, tty);
    let run = start.body;
    try {
      while (!isDone(run)) {
        view?.update(run);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        const next = await api(values, io, 'GET', `/v1/backfill/${run.id}`);
        if (!next.ok) {
          io.stderr.write(`backfill: ${next.message}\n`);
          return 1;
        }
        run = next.body;
      }
      view?.update(run);
    } finally {
      view?.stop();
    }
    const summary = {
      ...backfillSummary(run),
      ...(start.body.alreadyCompleted === true ? {already_completed: true} : {}),
    };
    io.stdout.write(`${JSON.stringify(summary, null, values.json === true ? undefined : 2)}\n`);
    if (run.status !== 'completed') {
      io.stderr.write(`backfill: ${run.status}${run.error ? `: ${run.error}` : ''}\n`);
      return 1;
    }
    if (run.deadLetters > 0) {
      io.stderr.write(
        `backfill: ${run.deadLetters} record(s) Mailchimp refused are dead letters (npm run connector -- dead-letters)\n`,
      );
      return 1;
    }
    return 0;
  },
};

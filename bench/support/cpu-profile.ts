import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: {functionName: string; url: string; lineNumber: number};
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  name: string;
  /** Share of the busy (non-idle) samples, 0–1. */
  share: number;
}

/** Where a frame's code lives: a package, a part of the connector, Node's internals, or V8's own buckets. */
function placeOf(frame: ProfileNode['callFrame']): string {
  const {url, functionName} = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:'))
    return url
      .replace(/^node:internal\/(deps\/)?/, 'node:')
      .split('/')
      .slice(0, 2)
      .join('/');
  const own = /\/(connector\/src\/[^/]+|sandbox\/[^/]+|bench|test\/support)\//.exec(url)?.[1];
  return own ?? url;
}

/**
 * Reads the newest `.cpuprofile` in `dir` (node --cpu-prof) and says where the busy time went: self time by
 * package or connector module, and by function, as shares of all samples that were not idle.
 */
export function summariseCpuProfile(
  dir: string,
  top = 12,
  stages: Record<string, (frame: ProfileNode['callFrame']) => boolean> = {},
): {byPlace: ProfileShare[]; byFunction: ProfileShare[]; byStage: ProfileShare[]} {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (tsx's loader has its own).
  const file = readdirSync(dir)
    .filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))
    .sort()
    .at(-1);
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Inclusive time of each stage: a sample counts for a stage when any frame of its stack matches.
  const stageHits = new Map<string, number>(Object.keys(stages).map((k) => [k, 0]));
  for (const [id, n] of hits) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const matched = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      for (const [stage, test] of Object.entries(stages)) if (test(frame)) matched.add(stage);
    }
    for (const stage of matched) stageHits.set(stage, stageHits.get(stage)! + n);
  }
  const places = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [id, n] of hits) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    busy += n;
    const place = placeOf(frame);
    places.set(place, (places.get(place) ?? 0) + n);
    const fn = `${frame.functionName || '(anonymous)'} ${place}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + n);
  }
  const ranked = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, n]) => ({name, share: n / busy}));
  return {
    byPlace: ranked(places),
    byFunction: ranked(functions),
    byStage: [...stageHits.entries()].map(([name, n]) => ({name, share: n / busy})),
  };
}

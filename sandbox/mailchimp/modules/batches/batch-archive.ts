import {createHash} from 'node:crypto';
import {buffer} from 'node:stream/consumers';
import {createGzip} from 'node:zlib';
import {pack} from 'tar-stream';
import type {BatchOperationResult} from './batch-operation.js';

/** Operations per JSON file in the archive (Mailchimp splits large batches over several files). */
export const RESULTS_PER_FILE = 100;

/**
 * The gzipped tar Mailchimp serves at `response_body_url`: a folder holding JSON files, each an array of
 * `{status_code, operation_id, response}`. File names are opaque (hash-like), so readers cannot rely on them
 * for ordering; operations are matched by `operation_id`.
 */
export async function buildResultsArchive(
  batchId: string,
  results: readonly BatchOperationResult[],
  mtime: Date,
): Promise<Buffer> {
  const folder = `${batchId}-response`;
  const tar = pack();
  tar.entry({name: `${folder}/`, type: 'directory', mtime, mode: 0o755});
  const files = results.length === 0 ? [[]] : chunk(results, RESULTS_PER_FILE);
  files.forEach((entries, part) => {
    const name = createHash('md5').update(`${batchId}:${part}`).digest('hex').slice(0, 10);
    tar.entry({name: `${folder}/${name}.json`, mtime, mode: 0o644}, JSON.stringify(entries));
  });
  tar.finalize();
  return buffer(tar.pipe(createGzip()));
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

import {Readable} from 'node:stream';
import {BatchArchiveError, readBatchResults, type BatchOperationResult} from './batch-archive.js';
import {buildResultsArchive, resultEntry} from './batch-test-archive.js';

async function readAll(archive: Buffer, chunkSize = 64): Promise<BatchOperationResult[]> {
  // Feed the archive in small chunks, like a network stream.
  const parts: Buffer[] = [];
  for (let i = 0; i < archive.length; i += chunkSize) parts.push(archive.subarray(i, i + chunkSize));
  const results: BatchOperationResult[] = [];
  for await (const result of readBatchResults(Readable.from(parts))) results.push(result);
  return results;
}

describe('readBatchResults', () => {
  it('reads every result from every file of a tar.gz, failed operations included', async () => {
    const archive = await buildResultsArchive({
      'results/a1b2.json': [
        resultEntry('op-1', 200, {id: 'p1', title: 'Mug'}),
        resultEntry('op-2', 400, {
          type: 'x',
          title: 'Bad Request',
          status: 400,
          detail: 'A product with the provided ID does not exist in the account for this list.',
          instance: 'i',
        }),
      ],
      'results/c3d4.json': [
        resultEntry('op-3', 204, undefined),
        resultEntry(null, 404, {title: 'Resource Not Found', status: 404}),
      ],
      // A response that is not JSON comes back as its text.
      'results/e5f6.json': [{status_code: 500, operation_id: 'op-4', response: 'upstream broke'}],
    });
    const results = await readAll(archive);
    expect(results).toEqual([
      {operation_id: 'op-1', status_code: 200, response: {id: 'p1', title: 'Mug'}},
      {operation_id: 'op-2', status_code: 400, response: expect.objectContaining({title: 'Bad Request'})},
      {operation_id: 'op-3', status_code: 204, response: undefined},
      {operation_id: null, status_code: 404, response: {title: 'Resource Not Found', status: 404}},
      {operation_id: 'op-4', status_code: 500, response: 'upstream broke'},
    ]);
  });

  it('handles a large archive file by file', async () => {
    const files: Record<string, unknown> = {};
    for (let f = 0; f < 5; f++)
      files[`results/${f}.json`] = Array.from({length: 400}, (_, i) =>
        resultEntry(`op-${f}-${i}`, 200, {n: i, pad: 'x'.repeat(50)}),
      );
    const results = await readAll(await buildResultsArchive(files), 4096);
    expect(results).toHaveLength(2000);
    expect(new Set(results.map((r) => r.operation_id)).size).toBe(2000);
  });

  it('fails with a BatchArchiveError on a corrupt archive or a file that is not a JSON array', async () => {
    await expect(readAll(Buffer.from('definitely not gzip'))).rejects.toBeInstanceOf(BatchArchiveError);
    await expect(readAll(await buildResultsArchive({'r.json': '{oops'}))).rejects.toThrow(/r\.json is not JSON/);
    await expect(readAll(await buildResultsArchive({'r.json': {status_code: 200}}))).rejects.toThrow(
      /not a JSON array/,
    );
    const whole = await buildResultsArchive({'r.json': [resultEntry('a', 200, {})]});
    await expect(readAll(whole.subarray(0, whole.length - 20))).rejects.toBeInstanceOf(BatchArchiveError);
  });
});

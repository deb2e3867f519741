import {gzipSync} from 'node:zlib';
import {pack} from 'tar-stream';

/** Test-only: builds a results archive the way Mailchimp lays it out (tar.gz of JSON arrays of results). */
export async function buildResultsArchive(files: Record<string, unknown>): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    tar.on('data', (chunk: unknown) => {
      chunks.push(chunk as Buffer);
    });
    tar.on('end', resolve);
    tar.on('error', reject);
  });
  tar.entry({name: 'results/', type: 'directory'});
  for (const [name, content] of Object.entries(files)) {
    tar.entry({name}, typeof content === 'string' ? content : JSON.stringify(content));
  }
  tar.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

/** One entry as Mailchimp writes it: the response is a JSON string. */
export function resultEntry(
  operationId: string | null,
  statusCode: number,
  response: unknown,
): {status_code: number; operation_id: string | null; response: string} {
  return {
    status_code: statusCode,
    operation_id: operationId,
    response: response === undefined ? '' : JSON.stringify(response),
  };
}

import {pipeline, type Readable} from 'node:stream';
import {createGunzip} from 'node:zlib';
import {extract as tarExtract} from 'tar-stream';

/** One operation's outcome from a batch results archive, with its response parsed. */
export interface BatchOperationResult {
  operation_id: string | null;
  status_code: number;
  /** The operation's JSON response, parsed; the raw text when it is not JSON; undefined when empty (204). */
  response: unknown;
}

export class BatchArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchArchiveError';
  }
}

/**
 * Reads a batch results archive (tar.gz of JSON files, each an array of `{status_code, operation_id, response}`
 * with `response` a JSON string; mailchimp-api.md §5) as a stream: gunzip and untar on the fly, one results file
 * in memory at a time, results yielded as they are read.
 */
export async function* readBatchResults(archive: Readable): AsyncGenerator<BatchOperationResult, void, undefined> {
  const extract = tarExtract();
  let streamError: unknown;
  // pipeline destroys every stream on failure, which ends the iteration below with the error.
  pipeline(archive, createGunzip(), extract, (error) => {
    if (error) streamError = error;
  });
  try {
    for await (const entry of extract) {
      if (entry.header.type !== 'file') {
        entry.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') continue;
      yield* parseResultsFile(entry.header.name, text);
    }
  } catch (error) {
    if (error instanceof BatchArchiveError) throw error;
    throw new BatchArchiveError(`batch results archive could not be read: ${errorText(streamError ?? error)}`);
  }
  if (streamError) throw new BatchArchiveError(`batch results archive could not be read: ${errorText(streamError)}`);
}

function parseResultsFile(name: string, text: string): BatchOperationResult[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BatchArchiveError(`results file ${name} is not JSON`);
  }
  if (!Array.isArray(parsed)) throw new BatchArchiveError(`results file ${name} is not a JSON array`);
  return parsed.map((item, index) => toResult(item, `${name}[${index}]`));
}

function toResult(item: unknown, where: string): BatchOperationResult {
  if (typeof item !== 'object' || item === null) throw new BatchArchiveError(`${where} is not an object`);
  const {status_code: status, operation_id: id, response} = item as Record<string, unknown>;
  if (typeof status !== 'number') throw new BatchArchiveError(`${where} has no status_code`);
  return {
    operation_id: typeof id === 'string' ? id : null,
    status_code: status,
    // Mailchimp sends the response as a string of JSON; take an object as it is in case that ever changes.
    response: typeof response === 'string' ? parseResponse(response) : response,
  };
}

function parseResponse(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

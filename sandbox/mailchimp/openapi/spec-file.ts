import {createHash} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import {basename, resolve} from 'node:path';
import {parse} from 'yaml';

/**
 * Where things are, relative to the repository root (the working directory of npm scripts and Jest). The description
 * is not in the repository: it sits in `shared/` beside the clone, in CI as on a workstation.
 */
export const SPEC_PATH = resolve(process.cwd(), '..', 'shared', 'mailchimp', 'marketing-openapi-3.0.76.yaml');

export interface LoadedSpec {
  doc: unknown;
  file: string;
  sha256: string;
}

export function specAvailable(path: string = SPEC_PATH): boolean {
  return existsSync(path);
}

/** Reads and parses the OpenAPI description (about a second for the 2 MB file). */
export function loadSpec(path: string = SPEC_PATH): LoadedSpec {
  const text = readFileSync(path, 'utf8');
  return {
    doc: parse(text, {maxAliasCount: -1}),
    file: basename(path),
    sha256: createHash('sha256').update(text).digest('hex'),
  };
}

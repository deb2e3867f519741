import type {Response} from 'express';

/** An RFC 7807 problem document. `errors` lists the offending fields of an invalid request. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: Array<{field: string; message: string}>;
  [extension: string]: unknown;
}

const PROBLEM_BASE = 'https://github.com/mailchimp-store-bridge/docs/problems/';

export function problem(
  status: number,
  slug: string,
  title: string,
  detail: string,
  extra: Partial<ProblemDocument> = {},
): ProblemDocument {
  return {type: `${PROBLEM_BASE}${slug}`, title, status, detail, ...extra};
}

export function sendProblem(res: Response, doc: ProblemDocument): void {
  res.status(doc.status).type('application/problem+json').send(JSON.stringify(doc));
}

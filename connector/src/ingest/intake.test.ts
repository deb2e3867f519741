import type {Response} from 'express';
import type {NewInboxEvent} from '../store/inbox-repository.js';
import {answerAndWake, appendAllToInbox, appendToInbox} from './intake.js';

/** An inbox that deduplicates by key, as the repository does. */
function fakeInbox() {
  const keys: string[] = [];
  const append = async (event: NewInboxEvent) => {
    const i = keys.indexOf(event.dedupeKey);
    if (i >= 0) return {id: i + 1, duplicate: true};
    keys.push(event.dedupeKey);
    return {id: keys.length, duplicate: false};
  };
  return {
    keys,
    append,
    appendAll: async (events: readonly NewInboxEvent[]) => {
      const stored = [];
      for (const e of events) stored.push(await append(e));
      return stored;
    },
  };
}
const event = (dedupeKey: string): NewInboxEvent => ({
  connectionId: 'c1',
  source: 'ingest',
  topic: 'order.upsert',
  dedupeKey,
  payload: '{}',
  receivedAt: '2026-01-01T00:00:00Z',
});
function fakeRes() {
  const calls: string[] = [];
  const res = {
    status: (code: number) => (calls.push(`status ${code}`), res),
    json: (body: unknown) => (calls.push(`json ${JSON.stringify(body)}`), res),
  };
  return {calls, res: res as unknown as Response};
}

describe('intake', () => {
  it('appends one event and says whether the inbox held it already', async () => {
    const inbox = fakeInbox();
    expect(await appendToInbox(inbox, event('a'))).toEqual({id: 1, duplicate: false});
    expect(await appendToInbox(inbox, event('a'))).toEqual({id: 1, duplicate: true});
  });

  it('appends several in order and counts new and duplicate ones', async () => {
    const inbox = fakeInbox();
    await appendToInbox(inbox, event('b'));
    const intake = await appendAllToInbox(inbox, [event('a'), event('b'), event('c')]);
    expect(intake).toEqual({
      stored: [
        {id: 2, duplicate: false},
        {id: 1, duplicate: true},
        {id: 3, duplicate: false},
      ],
      accepted: 2,
      duplicates: 1,
    });
    expect(inbox.keys).toEqual(['b', 'a', 'c']);
  });

  it('answers first, then wakes the processor only when something new was stored', () => {
    for (const [stored, wakes] of [
      [{duplicate: false}, true],
      [{duplicate: true}, false],
      [{accepted: 1}, true],
      [{accepted: 0}, false],
    ] as const) {
      const {calls, res} = fakeRes();
      answerAndWake(res, 202, {ok: true}, stored, () => calls.push('wake'));
      expect(calls).toEqual(['status 202', 'json {"ok":true}', ...(wakes ? ['wake'] : [])]);
    }
  });
});

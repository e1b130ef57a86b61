import { describe, expect, it } from 'vitest';
import { dedupedEventsQuery, type EventColumn, identityMapQuery } from './dedupe.js';

describe('dedupedEventsQuery', () => {
  it('keeps one row per message, with the identity columns always selected', () => {
    expect(
      dedupedEventsQuery({
        database: 'waymark',
        columns: ['revenue', 'message_id'],
        where: "project_id = 'p'",
      }),
    ).toBe(
      "SELECT project_id, message_id, revenue FROM waymark.events WHERE project_id = 'p' LIMIT 1 BY project_id, message_id",
    );
  });

  it('refuses names that are not plain identifiers or columns', () => {
    expect(() => dedupedEventsQuery({ database: 'x; DROP TABLE y', columns: [] })).toThrow(
      /identifier/,
    );
    expect(() =>
      dedupedEventsQuery({ database: 'w', columns: ['1; DROP' as EventColumn] }),
    ).toThrow(/unknown events column/);
    expect(() => identityMapQuery({ database: 'w.x' })).toThrow(/identifier/);
  });
});

import { describe, expect, it } from 'vitest';
import { LocalOutbox, makeLocalRoutes, recordingChannel } from '#functions/local/outbox.js';
import { at } from '#test/support/reminders.js';

function routes() {
  const outbox = new LocalOutbox();
  const calls: Date[] = [];
  let now = at('2026-05-22T15:00:00Z');
  const clock = { now: () => now };
  const driver = {
    advanceTo: async (to: Date) => {
      calls.push(to);
      now = to;
      return { fired: 3 };
    },
  };
  return { outbox, calls, clock, routes: makeLocalRoutes({ outbox, driver, clock }) };
}

describe('local outbox routes', () => {
  it('lists what was sent in the documented shape', async () => {
    // Prepare
    const r = routes();
    r.outbox.record(
      {
        channel: 'sms',
        to: '+447700900005',
        text: 'URGENT C-1001: LADO notification due soon.',
        meta: {
          caseId: 'C-1001',
          rule: 'lado-notification',
          reminderId: 'lado-notification.A-1.p50.x',
          personId: 'P-0005',
        },
      },
      r.clock.now(),
    );
    // Act
    const response = await r.routes.handle('GET', '/local/outbox', '');
    // Assess
    expect(response?.statusCode).toBe(200);
    expect(JSON.parse(response?.body ?? '')).toEqual([
      {
        channel: 'sms',
        to: '+447700900005',
        body: 'URGENT C-1001: LADO notification due soon.',
        sentAt: '2026-05-22T15:00:00.000Z',
        caseId: 'C-1001',
        rule: 'lado-notification',
        reminderId: 'lado-notification.A-1.p50.x',
        sendId: Buffer.from('C-1001\nlado-notification.A-1.p50.x\nP-0005\nsms').toString(
          'base64url',
        ),
        delivery: 'sent',
      },
    ]);
  });

  it('moves the clock forward and reports what fired', async () => {
    // Prepare
    const r = routes();
    // Act
    const response = await r.routes.postClock('{"now":"2026-05-26T10:00:00+01:00"}');
    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ now: '2026-05-26T09:00:00.000Z', fired: 3 });
    expect(r.calls).toEqual([at('2026-05-26T09:00:00Z')]);
  });

  it.each([
    ['not JSON', 'now=tomorrow', 400],
    ['no offset', '{"now":"2026-05-26T10:00:00"}', 400],
    ['backwards', '{"now":"2026-05-01T10:00:00Z"}', 400],
  ])('refuses a clock body that is %s', async (_, body, status) => {
    // Prepare
    const r = routes();
    // Act
    const response = await r.routes.postClock(body);
    // Assess
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toContain('problem+json');
    expect(r.calls).toEqual([]);
  });

  it('ignores paths that are not local routes', () => {
    expect(routes().routes.handle('GET', '/v1/events', '')).toBeUndefined();
  });
});

describe('the outbox’s recording channel', () => {
  it('hands the channel it wraps what the do step said of the attempt, and records the message', async () => {
    const seen: unknown[] = [];
    const outbox = new LocalOutbox();
    const channel = recordingChannel(
      {
        name: 'email',
        send: async (_message, attempt) => {
          seen.push(attempt);
          return { messageId: 'm-1' };
        },
      },
      outbox,
      { now: () => at('2030-05-25T03:30:00Z') },
    );
    const message = {
      channel: 'email' as const,
      to: 'edt.one@example.gov.uk',
      text: 'LADO notification due soon',
      meta: { caseId: 'C-1001', rule: 'lado-notification', reminderId: 'r1', personId: 'P-0005' },
    };
    await channel.send(message, { takenOver: true });
    expect(seen).toEqual([{ takenOver: true }]);
    expect(outbox.list().map((m) => m.to)).toEqual(['edt.one@example.gov.uk']);
  });
});

/**
 * What the 202 says is missing, through the events handler on DynamoDB Local: events are
 * accepted all the same, their answer's `warnings` name the gap and the event that would fix
 * it, and a redelivery replays the answer byte for byte. Instants outside the calendar's
 * years are refused with 422 naming the field and the range, for every event type.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { EventsHandler } from '#functions/ingest/handler.js';
import { EventAccepted } from '#schemas/responses.js';
import { eventsHandlerOn } from './events-support.js';
import { bodyOf, envelope, freshTable, postEvent, snapshot } from './support.js';

let handler: EventsHandler;
let table: Awaited<ReturnType<typeof freshTable>>;
let n = 0;

const send = async (event: Record<string, unknown>) => {
  const result = await handler(postEvent(JSON.stringify(event)));
  return { result, body: EventAccepted.parse(bodyOf(result)) };
};
const directoryEvent = (type: string, data: Record<string, unknown>) => ({
  id: `w-dir-${++n}`,
  type,
  occurredAt: '2026-03-01T09:00:00Z',
  data,
});
const caseEvent = (type: string, caseId: string, data: Record<string, unknown>) => ({
  id: `w-case-${++n}`,
  type,
  occurredAt: '2026-03-02T10:00:00Z',
  caseId,
  data,
});
const person = (personId: string, phone?: string) =>
  directoryEvent('person.upserted', {
    personId,
    name: `Test Professional ${personId}`,
    email: `${personId.toLowerCase()}@example.gov.uk`,
    team: 'north',
    ...(phone === undefined ? {} : { phone }),
  });

beforeAll(async () => {
  table = await freshTable(inject('dynamoEndpoint'), 'warnings');
  ({ handler } = eventsHandlerOn(table, { now: new Date('2026-03-02T10:00:05Z'), people: true }));
  for (const e of [person('P-0001', '+447700900001'), person('P-0002')])
    expect((await send(e)).result.statusCode).toBe(202);
});

describe('202 warnings', () => {
  it('no-worker-in-role: a disagreement whose ladder escalates to a head of service the case does not name', async () => {
    // Prepare: a case with its allocated worker, supervisor and team manager.
    await send(
      caseEvent('case.opened', 'C-7001', {
        team: 'north',
        workers: [
          { personId: 'P-0001', role: 'allocated-worker' },
          { personId: 'P-0002', role: 'supervisor' },
          { personId: 'P-0001', role: 'team-manager' },
        ],
      }),
    );
    // Act
    const { result, body } = await send(
      caseEvent('disagreement.raised', 'C-7001', { disagreementId: 'D-1' }),
    );
    // Assess: accepted; stages 4 and 5 (Southampton) go to the head of service.
    expect(result.statusCode).toBe(202);
    expect(body.warnings).toEqual([
      {
        code: 'no-worker-in-role',
        detail:
          'no worker holds role head-of-service, which the reminders of disagreement.D-1 go to; send case.updated with a worker in role head-of-service',
      },
    ]);
  });

  it('unknown-person: a worker the directory does not hold, with the field that names them', async () => {
    // Act
    const { body } = await send(
      caseEvent('case.opened', 'C-7002', {
        team: 'north',
        workers: [
          { personId: 'P-0001', role: 'team-manager' },
          { personId: 'P-0404', role: 'allocated-worker' },
        ],
      }),
    );
    // Assess
    expect(body.warnings).toEqual([
      {
        code: 'unknown-person',
        field: 'data.workers.1.personId',
        detail: 'the directory holds no person P-0404; send person.upserted for P-0404',
      },
    ]);
  });

  it.each([
    [
      'rota.shift for a person the directory does not hold',
      directoryEvent('rota.shift', {
        personId: 'P-0404',
        from: '2026-03-02T17:00:00Z',
        to: '2026-03-03T09:00:00Z',
      }),
      [['unknown-person', 'data.personId']],
    ],
    [
      'rota.shift for a person with no phone for the urgent SMS',
      directoryEvent('rota.shift', {
        personId: 'P-0002',
        from: '2026-03-03T17:00:00Z',
        to: '2026-03-04T09:00:00Z',
      }),
      [['no-contact', 'data.personId']],
    ],
    [
      'person.away naming an unknown delegate',
      directoryEvent('person.away', {
        personId: 'P-0001',
        from: '2026-03-02T00:00:00Z',
        to: '2026-03-06T00:00:00Z',
        delegateId: 'P-0405',
      }),
      [['unknown-person', 'data.delegateId']],
    ],
    [
      'person.upserted naming an unknown manager',
      { ...person('P-0003'), data: { ...person('P-0003').data, managerId: 'P-0406' } },
      [['unknown-person', 'data.managerId']],
    ],
    [
      'rota.shift for a person with a phone',
      directoryEvent('rota.shift', {
        personId: 'P-0001',
        from: '2026-03-04T17:00:00Z',
        to: '2026-03-05T09:00:00Z',
      }),
      [],
    ],
  ])('%s: accepted, with the warning', async (_, event, expected) => {
    // Act
    const { result, body } = await send(event);
    // Assess
    expect(result.statusCode).toBe(202);
    expect(body.warnings.map((w) => [w.code, w.field])).toEqual(expected);
  });

  it('replays the first answer, warnings and all, byte for byte on redelivery', async () => {
    // Prepare
    const event = directoryEvent('rota.shift', {
      personId: 'P-0407',
      from: '2026-03-05T17:00:00Z',
      to: '2026-03-06T09:00:00Z',
    });
    // Act: the person arrives between the deliveries; the answer must not change.
    const first = await handler(postEvent(JSON.stringify(event)));
    await send(person('P-0407', '+447700900407'));
    const second = await handler(postEvent(JSON.stringify(event)));
    // Assess
    expect(first.body).toBe(second.body);
    expect(EventAccepted.parse(bodyOf(first)).warnings.map((w) => w.code)).toEqual([
      'unknown-person',
    ]);
  });
});

describe('instants outside the calendar’s years', () => {
  const TEMPLATES: Record<string, unknown>[] = [
    envelope.caseOpened('x', 'C-7100'),
    { ...envelope.caseOpened('x', 'C-7100'), type: 'case.updated', data: { riskLevel: 'high' } },
    envelope.closed('x', 'C-7100'),
    envelope.concern('x', 'C-7100'),
    { ...envelope.concern('x', 'C-7100'), type: 'lado.notified' },
    { ...envelope.concern('x', 'C-7100'), type: 'lado.responded' },
    envelope.disagreement('x', 'C-7100'),
    { ...envelope.disagreement('x', 'C-7100'), type: 'disagreement.resolved' },
    { ...envelope.closed('x', 'C-7100'), type: 'supervision.held', data: { kind: 'joint' } },
    { ...envelope.closed('x', 'C-7100'), type: 'coworking.started', data: { reviewEveryWeeks: 4 } },
    { ...envelope.closed('x', 'C-7100'), type: 'coworking.ended' },
    {
      ...envelope.closed('x', 'C-7100'),
      type: 'building-bridges.started',
      data: { personId: 'P-0001' },
    },
    { ...envelope.closed('x', 'C-7100'), type: 'building-bridges.ended' },
    person('P-0500'),
  ];

  it.each(['2011-12-31T23:59:59Z', '1900-01-01T00:00:00Z', '2101-01-01T00:00:00Z'])(
    'refuses every event type at %s with 422 naming occurredAt and the range, and stores nothing',
    async (instant) => {
      const before = await snapshot(table.client, table.tableName);
      for (const template of TEMPLATES) {
        // Act
        const result = await handler(
          postEvent(JSON.stringify({ ...template, id: `far-${++n}`, occurredAt: instant })),
        );
        // Assess
        expect(result.statusCode, String(template.type)).toBe(422);
        expect(bodyOf(result)).toMatchObject({
          status: 422,
          errors: [
            {
              field: 'occurredAt',
              message:
                'must fall between 2012-01-01 and 2100-12-31 (UK dates): the years the calendar covers',
            },
          ],
        });
      }
      expect(await snapshot(table.client, table.tableName)).toBe(before);
    },
  );

  it.each([
    [
      'rota.shift',
      'from',
      { personId: 'P-0001', from: '1999-01-01T00:00:00Z', to: '2026-03-03T09:00:00Z' },
    ],
    [
      'person.away',
      'to',
      {
        personId: 'P-0001',
        from: '2026-03-02T00:00:00Z',
        to: '2200-01-01T00:00:00Z',
        delegateId: 'P-0002',
      },
    ],
  ])(
    'refuses %s with a %s outside the years with 422 naming data.%s',
    async (type, field, data) => {
      // Act
      const result = await handler(postEvent(JSON.stringify(directoryEvent(type, data))));
      // Assess
      expect(result.statusCode).toBe(422);
      expect(bodyOf<{ errors: { field: string }[] }>(result).errors.map((e) => e.field)).toEqual([
        `data.${field}`,
      ]);
    },
  );

  it('still answers a malformed instant with 400, even beside one out of range', async () => {
    const result = await handler(
      postEvent(
        JSON.stringify(
          directoryEvent('rota.shift', {
            personId: 'P-0001',
            from: 'soon',
            to: '2200-01-01T00:00:00Z',
          }),
        ),
      ),
    );
    expect(result.statusCode).toBe(400);
  });
});

describe('the statutory events at the door', () => {
  it('outcome-missing: a referral decided with no outcome keeps its assessment running, and says so', async () => {
    // Prepare
    await send(caseEvent('referral.received', 'C-7101', { referralId: 'R-1' }));

    // Act
    const { result, body } = await send(
      caseEvent('referral.decided', 'C-7101', { referralId: 'R-1' }),
    );
    const decided = await send(
      caseEvent('referral.decided', 'C-7101', { referralId: 'R-1', outcome: 'early-help' }),
    );

    // Assess
    expect(result.statusCode).toBe(202);
    expect(body.warnings.filter((w) => w.code === 'outcome-missing')).toEqual([
      {
        code: 'outcome-missing',
        field: 'data.outcome',
        detail:
          'the decision on referral R-1 names no outcome, so its assessment clock keeps running; if no assessment is owed, send referral.decided for R-1 (a new event id) with outcome early-help or no-further-action',
      },
    ]);
    expect(decided.body.warnings.some((w) => w.code === 'outcome-missing')).toBe(false);
  });

  it.each([
    ['referral.decided', { referralId: 'R-1', outcome: 'closed' }, 'data.outcome'],
    ['placement.started', { placementId: 'PL-1', basis: 'kinship' }, 'data.basis'],
    ['placement.started', { placementId: 'PL-1', basis: 'short-breaks' }, 'data.visitEveryWeeks'],
    [
      'placement.started',
      { placementId: 'PL-1', basis: 'standard', visitEveryWeeks: 4 },
      'data.visitEveryWeeks',
    ],
    ['proceedings.extended', { proceedingsId: 'PR-1', weeks: 9 }, 'data.weeks'],
    ['proceedings.extended', { proceedingsId: 'PR-1', weeks: 0 }, 'data.weeks'],
    ['enquiry.concluded', { enquiryId: 'E-1' }, 'data.conference'],
    ['visit.made', { kind: 'cp', seenAlone: 'yes' }, 'data.seenAlone'],
  ])('refuses %s %j with 400 naming the field', async (type, data, field) => {
    // Act
    const result = await handler(postEvent(JSON.stringify(caseEvent(type, 'C-7102', data))));

    // Assess
    expect(result.statusCode).toBe(400);
    expect(bodyOf<{ errors: { field: string }[] }>(result).errors.map((e) => e.field)).toContain(
      field,
    );
  });

  it('refuses enquiry.concluded for an enquiry the case does not know with 422 naming data.enquiryId', async () => {
    // Prepare
    await send(caseEvent('strategy-discussion.held', 'C-7103', { enquiryId: 'E-1' }));

    // Act
    const unknown = await handler(
      postEvent(
        JSON.stringify(
          caseEvent('enquiry.concluded', 'C-7103', { enquiryId: 'E-9', conference: false }),
        ),
      ),
    );
    const known = await send(
      caseEvent('enquiry.concluded', 'C-7103', { enquiryId: 'E-1', conference: false }),
    );

    // Assess
    expect(unknown.statusCode).toBe(422);
    expect(bodyOf<{ errors: { field: string }[] }>(unknown).errors).toEqual([
      {
        field: 'data.enquiryId',
        message:
          'case C-7103 has no strategy discussion of enquiry E-9: send strategy-discussion.held for it first',
      },
    ]);
    expect(known.result.statusCode).toBe(202);
  });
});

/**
 * The directory's CSV shapes: SSD's professionals (with the contact details SSD does not
 * hold), away periods with their delegates, and the EDT on-call rota.
 */
import { type Column, type CsvShape, cell, defined, instantOf, integerOf } from './csv-shape.js';

export const PROFESSIONALS: CsvShape = {
  name: 'ssd_professionals',
  ssd: true,
  description:
    'The directory: SSD’s professionals, with the contact details SSD does not hold (email, phone) and the manager',
  columns: [
    {
      name: 'prof_professional_id',
      required: true,
      field: 'data.personId',
      description: 'the person id reminders and cases name',
    },
    {
      name: 'prof_professional_name',
      required: true,
      field: 'data.name',
      description: 'the name messages greet them by',
    },
    {
      name: 'prof_professional_department',
      required: false,
      field: 'data.team',
      description: 'their team id',
    },
    { name: 'email', required: true, field: 'data.email', description: 'not in SSD' },
    {
      name: 'phone',
      required: false,
      field: 'data.phone',
      description: 'E.164, for urgent SMS (not in SSD)',
    },
    {
      name: 'manager_id',
      required: false,
      field: 'data.managerId',
      description: 'their manager’s person id (not in SSD)',
    },
    {
      name: 'updated_at',
      required: true,
      field: 'occurredAt',
      description:
        'when the record last changed in HR (not in SSD): an older row never overwrites a newer profile',
    },
  ],
  eventTypes: ['person.upserted'],
  example: [
    'prof_professional_id,prof_professional_name,prof_professional_department,email,phone,manager_id,updated_at',
    'P-0001,Worker One,north,worker.one@example.gov.uk,,P-0002,2026-01-02',
    'P-0002,Manager One,north,manager.one@example.gov.uk,+447700900002,,2026-01-02',
  ],
  toEvents: (row) => [
    {
      type: 'person.upserted',
      occurredAt: instantOf(cell(row, 'updated_at')),
      data: defined({
        personId: cell(row, 'prof_professional_id'),
        name: cell(row, 'prof_professional_name'),
        email: cell(row, 'email'),
        phone: cell(row, 'phone'),
        team: cell(row, 'prof_professional_department'),
        managerId: cell(row, 'manager_id'),
      }),
    },
  ],
};

export const AWAY: CsvShape = {
  name: 'away',
  ssd: false,
  description: 'Away periods and the second point of contact for each (SSD has none)',
  columns: [
    ...periodColumns('who is away', 'from (inclusive)', 'to (exclusive)'),
    {
      name: 'delegate_id',
      required: true,
      field: 'data.delegateId',
      description: 'who their reminders go to meanwhile',
    },
  ],
  eventTypes: ['person.away'],
  example: ['person_id,from,to,delegate_id', 'P-0001,2026-03-02,2026-03-09,P-0002'],
  toEvents: (row) => [periodEvent('person.away', row, { delegateId: cell(row, 'delegate_id') })],
};

export const ROTA: CsvShape = {
  name: 'rota',
  ssd: false,
  description: 'The EDT on-call rota (SSD has none)',
  columns: [
    ...periodColumns('who is on call', 'shift start', 'shift end'),
    {
      name: 'tier',
      required: false,
      field: 'data.tier',
      description: '1: the EDT manager on call (the default); 2: the senior manager on call',
    },
  ],
  eventTypes: ['rota.shift'],
  example: [
    'person_id,from,to,tier',
    'P-0005,2026-03-06 17:00,2026-03-09 09:00,1',
    'P-0008,2026-03-06 17:00,2026-03-09 09:00,2',
  ],
  toEvents: (row) => [periodEvent('rota.shift', row, { tier: integerOf(cell(row, 'tier')) })],
};

/** The columns of a person's period: who, from and to, each with its description. */
function periodColumns(who: string, from: string, to: string): Column[] {
  return [
    { name: 'person_id', required: true, field: 'data.personId', description: who },
    { name: 'from', required: true, field: 'data.from', description: from },
    { name: 'to', required: true, field: 'data.to', description: to },
  ];
}

/** A person's period (`person_id`, `from`, `to`), as of its start, with the shape's own fields. */
function periodEvent(
  type: string,
  row: Readonly<Record<string, string>>,
  more: Record<string, unknown>,
) {
  const from = instantOf(cell(row, 'from'));
  return {
    type,
    occurredAt: from,
    data: defined({
      personId: cell(row, 'person_id'),
      from,
      to: instantOf(cell(row, 'to')),
      ...more,
    }),
  };
}

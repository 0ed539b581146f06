/**
 * The CSV shapes `timescales import` and the drop bucket accept, as data: each shape's columns
 * (SSD's table and column names where the Standard Safeguarding Dataset has one), and how a
 * row becomes webhook event envelopes — exactly the `POST /v1/events` bodies, so the same
 * ingest use case validates and applies them. Pure: no parsing of files here (the adapter
 * `functions/import/records.ts` turns a file into rows).
 *
 * Values are passed through as the file has them (after trimming): a value the event schema
 * refuses is refused with the API's own wording, and the refused field is reported as the
 * column it came from (`columnOf`). Dates without an offset are Europe/London wall times.
 */
import { formatLocal } from '#kernel/calendar/index.js';
import { localToUtc } from '#kernel/calendar/london.js';
import { canonicalJson, fnv1a64 } from '#kernel/ids.js';

/** An event envelope without its id: what a row says happened. */
export interface EventDraft {
  type: string;
  caseId?: string;
  occurredAt: unknown;
  data: Record<string, unknown>;
}

export interface Column {
  name: string;
  required: boolean;
  /** The event field it fills (`data.team`, `caseId`, `occurredAt`), for error reports. */
  field?: string;
  description: string;
}

export interface CsvShape {
  /** The shape's name: SSD's table name where SSD has the table, else Timescales' own. */
  name: string;
  /** Whether the table (not necessarily every column) is SSD's. */
  ssd: boolean;
  description: string;
  columns: Column[];
  /** The event types its rows become (a shape is offered only when the schema knows them). */
  eventTypes: string[];
  /** A header line and example rows, for the documentation and its test. */
  example: string[];
  toEvents(row: Readonly<Record<string, string>>): EventDraft[];
}

/** A column's value: trimmed, or undefined when the cell is empty or absent. */
const cell = (row: Readonly<Record<string, string>>, name: string): string | undefined => {
  const value = row[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/** Copies the defined values only (an empty cell is an absent field, not an empty string). */
const defined = (fields: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));

const LOCAL =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?)?$|^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * An instant from a file's date: ISO-8601 with an offset as it is; a date or date-time
 * without one (`2026-03-05`, `2026-03-05 14:30`, SSD's `05/03/2026`) as Europe/London wall
 * time (midnight for a date). Anything else is returned as it was, for the schema to refuse.
 */
export function instantOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const m = LOCAL.exec(text);
  if (m === null) return text;
  const iso = m[1] !== undefined;
  const [y, mo, d, h, mi, s] = iso
    ? [m[1], m[2], m[3], m[4], m[5], m[6]]
    : [m[9], m[8], m[7], m[10], m[11], m[12]];
  const year = Number(y);
  const month = Number(mo) - 1;
  const day = Number(d);
  const localMs = Date.UTC(year, month, day, Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  const check = new Date(localMs);
  // 31/02/2026 is not a date: leave it for the schema to refuse.
  if (check.getUTCMonth() !== month || check.getUTCDate() !== day) return text;
  return formatLocal(new Date(localToUtc(localMs)));
}

const TRUE = new Set(['true', 'y', 'yes', '1']);
const FALSE = new Set(['false', 'n', 'no', '0']);

/** `true`/`false`, `Y`/`N`, `yes`/`no`, `1`/`0`; anything else as it was, for the schema to refuse. */
export function booleanOf(text: string | undefined): boolean | string | undefined {
  if (text === undefined) return undefined;
  const lower = text.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  return text;
}

/** An integer, or the text as it was. */
export function integerOf(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

/** `P-0001 allocated-worker; P-0002 team-manager` → the case's workers. */
export function workersOf(text: string | undefined): unknown[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [personId, role, ...rest] = entry.split(/\s+/);
      // A malformed entry reaches the schema as it is, which names the worker and the field.
      return rest.length > 0 ? { personId, role, extra: rest.join(' ') } : { personId, role };
    });
}

const caseColumn = (name: string, note = ''): Column => ({
  name,
  required: true,
  field: 'caseId',
  description: `the case reference (the child's record id in the case system, never a name)${note}`,
});

const SHAPES: CsvShape[] = [
  {
    name: 'cases',
    ssd: false,
    description:
      'Open cases and their facts (SSD has no one table of them: the workers come from ssd_involvements, joined)',
    columns: [
      caseColumn('case_id'),
      {
        name: 'opened_at',
        required: true,
        field: 'occurredAt',
        description: 'when the case opened',
      },
      { name: 'team', required: true, field: 'data.team', description: 'the owning team id' },
      {
        name: 'division',
        required: false,
        field: 'data.division',
        description: 'england-and-wales, scotland or northern-ireland',
      },
      {
        name: 'risk_level',
        required: false,
        field: 'data.riskLevel',
        description: 'standard or high',
      },
      {
        name: 'joint_with_mental_health',
        required: false,
        field: 'data.jointWithMentalHealth',
        description: 'Y/N: open to mental-health services too (joint supervisions)',
      },
      {
        name: 'joint_supervision_every_months',
        required: false,
        field: 'data.jointSupervisionEveryMonths',
        description: '1–6: a shorter interval agreed for high risk',
      },
      {
        name: 'workers',
        required: false,
        field: 'data.workers',
        description:
          '`<personId> <role>` pairs separated by `;`, e.g. `P-0001 allocated-worker; P-0002 team-manager`',
      },
    ],
    eventTypes: ['case.opened'],
    example: [
      'case_id,opened_at,team,risk_level,joint_with_mental_health,workers',
      'C-1001,2026-01-05,north,standard,N,P-0001 allocated-worker; P-0002 team-manager',
      'C-1002,2026-02-10 09:30,north,high,Y,P-0001 allocated-worker; P-0003 mh-worker',
    ],
    toEvents: (row) => [
      {
        type: 'case.opened',
        caseId: cell(row, 'case_id'),
        occurredAt: instantOf(cell(row, 'opened_at')),
        data: defined({
          team: cell(row, 'team'),
          division: cell(row, 'division'),
          riskLevel: cell(row, 'risk_level'),
          jointWithMentalHealth: booleanOf(cell(row, 'joint_with_mental_health')),
          jointSupervisionEveryMonths: integerOf(cell(row, 'joint_supervision_every_months')),
          workers: workersOf(cell(row, 'workers')),
        }),
      },
    ],
  },
  {
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
  },
  {
    name: 'away',
    ssd: false,
    description: 'Away periods and the second point of contact for each (SSD has none)',
    columns: [
      { name: 'person_id', required: true, field: 'data.personId', description: 'who is away' },
      { name: 'from', required: true, field: 'data.from', description: 'from (inclusive)' },
      { name: 'to', required: true, field: 'data.to', description: 'to (exclusive)' },
      {
        name: 'delegate_id',
        required: true,
        field: 'data.delegateId',
        description: 'who their reminders go to meanwhile',
      },
    ],
    eventTypes: ['person.away'],
    example: ['person_id,from,to,delegate_id', 'P-0001,2026-03-02,2026-03-09,P-0002'],
    toEvents: (row) => {
      const from = instantOf(cell(row, 'from'));
      return [
        {
          type: 'person.away',
          occurredAt: from,
          data: defined({
            personId: cell(row, 'person_id'),
            from,
            to: instantOf(cell(row, 'to')),
            delegateId: cell(row, 'delegate_id'),
          }),
        },
      ];
    },
  },
  {
    name: 'rota',
    ssd: false,
    description: 'The EDT on-call rota (SSD has none)',
    columns: [
      { name: 'person_id', required: true, field: 'data.personId', description: 'who is on call' },
      { name: 'from', required: true, field: 'data.from', description: 'shift start' },
      { name: 'to', required: true, field: 'data.to', description: 'shift end' },
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
    toEvents: (row) => {
      const from = instantOf(cell(row, 'from'));
      return [
        {
          type: 'rota.shift',
          occurredAt: from,
          data: defined({
            personId: cell(row, 'person_id'),
            from,
            to: instantOf(cell(row, 'to')),
            tier: integerOf(cell(row, 'tier')),
          }),
        },
      ];
    },
  },
  {
    name: 'supervisions',
    ssd: false,
    description:
      'The last supervision of each kind: the anchor of the joint, Building Bridges and co-working clocks (SSD has none)',
    columns: [
      caseColumn('case_id'),
      {
        name: 'kind',
        required: true,
        field: 'data.kind',
        description: 'joint, building-bridges or co-working',
      },
      { name: 'held_at', required: true, field: 'occurredAt', description: 'when it was held' },
    ],
    eventTypes: ['supervision.held'],
    example: ['case_id,kind,held_at', 'C-1002,joint,2026-01-20'],
    toEvents: (row) => [
      {
        type: 'supervision.held',
        caseId: cell(row, 'case_id'),
        occurredAt: instantOf(cell(row, 'held_at')),
        data: defined({ kind: cell(row, 'kind') }),
      },
    ],
  },
  {
    name: 'ssd_cin_episodes',
    ssd: true,
    description: 'Referrals: the anchor of the referral-decision and assessment clocks',
    columns: [
      {
        name: 'cine_referral_id',
        required: true,
        field: 'data.referralId',
        description: 'the referral',
      },
      caseColumn('cine_person_id'),
      {
        name: 'cine_referral_date',
        required: true,
        field: 'occurredAt',
        description: 'when the referral was received',
      },
    ],
    eventTypes: ['referral.received'],
    example: ['cine_referral_id,cine_person_id,cine_referral_date', 'R-1001,C-1001,2026-01-05'],
    toEvents: (row) => [
      {
        type: 'referral.received',
        caseId: cell(row, 'cine_person_id'),
        occurredAt: instantOf(cell(row, 'cine_referral_date')),
        data: defined({ referralId: cell(row, 'cine_referral_id') }),
      },
    ],
  },
  {
    name: 'ssd_cp_plans',
    ssd: true,
    description:
      'Child protection plans: the anchor of the review-conference, core-group and CP-visit clocks; an end date ends the plan',
    columns: [
      {
        name: 'cppl_cp_plan_id',
        required: true,
        description: 'the plan (tells rows apart)',
      },
      caseColumn('cppl_person_id'),
      {
        name: 'cppl_cp_plan_start_date',
        required: true,
        field: 'occurredAt',
        description: 'when the plan started',
      },
      {
        name: 'cppl_cp_plan_end_date',
        required: false,
        description: 'when it ended (empty while it runs)',
      },
    ],
    eventTypes: ['cp-plan.started', 'cp-plan.ended'],
    example: [
      'cppl_cp_plan_id,cppl_person_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date',
      'CPP-1,C-1001,2026-02-02,',
    ],
    toEvents: (row) => {
      const caseId = cell(row, 'cppl_person_id');
      const ended = cell(row, 'cppl_cp_plan_end_date');
      return [
        {
          type: 'cp-plan.started',
          caseId,
          occurredAt: instantOf(cell(row, 'cppl_cp_plan_start_date')),
          data: {},
        },
        ...(ended === undefined
          ? []
          : [{ type: 'cp-plan.ended', caseId, occurredAt: instantOf(ended), data: {} }]),
      ];
    },
  },
  {
    name: 'ssd_cp_visits',
    ssd: true,
    description: 'The last child protection visit: the anchor of the CP-visit clock',
    columns: [
      { name: 'cppv_cp_visit_id', required: true, description: 'the visit (tells rows apart)' },
      caseColumn('cppv_person_id'),
      {
        name: 'cppv_cp_visit_date',
        required: true,
        field: 'occurredAt',
        description: 'when the visit was made',
      },
    ],
    eventTypes: ['visit.made'],
    example: ['cppv_cp_visit_id,cppv_person_id,cppv_cp_visit_date', 'V-1,C-1001,2026-02-10'],
    toEvents: (row) => [
      {
        type: 'visit.made',
        caseId: cell(row, 'cppv_person_id'),
        occurredAt: instantOf(cell(row, 'cppv_cp_visit_date')),
        data: { kind: 'cp' },
      },
    ],
  },
  {
    name: 'ssd_cla_placement',
    ssd: true,
    description:
      'Placements of looked-after children: the anchor of the CLA-visit clock; an end date ends the placement',
    columns: [
      {
        name: 'clap_cla_placement_id',
        required: true,
        field: 'data.placementId',
        description: 'the placement',
      },
      caseColumn(
        'clap_person_id',
        ' (not in SSD, which links a placement through clap_cla_id: add the episode’s person id)',
      ),
      {
        name: 'clap_cla_placement_start_date',
        required: true,
        field: 'occurredAt',
        description: 'when the placement began',
      },
      {
        name: 'clap_cla_placement_end_date',
        required: false,
        description: 'when it ended (empty while it lasts)',
      },
      {
        name: 'permanent',
        required: false,
        field: 'data.permanent',
        description: 'Y/N: intended to last until the child is 18 (not in SSD)',
      },
    ],
    eventTypes: ['placement.started', 'placement.ended'],
    example: [
      'clap_cla_placement_id,clap_person_id,clap_cla_placement_start_date,clap_cla_placement_end_date,permanent',
      'PL-1,C-1003,2026-01-12,,N',
    ],
    toEvents: (row) => {
      const caseId = cell(row, 'clap_person_id');
      const placementId = cell(row, 'clap_cla_placement_id');
      const ended = cell(row, 'clap_cla_placement_end_date');
      return [
        {
          type: 'placement.started',
          caseId,
          occurredAt: instantOf(cell(row, 'clap_cla_placement_start_date')),
          data: defined({ placementId, permanent: booleanOf(cell(row, 'permanent')) }),
        },
        ...(ended === undefined
          ? []
          : [
              {
                type: 'placement.ended',
                caseId,
                occurredAt: instantOf(ended),
                data: defined({ placementId }),
              },
            ]),
      ];
    },
  },
  {
    name: 'ssd_cla_visits',
    ssd: true,
    description: 'The last visit to a looked-after child: the anchor of the CLA-visit clock',
    columns: [
      { name: 'clav_cla_visit_id', required: true, description: 'the visit (tells rows apart)' },
      caseColumn(
        'clav_person_id',
        ' (not in SSD, which links a visit through clav_cla_id: add the episode’s person id)',
      ),
      {
        name: 'clav_cla_visit_date',
        required: true,
        field: 'occurredAt',
        description: 'when the visit was made',
      },
    ],
    eventTypes: ['visit.made'],
    example: ['clav_cla_visit_id,clav_person_id,clav_cla_visit_date', 'CV-1,C-1003,2026-01-19'],
    toEvents: (row) => [
      {
        type: 'visit.made',
        caseId: cell(row, 'clav_person_id'),
        occurredAt: instantOf(cell(row, 'clav_cla_visit_date')),
        data: { kind: 'cla' },
      },
    ],
  },
];

/** Every shape this code knows, whether or not the deployment's schema has its events. */
export const ALL_SHAPES: readonly CsvShape[] = SHAPES;

/** The shapes whose event types `knownTypes` holds (the others need rules not in this build). */
export function availableShapes(knownTypes: ReadonlySet<string>): CsvShape[] {
  return SHAPES.filter((s) => s.eventTypes.every((t) => knownTypes.has(t)));
}

/** Why a header matches no shape, or more than one. */
export class UnknownHeaderError extends Error {
  override readonly name = 'UnknownHeaderError';
}

/**
 * The shape of a file from its header: the one whose required columns the header all has
 * (the most specific when several do, e.g. `away` over `rota`). Extra columns are ignored.
 */
export function shapeForHeader(header: readonly string[], shapes: readonly CsvShape[]): CsvShape {
  const names = new Set(header.map((h) => h.trim()));
  const fits = shapes
    .filter((s) => s.columns.every((c) => !c.required || names.has(c.name)))
    .sort((a, b) => required(b) - required(a));
  const [best, next] = fits;
  if (best === undefined) {
    const wanted = shapes
      .map(
        (s) =>
          `${s.name} (${s.columns
            .filter((c) => c.required)
            .map((c) => c.name)
            .join(', ')})`,
      )
      .join('; ');
    throw new UnknownHeaderError(
      `the header (${[...names].join(', ')}) matches no CSV shape; each needs its required columns: ${wanted}`,
    );
  }
  if (next !== undefined && required(next) === required(best)) {
    throw new UnknownHeaderError(`the header fits both ${best.name} and ${next.name}`);
  }
  return best;
}

const required = (s: CsvShape) => s.columns.filter((c) => c.required).length;

/**
 * The column an event field came from (`data.workers.0.role` → `workers`), for reporting a
 * refused row; undefined when no column fills it.
 */
export function columnOf(shape: CsvShape, field: string): string | undefined {
  let best: Column | undefined;
  for (const c of shape.columns) {
    if (c.field === undefined) continue;
    if (field === c.field || field.startsWith(`${c.field}.`)) {
      if (best?.field === undefined || c.field.length > best.field.length) best = c;
    }
  }
  return best?.name;
}

/**
 * The event id of a draft: the shape's name and a hash of the draft's canonical JSON, so the
 * same row gives the same id in every import (a re-import is all "unchanged") and a changed
 * row a new one (applied as a new event).
 */
export function draftId(shape: string, draft: EventDraft): string {
  return `${shape.replace(/^ssd_/, '')}-${fnv1a64(canonicalJson(draft))}`;
}

/**
 * The cases' CSV shapes: the open cases themselves, and the anchors of their clocks (the last
 * supervision of each kind, referrals, child protection plans and visits, placements of
 * looked-after children and their visits), with SSD's table and column names where SSD has
 * the table.
 */
import {
  booleanOf,
  type CsvShape,
  caseColumn,
  cell,
  defined,
  type EventDraft,
  instantOf,
  integerOf,
  workersOf,
} from './csv-shape.js';

export const CASES: CsvShape = {
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
};

export const SUPERVISIONS: CsvShape = {
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
};

export const CIN_EPISODES: CsvShape = {
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
};

export const CP_PLANS: CsvShape = {
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
  toEvents: (row) =>
    startedAndEnded(
      row,
      { person: 'cppl_person_id', start: 'cppl_cp_plan_start_date', end: 'cppl_cp_plan_end_date' },
      { type: 'cp-plan.started', data: {} },
      { type: 'cp-plan.ended', data: {} },
    ),
};

export const CP_VISITS: CsvShape = visitShape({
  name: 'ssd_cp_visits',
  description: 'The last child protection visit: the anchor of the CP-visit clock',
  prefix: 'cppv_cp',
  person: 'cppv_person_id',
  kind: 'cp',
  example: ['cppv_cp_visit_id,cppv_person_id,cppv_cp_visit_date', 'V-1,C-1001,2026-02-10'],
});

export const CLA_PLACEMENTS: CsvShape = {
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
    const placementId = cell(row, 'clap_cla_placement_id');
    return startedAndEnded(
      row,
      {
        person: 'clap_person_id',
        start: 'clap_cla_placement_start_date',
        end: 'clap_cla_placement_end_date',
      },
      {
        type: 'placement.started',
        data: defined({ placementId, permanent: booleanOf(cell(row, 'permanent')) }),
      },
      { type: 'placement.ended', data: defined({ placementId }) },
    );
  },
};

export const CLA_VISITS: CsvShape = visitShape({
  name: 'ssd_cla_visits',
  description: 'The last visit to a looked-after child: the anchor of the CLA-visit clock',
  prefix: 'clav_cla',
  person: 'clav_person_id',
  personNote: ' (not in SSD, which links a visit through clav_cla_id: add the episode’s person id)',
  kind: 'cla',
  example: ['clav_cla_visit_id,clav_person_id,clav_cla_visit_date', 'CV-1,C-1003,2026-01-19'],
});

/**
 * A start event on the start date, and its end event when the row has an end date (a plan or
 * placement that has ended), both of the row's case.
 */
function startedAndEnded(
  row: Readonly<Record<string, string>>,
  columns: { person: string; start: string; end: string },
  started: Pick<EventDraft, 'type' | 'data'>,
  ended: Pick<EventDraft, 'type' | 'data'>,
): EventDraft[] {
  const caseId = cell(row, columns.person);
  const endedAt = cell(row, columns.end);
  const start = { ...started, caseId, occurredAt: instantOf(cell(row, columns.start)) };
  return endedAt === undefined
    ? [start]
    : [start, { ...ended, caseId, occurredAt: instantOf(endedAt) }];
}

/**
 * SSD's table of one kind of visit (`<prefix>_visit_id`, the case, `<prefix>_visit_date`):
 * each row the `visit.made` of its kind.
 */
function visitShape(shape: {
  name: string;
  description: string;
  prefix: string;
  person: string;
  personNote?: string;
  kind: 'cp' | 'cla';
  example: string[];
}): CsvShape {
  const date = `${shape.prefix}_visit_date`;
  return {
    name: shape.name,
    ssd: true,
    description: shape.description,
    columns: [
      {
        name: `${shape.prefix}_visit_id`,
        required: true,
        description: 'the visit (tells rows apart)',
      },
      caseColumn(shape.person, shape.personNote),
      { name: date, required: true, field: 'occurredAt', description: 'when the visit was made' },
    ],
    eventTypes: ['visit.made'],
    example: shape.example,
    toEvents: (row) => [
      {
        type: 'visit.made',
        caseId: cell(row, shape.person),
        occurredAt: instantOf(cell(row, date)),
        data: { kind: shape.kind },
      },
    ],
  };
}

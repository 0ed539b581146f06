/**
 * Reminder types shared by plans, routing and messages. Pure: no AWS, no wall clock.
 */

import type { Worker, WorkerRole } from '#schemas/events.js';
import type { Deadline } from '../model.js';

/**
 * The fields of a `Deadline` that reminders read (stage ladders: `stageStartedAt`, when
 * `start` steps fire, and `escalateTo`, the role told at this stage; `hoursTeam`: the team
 * whose working hours the clock uses).
 */
export type ReminderDeadline = Readonly<
  Pick<
    Deadline,
    | 'id'
    | 'caseId'
    | 'rule'
    | 'status'
    | 'startedAt'
    | 'dueAt'
    | 'limitAt'
    | 'stage'
    | 'stageName'
    | 'stageStartedAt'
    | 'escalateTo'
    | 'team'
    | 'hoursTeam'
    | 'urgent'
    | 'safeguarding'
    | 'version'
    | 'arrivedAt'
    | 'closedAt'
    | 'metAt'
  >
>;

/** A worker on the case: who holds which role. */
export type CaseWorker = Readonly<Pick<Worker, 'personId' | 'role'>>;

/** When a reminder step fires, relative to its deadline. */
export type ReminderAt =
  /** The clock's (or the stage's) start. */
  | { kind: 'start' }
  /** Opening time of the Nth working day before the due date. */
  | { kind: 'before'; workingDays: number }
  /** The instant N working hours (office time) before the due time. */
  | { kind: 'before'; workingHours: number }
  /** When this share of the clock's time has been used (working time, or elapsed time on elapsed clocks). */
  | { kind: 'fraction'; fraction: number }
  /** Opening time on the due date ("on the day"). */
  | { kind: 'on-day' }
  /** The due time itself. */
  | { kind: 'due' }
  /** Opening time of the Nth working day after the due date (overdue). */
  | { kind: 'after'; workingDays: number }
  /**
   * The breach: when the statutory limit passes (`workingDays` 0; out of hours, the next
   * opening unless the clock is urgent), or told again at the opening of the Nth working day
   * after the limit's date. Planned once the deadline has breached (see `BreachPlan`).
   */
  | { kind: 'breach'; workingDays: number }
  /** The supervision's invitation withdrawn (`METHOD:CANCEL`) when the clock stops early. */
  | { kind: 'cancel-invite' };

/**
 * Who a step goes to: the person holding `role` on the case; `escalate` 1 sends it to that
 * person's manager (directory `managerId`), 2 to the head of service.
 */
export interface RecipientSpec {
  readonly role: WorkerRole;
  readonly escalate?: 0 | 1 | 2;
}

/** `stage`: the recipients of the deadline's current stage; `next-stage`: of the stage after it. */
export type StepRecipients = readonly RecipientSpec[] | 'stage' | 'next-stage';

export interface ReminderStep {
  /** Short and stable ([a-z0-9-], ≤ 16 chars): part of the timer name and the reminder id. */
  readonly key: string;
  readonly at: ReminderAt;
  readonly to: StepRecipients;
  /** Overrides the plan's urgency for this step (e.g. only a breach is urgent). */
  readonly urgent?: boolean;
}

/** Who else a breach reaches, and from when. */
export interface BreachEscalation {
  /** 1: the recipient's manager; 2: the head of service (as `RecipientSpec.escalate`). */
  readonly level: 1 | 2;
  /** Working days after the breach (0: at once; 1: the opening of the next working day). */
  readonly afterWorkingDays: number;
}

/** What a breach adds for one kind of clock (safeguarding, or routine). */
export interface BreachFollowUp {
  /** Escalation of the lead recipient, level by level. */
  readonly escalation: readonly BreachEscalation[];
  /**
   * Told again at the opening of every working day after the breach until the clock is met or
   * the case closes (a chain of timers: each firing schedules the next).
   */
  readonly repeatDaily: boolean;
}

/**
 * The breach step every plan ends with: a message saying BREACHED and how late. A plan that
 * sets no `breach` gets `DEFAULT_BREACH`; a plan's `breach` replaces only the fields it names.
 */
export interface BreachPlan {
  /**
   * Who is told: `plan` = the people the plan's last step up to the due time tells (for a
   * stage ladder, the stage's level); or recipients as for a step.
   */
  readonly to: 'plan' | StepRecipients;
  /** What a safeguarding clock's breach adds. */
  readonly safeguarding: BreachFollowUp;
  /** What any other clock's breach adds. */
  readonly routine: BreachFollowUp;
}

/** A rule's reminder plan: data, like the rules, and overridable per authority. */
export interface ReminderPlan {
  readonly rule: string;
  /** The clock's name in messages, e.g. "LADO notification". */
  readonly title: string;
  /** What the recipient should do, in one sentence. */
  readonly action: string;
  /** How fractions are measured: `elapsed` for N-hours clocks, `working` otherwise. */
  readonly clock: 'elapsed' | 'working';
  /** Urgent reminders go at once; out of hours to the EDT manager on call (SMS + email). */
  readonly urgent?: boolean;
  /** Emails carry an iCalendar invitation (supervisions). */
  readonly invite?: boolean;
  readonly steps: readonly ReminderStep[];
  /** Recipients per stage (index 0 = stage 1); the last entry serves any later stage. */
  readonly stageRecipients?: readonly (readonly RecipientSpec[])[];
  /** The breach step: `DEFAULT_BREACH` where absent, field by field. */
  readonly breach?: Partial<BreachPlan>;
}

export type ReminderPlans = Readonly<Record<string, ReminderPlan>>;

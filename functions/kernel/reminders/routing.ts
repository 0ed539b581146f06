/**
 * Routing: who gets a reminder, through which channel, and when. Pure apart from the
 * `Directory` port it reads through (no AWS, no wall clock: `now` is an argument).
 *
 * - Routine reminders go to the people the plan names, inside their working hours (their
 *   team's hours, else office hours); outside them they are deferred to the next opening.
 * - A person away routes to their delegate for the period.
 * - Urgent reminders go at once: in office hours to the people named, by email; out of hours
 *   to the EDT manager on the rota at that instant, by SMS and email, and the case's team
 *   manager gets the morning digest at the next opening.
 * - A reminder that reaches nobody it was meant for, or finds nobody on the EDT rota, goes at
 *   once to the authority's fallback contact (its duty inbox), saying what is missing.
 */
import { type Calendar, isOpen, nextOpening } from '../calendar/index.js';
import { FALLBACK_PERSON_ID } from '../ids.js';
import type { Person } from '../people.js';
import type { Directory } from '../ports.js';
import type { ChannelName } from '../records.js';
import { isUrgent, stepRecipients } from './steps.js';
import type {
  CaseWorker,
  RecipientSpec,
  ReminderDeadline,
  ReminderPlan,
  ReminderStep,
} from './types.js';

export interface Delivery {
  personId: string;
  channel: ChannelName;
  /** Email address or E.164 number: used to send, never logged. */
  to: string;
  via: 'direct' | 'delegate' | 'edt' | 'fallback';
  /** The person the plan meant (before delegation or EDT); the fallback's own id for it. */
  forPersonId: string;
}

export interface Deferral {
  personId: string;
  forPersonId: string;
  via: 'direct' | 'delegate';
  until: Date;
}

/** Why someone a reminder was meant for could not be reached. */
export type UnroutableReason =
  | 'no-worker-in-role'
  | 'no-manager'
  | 'unknown-person'
  | 'no-edt-on-call'
  /** The person has no address for a channel the reminder needs (an urgent SMS: no phone). */
  | 'no-contact'
  /** The time is beyond the years the calendar covers (the read view only). */
  | 'outside-calendar';

export interface Unroutable {
  role?: string;
  personId?: string;
  reason: UnroutableReason;
  /** `no-contact`: the channel they cannot be reached by. */
  channel?: ChannelName;
}

export interface Routing {
  deliveries: Delivery[];
  deferrals: Deferral[];
  unroutable: Unroutable[];
  /**
   * True when the EDT manager was alerted: the case's team manager (`dayRecipients`; none:
   * the team's manager in the directory, else the fallback contact) gets the morning digest.
   */
  edt: boolean;
  dayRecipients: string[];
  /**
   * True when the reminder reached nobody it was meant for, or nobody was on the EDT rota: it
   * goes to the fallback contact too (a `fallback` delivery, when the authority has one).
   */
  unrouted: boolean;
}

/** The authority's fallback contact (its duty inbox) as a person routing can deliver to. */
export function fallbackPerson(contact: { email: string; phone?: string | undefined }): Person {
  return {
    personId: FALLBACK_PERSON_ID,
    name: 'Duty inbox',
    email: contact.email,
    ...(contact.phone === undefined ? {} : { phone: contact.phone }),
    updatedAt: '1970-01-01T00:00:00.000Z',
  };
}

export interface RouteInput {
  plan: ReminderPlan;
  step: ReminderStep;
  deadline: Partial<Pick<ReminderDeadline, 'stage' | 'escalateTo' | 'urgent' | 'safeguarding'>>;
  workers: readonly CaseWorker[];
  now: Date;
  calendar: Calendar;
  directory: Directory;
  /** The authority's fallback contact (`fallbackPerson`): where routing gaps go. */
  fallback?: Person | undefined;
}

/** Decides the deliveries, deferrals and failures of one reminder at `now`. */
export async function routeReminder(input: RouteInput): Promise<Routing> {
  const routing = await routeIntended(input);
  const reached = routing.deliveries.length > 0 || routing.deferrals.length > 0;
  const rotaGap = routing.unroutable.some((u) => u.reason === 'no-edt-on-call');
  routing.unrouted = routing.unroutable.length > 0 && (!reached || rotaGap);
  const fallback = input.fallback;
  if (routing.unrouted && fallback !== undefined) {
    const urgent = isUrgent(input.step, input.plan, input.deadline);
    if (urgent && fallback.phone !== undefined)
      routing.deliveries.push(delivery(fallback, 'sms', 'fallback', fallback.personId));
    routing.deliveries.push(delivery(fallback, 'email', 'fallback', fallback.personId));
  }
  return routing;
}

/** The people the step means, or the EDT manager on call. */
async function routeIntended(input: RouteInput): Promise<Routing> {
  const { plan, step, deadline, workers, now, calendar, directory } = input;
  const routing: Routing = {
    deliveries: [],
    deferrals: [],
    unroutable: [],
    edt: false,
    dayRecipients: [],
    unrouted: false,
  };
  const intended: string[] = [];
  for (const spec of stepRecipients(step, plan, deadline)) {
    const resolved = await resolveSpec(spec, workers, directory);
    if ('reason' in resolved) routing.unroutable.push(resolved);
    else for (const id of resolved.personIds) if (!intended.includes(id)) intended.push(id);
  }
  const urgent = isUrgent(step, plan, deadline);
  if (urgent && !isOpen(calendar, now)) {
    const onCallId = await directory.onCallAt(now);
    const onCall = onCallId === undefined ? undefined : await directory.getPerson(onCallId);
    if (onCall !== undefined) {
      routing.edt = true;
      // The day team's manager hears of it in the morning digest (not the people named).
      routing.dayRecipients = workers
        .filter((w) => w.role === 'team-manager')
        .map((w) => w.personId);
      const forPersonId = intended[0] ?? onCall.personId;
      if (onCall.phone !== undefined) {
        routing.deliveries.push(delivery(onCall, 'sms', 'edt', forPersonId));
      } else {
        routing.unroutable.push({
          personId: onCall.personId,
          reason: 'no-contact',
          channel: 'sms',
        });
      }
      routing.deliveries.push(delivery(onCall, 'email', 'edt', forPersonId));
      return routing;
    }
    // Nobody on the rota: the people named are told at once rather than nobody.
    routing.unroutable.push({ reason: 'no-edt-on-call' });
  }
  if (intended.length === 0) return routing;

  const routed = await routePeople(intended, {
    now,
    calendar,
    directory,
    mode: urgent ? 'at-once' : 'working-hours',
    channels: urgent && !isOpen(calendar, now) ? ['sms', 'email'] : ['email'],
  });
  routing.deliveries.push(...routed.deliveries);
  routing.deferrals.push(...routed.deferrals);
  routing.unroutable.push(...routed.unroutable);
  return routing;
}

export interface RoutePeopleOptions {
  now: Date;
  calendar: Calendar;
  directory: Directory;
  /** `working-hours` defers to the person's next opening; `at-once` never defers. */
  mode: 'working-hours' | 'at-once';
  channels: readonly ChannelName[];
}

/** Routes to named people: delegates for the away, then their working hours. */
export async function routePeople(
  personIds: readonly string[],
  options: RoutePeopleOptions,
): Promise<Pick<Routing, 'deliveries' | 'deferrals' | 'unroutable'>> {
  const { now, calendar, directory, mode, channels } = options;
  const out: Pick<Routing, 'deliveries' | 'deferrals' | 'unroutable'> = {
    deliveries: [],
    deferrals: [],
    unroutable: [],
  };
  const seen = new Set<string>();
  for (const forPersonId of personIds) {
    const effectiveId = await followDelegates(forPersonId, now, directory);
    if (seen.has(effectiveId)) continue;
    seen.add(effectiveId);
    const person = await directory.getPerson(effectiveId);
    if (person === undefined) {
      out.unroutable.push({ personId: effectiveId, reason: 'unknown-person' });
      continue;
    }
    const via = effectiveId === forPersonId ? 'direct' : 'delegate';
    const hours = calendar.hoursFor(person.team);
    if (mode === 'working-hours' && !isOpen(calendar, now, hours)) {
      out.deferrals.push({
        personId: effectiveId,
        forPersonId,
        via,
        until: nextOpening(calendar, now, hours),
      });
      continue;
    }
    for (const channel of channels) {
      if (channel === 'sms' && person.phone === undefined) {
        out.unroutable.push({ personId: effectiveId, reason: 'no-contact', channel });
        continue;
      }
      if (channel === 'email' && person.email === '') {
        out.unroutable.push({ personId: effectiveId, reason: 'no-contact', channel });
        continue;
      }
      out.deliveries.push(delivery(person, channel, via, forPersonId));
    }
  }
  return out;
}

/** Away people hand on to their delegate; a chain is followed a few hops, never in a loop. */
async function followDelegates(personId: string, at: Date, directory: Directory): Promise<string> {
  const visited = [personId];
  let current = personId;
  for (let hop = 0; hop < 3; hop++) {
    const delegate = await directory.awayAt(current, at);
    if (delegate === undefined || visited.includes(delegate)) break;
    visited.push(delegate);
    current = delegate;
  }
  return current;
}

async function resolveSpec(
  spec: RecipientSpec,
  workers: readonly CaseWorker[],
  directory: Directory,
): Promise<{ personIds: string[] } | Unroutable> {
  const holders = workers.filter((w) => w.role === spec.role).map((w) => w.personId);
  const level = spec.escalate ?? 0;
  if (level === 2) {
    const heads = workers.filter((w) => w.role === 'head-of-service').map((w) => w.personId);
    if (heads.length > 0) return { personIds: heads };
  }
  if (holders.length === 0) return { role: spec.role, reason: 'no-worker-in-role' };
  if (level === 0) return { personIds: holders };
  // Escalation: the holder's manager (level 1), or that manager's manager (level 2).
  const managers: string[] = [];
  // Whose manager is missing: the holder, or (level 2) the holder's manager.
  let without: string | undefined;
  for (const holder of holders) {
    let current: string | undefined = holder;
    let last = holder;
    for (let i = 0; i < level && current !== undefined; i++) {
      last = current;
      current = (await directory.getPerson(current))?.managerId;
    }
    if (current !== undefined && !managers.includes(current)) managers.push(current);
    if (current === undefined) without ??= last;
  }
  if (managers.length === 0) {
    const personId = without ?? (holders[0] as string);
    // The role is the holder's: a missing link further up names that manager alone.
    return holders.includes(personId)
      ? { role: spec.role, personId, reason: 'no-manager' }
      : { personId, reason: 'no-manager' };
  }
  return { personIds: managers };
}

function delivery(
  person: Person,
  channel: ChannelName,
  via: Delivery['via'],
  forPersonId: string,
): Delivery {
  const to = channel === 'sms' ? (person.phone ?? '') : person.email;
  return { personId: person.personId, channel, to, via, forPersonId };
}

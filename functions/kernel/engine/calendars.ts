/**
 * An authority's calendars, bound once: its configuration (hours, closures, a rule's own team
 * hours) plus the operator's stored GOV.UK feed; when the feed source reports a new feed the
 * calendars are rebuilt, and their `version` changes. A case in another division runs on that
 * division's bank holidays with the authority's hours and closure days: one calendar per
 * division, built on first use and kept. The engine (`bound.ts`) computes with them; the
 * managers' pages read with them and need nothing else of the engine (`bindSettings`).
 */
import type { AuthorityConfig } from '#schemas/authority.js';
import {
  type Calendar,
  type CalendarOptions,
  createCalendar,
  type Division,
  type GovUkFeed,
} from '../calendar/index.js';
import { loadRulesAndPlans } from '../reminders/overrides.js';
import type { ReminderPlans } from '../reminders/types.js';
import type { RuleSet } from '../rules/index.js';
import { ruleTeamHours } from './clock.js';

/** Where the engine reads the operator's feed: a fixed feed, or a source refreshed elsewhere. */
export type FeedOption = GovUkFeed | { current(): { feed: GovUkFeed; sha256: string } | undefined };

export interface BoundCalendars {
  /** The authority's calendar in use now (a newer stored feed replaces it). */
  readonly calendar: Calendar;
  /** The calendar of a case in `division` (the authority's when undefined). */
  calendarFor(division?: Division): Calendar;
}

/** The authority's rules, reminder plans and calendars: what reading a case needs. */
export interface BoundSettings extends BoundCalendars {
  readonly rules: RuleSet;
  readonly plans: ReminderPlans;
}

/** The authority's calendars over `rules`' team hours and the feed `feed` reports. */
export function bindCalendars(
  authority: AuthorityConfig,
  rules: RuleSet,
  feed: FeedOption | undefined,
): BoundCalendars {
  const base: Omit<CalendarOptions, 'division'> = {
    ...(authority.closures === undefined ? {} : { closures: authority.closures }),
    ...(authority.officeHours === undefined
      ? {}
      : { officeHours: authority.officeHours as CalendarOptions['officeHours'] }),
    // A rule's own team hours (Building Bridges) unless the authority configured that team.
    teamHours: {
      ...ruleTeamHours(rules.rules),
      ...((authority.teamHours ?? {}) as CalendarOptions['teamHours']),
    },
  };
  const read =
    feed !== undefined && typeof (feed as { current?: unknown }).current === 'function'
      ? () => (feed as Exclude<FeedOption, GovUkFeed>).current()
      : () => (feed === undefined ? undefined : { feed: feed as GovUkFeed, sha256: 'fixed' });
  const build = (division: Division, given: GovUkFeed | undefined): Calendar =>
    createCalendar(
      given === undefined ? { ...base, division } : { ...base, division, feed: given },
    );
  const initial = read();
  let built = {
    sha256: initial?.sha256,
    feed: initial?.feed,
    calendars: new Map([[authority.division, build(authority.division, initial?.feed)]]),
  };
  /** The calendar of `division` for the feed in use; all are rebuilt only when the feed changed. */
  const calendarFor = (division: Division = authority.division): Calendar => {
    const now = read();
    if (now?.sha256 !== built.sha256) {
      built = { sha256: now?.sha256, feed: now?.feed, calendars: new Map() };
    }
    let cal = built.calendars.get(division);
    if (cal === undefined) {
      cal = build(division, built.feed);
      built.calendars.set(division, cal);
    }
    return cal;
  };
  return {
    get calendar() {
      return calendarFor(authority.division);
    },
    calendarFor,
  };
}

/**
 * The authority's rules, plans and calendars without the engine that applies events.
 * @throws RuleValidationError when the authority's rule or reminder-plan overrides are invalid.
 */
export function bindSettings(authority: AuthorityConfig, feed?: FeedOption): BoundSettings {
  const { rules, plans } = loadRulesAndPlans(authority);
  const calendars = bindCalendars(authority, rules, feed);
  return {
    rules,
    plans,
    get calendar() {
      return calendars.calendar;
    },
    calendarFor: calendars.calendarFor,
  };
}

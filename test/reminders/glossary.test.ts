/**
 * The one vocabulary of pages, emails and texts: every code the data holds (a plan's steps,
 * the roles, the audit's kinds) has words that are not the code; times are written the one way;
 * a routing gap names whose manager is missing and whom to ask. Expected words worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { gapWords } from '#kernel/gap-words.js';
import {
  auditLabel,
  clockLabel,
  reasonLabel,
  roleLabel,
  sentenceCase,
  stepLabel,
  ukTimesIn,
} from '#kernel/glossary.js';
import {
  DEFAULT_REMINDER_PLANS,
  type ReminderStep,
  routeReminder,
} from '#kernel/reminders/index.js';
import { WorkerRole } from '#schemas/events.js';
import { at, calendar, directoryOf } from '#test/support/reminders.js';

describe('times in words', () => {
  it('writes every ISO instant in a line as the pages do, in BST or GMT', () => {
    expect(ukTimesIn('24 hours from 2030-05-24T16:30:00+01:00.')).toBe(
      '24 hours from Friday 24 May 2030, 16:30 (BST).',
    );
    expect(ukTimesIn('Due at 2030-05-25T15:30:00.000Z; then 2030-12-02T09:00Z')).toBe(
      'Due at Saturday 25 May 2030, 16:30 (BST); then Monday 2 December 2030, 09:00 (GMT)',
    );
    // A date alone is not an instant: left as it is.
    expect(ukTimesIn('on 2030-05-27')).toBe('on 2030-05-27');
  });
});

describe('codes in words', () => {
  it('gives every step of every default plan words that are not its key', () => {
    for (const plan of Object.values(DEFAULT_REMINDER_PLANS))
      for (const step of plan.steps) {
        const words = stepLabel(step.key, plan);
        expect(words, `${plan.rule} ${step.key}`).not.toBe('Reminder');
        // Words in sentence case ("At the due time"), never a code such as b10wd or p50.
        expect(words).toMatch(/^[A-Z0-9][a-z0-9]* [a-z0-9% ]+/);
        expect(words).not.toMatch(/\b[a-z]+[0-9]+[a-z]*\b/);
      }
    const lado = DEFAULT_REMINDER_PLANS['lado-notification'];
    const supervision = DEFAULT_REMINDER_PLANS['joint-supervision'];
    expect(stepLabel('p50', lado)).toBe('When half the time has passed');
    expect(stepLabel('p75', lado)).toBe('When 75% of the time has passed');
    expect(stepLabel('b2wd', supervision)).toBe('2 working days before it is due');
    expect(stepLabel('o1wd', supervision)).toBe('1 working day overdue');
    // The breach and its daily repeats are not in the plan's steps: their keys say what they are.
    expect(stepLabel('breach', lado)).toBe('When it breached');
    expect(stepLabel('br1', lado)).toBe('Breached: told again, 1 working day later');
    expect(stepLabel('br2', lado)).toBe('Breached: told again, 2 working days later');
    expect(stepLabel('esc2')).toBe('Not acknowledged: to the senior manager on call');
    expect(stepLabel('escfb')).toBe('Breach not acknowledged: to the duty inbox');
  });

  it('names every role as a person says it, and clocks by their names', () => {
    const words = WorkerRole.options.map(roleLabel);
    expect(words).toEqual([
      'allocated worker',
      'co-worker',
      'team manager',
      'supervisor',
      'mental health worker',
      'mental health supervisor',
      'Building Bridges worker',
      'LADO',
      'head of service',
    ]);
    expect(clockLabel('lado-notification', DEFAULT_REMINDER_PLANS)).toBe('LADO notification');
    // A rule an authority added, with no plan: its id in words, in sentence case.
    expect(clockLabel('cla-review')).toBe('CLA review');
    expect(sentenceCase('edt-out-of-hours')).toBe('EDT out of hours');
  });

  it('says what every line of a trail records, a newer kind in words rather than blank', () => {
    const kinds = [
      'case-opened',
      'started',
      'met-late',
      'breached-on-arrival',
      'reminder-rerouted',
      'reminder-unrouted',
      'alert-acknowledged',
      'alert-escalated',
    ];
    // A sentence-case phrase of words: no hyphenated code, and never blank.
    for (const kind of kinds) expect(auditLabel(kind)).toMatch(/^[A-Z][a-z]*( [a-zA-Z:]+)*$/);
    expect(auditLabel('reminder-rerouted')).toBe('Sent to someone else instead');
    expect(auditLabel('alert-acknowledged')).toBe('Alert acknowledged');
    expect(auditLabel('limit-passed')).toBe('Limit passed');
    expect(reasonLabel('no-tier-2-on-call')).toBe('nobody on call above the EDT manager');
    expect(reasonLabel('event case.closed')).toBe('event case closed');
  });
});

describe('a gap in a manager’s words', () => {
  it('names whose manager is missing, and whom to ask', () => {
    const gap = { reason: 'no-manager', role: 'lado', personId: 'P-0004' };
    const when = at('2030-05-25T15:30:00Z');
    // On a page, with the name from the directory.
    expect(gapWords(gap, when, 'LADO One')).toEqual({
      missing: 'LADO One’s manager: not in the directory',
      fix: 'Ask the case system to record LADO One’s manager',
    });
    // In a message to the duty inbox: ids and roles, never a name.
    expect(gapWords(gap, when)).toEqual({
      missing: 'The manager of the LADO (P-0004): not in the directory',
      fix: 'Ask the case system to record the manager of the LADO (P-0004)',
    });
    expect(gapWords({ reason: 'no-edt-on-call' }, when)).toEqual({
      missing: 'Nobody on the EDT rota on Saturday 25 May 2030, 16:30 (BST)',
      fix: 'Ask the EDT to add a shift covering Saturday 25 May 2030, 16:30 (BST) to the rota',
    });
    expect(
      gapWords({ reason: 'no-contact', personId: 'P-0004', channel: 'sms' }, when, 'LADO One'),
    ).toEqual({
      missing: 'LADO One has no mobile number for urgent text messages',
      fix: 'Ask the case system to record LADO One’s mobile number',
    });
  });

  it('says whose message was not delivered and why, the duty inbox’s included', () => {
    const when = at('2030-05-25T03:30:00Z');
    const gap = { reason: 'undelivered', personId: 'P-0005', channel: 'sms' };
    expect(gapWords({ ...gap, delivery: 'permanent-failure' }, when, 'EDT Manager One')).toEqual({
      missing: 'EDT Manager One’s text message was not delivered: the phone number is not in use',
      fix: 'Ask the case system to check EDT Manager One’s mobile number',
    });
    expect(
      gapWords(
        {
          reason: 'undelivered',
          personId: '@fallback',
          channel: 'email',
          delivery: 'temporary-failure',
        },
        when,
      ),
    ).toEqual({
      missing:
        'The duty inbox’s email was not delivered: the inbox was full or not accepting email',
      fix: 'Ask the service’s administrator to check the duty inbox’s address',
    });
  });

  it('routing names the person whose own manager is missing, a level up or two', async () => {
    // The directory: P-0002 (team manager) reports to P-0003, who has no manager; P-0004 (the
    // LADO) has none. A step to the team manager's manager's manager and the LADO's manager.
    const plan = DEFAULT_REMINDER_PLANS['joint-supervision'];
    const step: ReminderStep = {
      key: 'x',
      at: { kind: 'due' },
      to: [
        { role: 'team-manager', escalate: 2 },
        { role: 'lado', escalate: 1 },
      ],
    };
    const routing = await routeReminder({
      plan,
      step,
      deadline: {},
      workers: [
        { personId: 'P-0002', role: 'team-manager' },
        { personId: 'P-0004', role: 'lado' },
      ],
      // Thursday 21 May 2026, 10:00 BST: in hours.
      now: at('2026-05-21T09:00:00Z'),
      calendar,
      directory: directoryOf(),
    });
    // Assess: the team manager's manager (P-0003) is the one without a manager; the LADO is.
    expect(routing.unroutable).toEqual([
      { personId: 'P-0003', reason: 'no-manager' },
      { role: 'lado', personId: 'P-0004', reason: 'no-manager' },
    ]);
  });
});

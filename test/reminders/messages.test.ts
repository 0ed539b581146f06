import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DigestClock, digestPeriod, renderDigest } from '#kernel/reminders/digest-message.js';
import {
  caseLink,
  formatUkLong,
  formatUkShort,
  type MessageInput,
  renderEmail,
  renderSms,
} from '#kernel/reminders/messages.js';
import { at, calendar } from '#test/support/reminders.js';

const input: MessageInput = {
  caseId: 'C-1001',
  title: 'Joint supervision',
  action: 'Hold the joint supervision (both supervisors and both workers) and record it.',
  dueAt: at('2026-05-26T16:00:00Z'),
  moment: 'before',
  urgent: false,
  link: caseLink('https://cms.example.gov.uk/cases/{caseId}', 'C-1001'),
};

describe('messages', () => {
  it('writes due times in UK local time with the zone', () => {
    expect(formatUkLong(at('2026-05-26T16:00:00Z'))).toBe('Tuesday 26 May 2026, 17:00 (BST)');
    expect(formatUkLong(at('2026-12-01T17:00:00Z'))).toBe('Tuesday 1 December 2026, 17:00 (GMT)');
    // The night the clocks go back: 01:30 happens twice.
    expect(formatUkLong(at('2026-10-25T00:30:00Z'))).toBe('Sunday 25 October 2026, 01:30 (BST)');
    expect(formatUkLong(at('2026-10-25T01:30:00Z'))).toBe('Sunday 25 October 2026, 01:30 (GMT)');
  });

  it('writes the same wall time, date and zone as Intl does for Europe/London', () => {
    const london = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1997-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z') }),
        (instant) => {
          fc.pre(!Number.isNaN(instant.getTime()));
          const p = Object.fromEntries(london.formatToParts(instant).map((x) => [x.type, x.value]));
          // Intl names the zone GMT or GMT+1; we write GMT or BST.
          const zone = p.timeZoneName === 'GMT' ? 'GMT' : 'BST';
          const long = `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} (${zone})`;
          expect(formatUkLong(instant)).toBe(long);
          const short = `${p.weekday?.slice(0, 3)} ${p.day} ${p.month?.slice(0, 3)} ${p.hour}:${p.minute} ${zone}`;
          expect(formatUkShort(instant)).toBe(short);
        },
      ),
      { numRuns: 2_000 },
    );
    // Around both clock changes of 2026, minute by minute.
    for (const from of ['2026-03-29T00:00:00Z', '2026-10-25T00:00:00Z']) {
      for (let m = 0; m < 180; m++) {
        const instant = new Date(new Date(from).getTime() + m * 60_000);
        const p = Object.fromEntries(london.formatToParts(instant).map((x) => [x.type, x.value]));
        expect(formatUkLong(instant)).toContain(
          `${p.hour}:${p.minute} (${p.timeZoneName === 'GMT' ? 'GMT' : 'BST'})`,
        );
      }
    }
  });

  it('renders an email with the case reference, clock, due time, action and link', () => {
    // Act
    const email = renderEmail(input);
    // Assess
    expect(email.subject).toBe(
      'C-1001: Joint supervision due soon — Tuesday 26 May 2026, 17:00 (BST)',
    );
    for (const body of [email.text, email.html]) {
      expect(body).toContain('C-1001');
      expect(body).toContain('Tuesday 26 May 2026, 17:00 (BST)');
      expect(body).toContain('https://cms.example.gov.uk/cases/C-1001');
    }
    expect(email.text).toContain('What to do: Hold the joint supervision');
    expect(email.ics).toBeUndefined();
  });

  it('escapes HTML and encodes the case reference in the link', () => {
    // Act
    const email = renderEmail({
      ...input,
      caseId: 'C-<1>',
      link: caseLink('https://cms.example.gov.uk/c/{caseId}', 'C-<1>'),
    });
    // Assess
    expect(email.html).toContain('C-&lt;1&gt;');
    expect(email.html).not.toContain('C-<1>');
    expect(email.text).toContain('https://cms.example.gov.uk/c/C-%3C1%3E');
  });

  it('attaches an RFC 5545 invitation for supervisions', () => {
    // Act
    const email = renderEmail({
      ...input,
      invite: {
        uid: 'js.1.b10wd.x@timescales',
        sequence: 3,
        method: 'REQUEST',
        organizer: 'timescales@example.gov.uk',
        attendee: 'manager.one@example.gov.uk',
        now: at('2026-05-11T08:00:00Z'),
      },
    });
    // Assess
    const ics = email.ics ?? '';
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics).toContain('METHOD:REQUEST\r\n');
    expect(ics).toContain('DTSTART:20260526T150000Z\r\n');
    expect(ics).toContain('DTEND:20260526T160000Z\r\n');
    expect(ics).toContain('DTSTAMP:20260511T080000Z\r\n');
    expect(ics).toContain(
      'ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:manager.one@example.gov.uk',
    );
    expect(ics.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
    for (const line of ics.split('\r\n')) expect(line.length).toBeLessThanOrEqual(75);
  });

  it('keeps SMS within 160 characters, naming the council, dropping the action before the link', () => {
    // Act
    const sms = renderSms({
      ...input,
      title: 'LADO notification',
      action: 'Notify the LADO of the allegation and record the notification.',
      urgent: true,
      dueAt: at('2026-05-23T15:30:00Z'),
      authority: 'Example Borough Council',
      authorityShortName: 'Example BC',
    });
    // Assess: with the action (63 characters) even "due Sat 16:30 BST." comes to 167; without
    // it the long date fits (123).
    expect(sms).toBe(
      'Example BC. URGENT: C-1001 LADO notification due Saturday 23 May 2026, 16:30 (BST). https://cms.example.gov.uk/cases/C-1001',
    );
    expect(sms.length).toBe(123);
  });

  it('ends an alert SMS with its ack link, shortening the due time until it fits', () => {
    // Act
    const sms = renderSms({
      ...input,
      title: 'LADO notification',
      urgent: true,
      dueAt: at('2026-05-23T15:30:00Z'),
      authorityShortName: 'Example BC',
      alert: {
        ackLink: 'https://ack.example.gov.uk/a/0123456789abcdef0123456789abcdef012',
        replyYes: true,
      },
    });
    // Assess: "Sat 23 May 16:30 BST" makes 161 characters; "Sat 16:30 BST", 154.
    expect(sms).toBe(
      'Example BC. URGENT: C-1001 LADO notification due Sat 16:30 BST. Acknowledge: reply YES or open https://ack.example.gov.uk/a/0123456789abcdef0123456789abcdef012',
    );
  });

  it('puts one line per clock in the digest, with its status now and every alert it got, oldest first', () => {
    // Prepare: C-1002's clock alerted once; C-1001's three times and then breached.
    const clock = (caseId: string, status: DigestClock['status'], alerts: string[]) => ({
      caseId,
      title: 'LADO notification',
      dueAt: at('2026-05-23T15:30:00Z'),
      status,
      alerts: alerts.map((a, i) => ({
        at: at(a),
        moment: (['before', 'before', 'due', 'breach'] as const)[i] ?? 'before',
      })),
      link: `https://x.example/${caseId}`,
    });
    // Act
    const digest = renderDigest(
      [
        clock('C-1002', { kind: 'met', at: at('2026-05-23T10:00:00Z') }, ['2026-05-23T09:30:00Z']),
        clock('C-1001', { kind: 'breached', lateMs: 66.5 * 3_600_000 }, [
          '2026-05-23T03:30:00Z',
          '2026-05-23T09:30:00Z',
          '2026-05-23T15:30:00Z',
          '2026-05-23T15:31:00Z',
        ]),
      ],
      'north',
      'bank holiday weekend',
    );
    // Assess: two clocks, two lines; 66.5 h is "2 days" late; the met one says when.
    expect(digest.subject).toBe('Bank holiday weekend EDT alerts for north: 2 clocks');
    const lines = digest.text.split('\n').filter((l) => l.startsWith('- '));
    expect(lines).toEqual([
      '- C-1001: LADO notification — BREACHED, 2 days late and not yet met. EDT alerted: due soon, Saturday 23 May 2026, 04:30 (BST); due soon, Saturday 23 May 2026, 10:30 (BST); due now, Saturday 23 May 2026, 16:30 (BST); BREACHED, Saturday 23 May 2026, 16:31 (BST). https://x.example/C-1001',
      '- C-1002: LADO notification — met on time (Saturday 23 May 2026, 11:00 (BST)). EDT alerted: due soon, Saturday 23 May 2026, 10:30 (BST). https://x.example/C-1002',
    ]);
  });

  it.each([
    ['2026-05-27', 'overnight'], // Wednesday after a Tuesday
    ['2026-06-01', 'weekend'], // Monday
    ['2026-05-26', 'bank holiday weekend'], // Tuesday after the Spring bank holiday
    ['2026-12-29', 'bank holiday weekend'], // Tuesday after Christmas (Fri) and Boxing Day (Mon, substitute)
    ['2026-01-02', 'bank holiday'], // Friday after New Year’s Day on a Thursday
  ] as const)('names the closed time before the opening on %s: %s', (date, period) => {
    expect(digestPeriod(calendar, date)).toBe(period);
  });
});

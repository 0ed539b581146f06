/**
 * A supervision's invitation as iCalendar text (RFC 5545): a one-hour slot ending at the due
 * time, attached to the reminder's email. Pure.
 */

/**
 * One supervision occurrence's invitation: one `uid` per occurrence, `sequence` rising when
 * its time changes, `CANCEL` when it is met, cancelled or the case closes.
 */
export interface Invitation {
  uid: string;
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  organizer: string;
  attendee: string;
  now: Date;
}

/** What the calendar entry says: its summary, description and link, and when the slot ends. */
export interface InvitationEntry {
  summary: string;
  description: string;
  url: string;
  end: Date;
}

/** RFC 5545 basic UTC form: 20260526T160000Z. */
export function icsInstant(at: Date): string {
  return `${at.toISOString().slice(0, 19).replaceAll('-', '').replaceAll(':', '')}Z`;
}

/** Escapes TEXT values (RFC 5545 §3.3.11). */
function icsText(text: string): string {
  return text
    .replaceAll('\\', '\\\\')
    .replaceAll(';', '\\;')
    .replaceAll(',', '\\,')
    .replaceAll('\n', '\\n');
}

/** Folds content lines at 75 octets (RFC 5545 §3.1); our text is ASCII. */
function fold(line: string): string {
  const chunks: string[] = [];
  let rest = line;
  chunks.push(rest.slice(0, 75));
  rest = rest.slice(75);
  while (rest.length > 0) {
    chunks.push(` ${rest.slice(0, 74)}`);
    rest = rest.slice(74);
  }
  return chunks.join('\r\n');
}

/** The invitation's slot: one hour ending at the due time. */
export const INVITATION_SLOT_MS = 3_600_000;

/**
 * An invitation to hold the supervision: a one-hour slot ending at the due time (close of
 * business on the last allowed day), which the recipient moves to a time that suits. The same
 * `uid` for every message about one occurrence, so calendars keep one entry; `CANCEL`
 * withdraws it.
 */
export function renderInvitation(event: InvitationEntry, invite: Invitation): string {
  const start = new Date(event.end.getTime() - INVITATION_SLOT_MS);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Timescales//Reminders//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${invite.method}`,
    'BEGIN:VEVENT',
    `UID:${invite.uid}`,
    `SEQUENCE:${invite.sequence}`,
    `DTSTAMP:${icsInstant(invite.now)}`,
    `DTSTART:${icsInstant(start)}`,
    `DTEND:${icsInstant(event.end)}`,
    `SUMMARY:${icsText(event.summary)}`,
    `DESCRIPTION:${icsText(event.description)}`,
    `URL:${event.url}`,
    `ORGANIZER:mailto:${invite.organizer}`,
    `ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:${invite.attendee}`,
    invite.method === 'CANCEL' ? 'STATUS:CANCELLED' : 'STATUS:CONFIRMED',
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/**
 * Email through SES v2, always as raw MIME we build ourselves, so every message carries our
 * `Date` and `Message-ID` (one per send claim: a re-send after a crash is the same message to
 * a mail client): multipart/alternative text and HTML bodies, and with an iCalendar invitation
 * multipart/mixed with a text/calendar part whose `method` matches the invitation's.
 */
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { emailMessageId } from '#kernel/ids.js';
import { sendId } from '#kernel/reminders/delivery.js';
import { type ClientSource, lazyClient } from '#platform/lazy.js';
import type { Channel, OutboundMessage } from '../ports.js';
import { toChannelError } from './errors.js';

export interface SesEmailOptions {
  from: string;
  configurationSet?: string | undefined;
}

export class SesEmailChannel implements Channel {
  readonly name = 'email' as const;
  private readonly client: () => Promise<SESv2Client>;

  /** `client` may be a factory: the SES package is then loaded on the first send. */
  constructor(
    client: ClientSource<SESv2Client>,
    private readonly options: SesEmailOptions,
  ) {
    this.client = lazyClient(client);
  }

  async send(message: OutboundMessage): Promise<{ messageId?: string }> {
    const id = sendId({ ...message.meta, channel: 'email' });
    const common = {
      FromEmailAddress: this.options.from,
      Destination: { ToAddresses: [message.to] },
      ...(this.options.configurationSet === undefined
        ? {}
        : { ConfigurationSetName: this.options.configurationSet }),
      // The send id comes back with the configuration set's events (delivered, bounced…);
      // a tag holds 256 characters, the header (`X-Timescales-Send`) any.
      EmailTags: [
        { Name: 'caseId', Value: tagValue(message.meta.caseId) },
        { Name: 'rule', Value: tagValue(message.meta.rule) },
        ...(id.length <= 256 ? [{ Name: 'sendId', Value: id }] : []),
      ],
    };
    const content = {
      Raw: { Data: new TextEncoder().encode(buildMime(this.options.from, message)) },
    };
    const [client, { SendEmailCommand }] = await Promise.all([
      this.client(),
      import('@aws-sdk/client-sesv2'),
    ]);
    try {
      const result = await client.send(new SendEmailCommand({ ...common, Content: content }));
      return result.MessageId === undefined ? {} : { messageId: result.MessageId };
    } catch (error) {
      throw toChannelError(error, 'email');
    }
  }
}

/** SES tag values allow [A-Za-z0-9_-] only. */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || '_';
}

/** RFC 2047 encoded-word for a UTF-8 header value. */
function encodeHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value)
    ? value
    : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function base64Lines(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g)
      ?.join('\r\n') ?? ''
  );
}

/** RFC 5322 date-time in UTC: `Tue, 26 May 2026 08:00:00 +0000`. */
export function rfc5322Date(at: Date): string {
  return at.toUTCString().replace(/GMT$/, '+0000');
}

/**
 * A raw MIME message: text and HTML bodies as alternatives and, with an invitation, the
 * invitation attached (`method` from its METHOD line); `Date` and `Message-ID` from the
 * message's headers (else now, and the id of its send claim).
 */
export function buildMime(from: string, message: OutboundMessage): string {
  const mixed = '=_timescales_mixed';
  const alt = '=_timescales_alt';
  const domain = from.slice(from.lastIndexOf('@') + 1).replace(/[^A-Za-z0-9.-]/g, '') || 'invalid';
  const date = message.headers?.date ?? new Date();
  const messageId = message.headers?.messageId ?? emailMessageId(message.meta, domain);
  const method = /^METHOD:([A-Z]+)\r?$/m.exec(message.ics ?? '')?.[1] ?? 'REQUEST';
  const alternative = [
    `Content-Type: multipart/alternative; boundary="${alt}"`,
    '',
    `--${alt}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(message.text),
    ...(message.html === undefined
      ? []
      : [
          `--${alt}`,
          'Content-Type: text/html; charset=UTF-8',
          'Content-Transfer-Encoding: base64',
          '',
          base64Lines(message.html),
        ]),
    `--${alt}--`,
  ];
  const lines = [
    `From: ${from}`,
    `To: ${message.to}`,
    `Subject: ${encodeHeader(message.subject ?? message.meta.caseId)}`,
    `Date: ${rfc5322Date(date)}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    `X-Timescales-Reminder: ${message.meta.reminderId.replace(/[^\x21-\x7e]/g, '_')}`,
    `X-Timescales-Send: ${sendId({ ...message.meta, channel: 'email' })}`,
    ...(message.ics === undefined
      ? alternative
      : [
          `Content-Type: multipart/mixed; boundary="${mixed}"`,
          '',
          `--${mixed}`,
          ...alternative,
          `--${mixed}`,
          `Content-Type: text/calendar; charset=UTF-8; method=${method}; name="invite.ics"`,
          'Content-Disposition: attachment; filename="invite.ics"',
          'Content-Transfer-Encoding: base64',
          '',
          base64Lines(message.ics),
          `--${mixed}--`,
        ]),
    '',
  ];
  return lines.join('\r\n');
}

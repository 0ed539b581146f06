/**
 * Email through SES v2. A plain message uses `Simple` content (HTML + text); one with an
 * iCalendar invitation is sent as raw MIME (multipart/mixed: alternative bodies + text/calendar).
 */
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { type ClientSource, lazyClient } from '#commons/lazy.js';
import type { Channel, OutboundMessage } from '#domain/ports.js';
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
    const subject = message.subject ?? message.meta.caseId;
    const common = {
      FromEmailAddress: this.options.from,
      Destination: { ToAddresses: [message.to] },
      ...(this.options.configurationSet === undefined
        ? {}
        : { ConfigurationSetName: this.options.configurationSet }),
      EmailTags: [
        { Name: 'caseId', Value: tagValue(message.meta.caseId) },
        { Name: 'rule', Value: tagValue(message.meta.rule) },
      ],
    };
    const content =
      message.ics === undefined
        ? {
            Simple: {
              Subject: { Data: subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: message.text, Charset: 'UTF-8' },
                ...(message.html === undefined
                  ? {}
                  : { Html: { Data: message.html, Charset: 'UTF-8' } }),
              },
            },
          }
        : { Raw: { Data: new TextEncoder().encode(buildMime(this.options.from, message)) } };
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

/** A raw MIME message with the text and HTML bodies and the invitation attached. */
export function buildMime(from: string, message: OutboundMessage): string {
  const mixed = '=_timescales_mixed';
  const alt = '=_timescales_alt';
  const lines = [
    `From: ${from}`,
    `To: ${message.to}`,
    `Subject: ${encodeHeader(message.subject ?? message.meta.caseId)}`,
    'MIME-Version: 1.0',
    `X-Timescales-Reminder: ${message.meta.reminderId.replace(/[^\x21-\x7e]/g, '_')}`,
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    '',
    `--${mixed}`,
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
    `--${mixed}`,
    'Content-Type: text/calendar; charset=UTF-8; method=REQUEST; name="invite.ics"',
    'Content-Disposition: attachment; filename="invite.ics"',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(message.ics ?? ''),
    `--${mixed}--`,
    '',
  ];
  return lines.join('\r\n');
}

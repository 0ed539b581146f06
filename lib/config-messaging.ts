/**
 * The messaging part of `timescales.config.json` (`lib/config.ts`): who sends email and SMS,
 * and the settings each provider needs — `email` and `sms` for AWS (SES and End User Messaging
 * SMS), `notify` for GOV.UK Notify — with the check that a file gives one provider's settings
 * and not the other's.
 */
import * as z from 'zod';

export const email = z.email({
  message: 'must be an email address, e.g. "timescales@example.gov.uk"',
});

/**
 * Who sends email and SMS: `aws` (SES and End User Messaging SMS, set up by the stack) or
 * `notify` (the authority's own GOV.UK Notify service, with `notify`).
 */
export const messagingSchema = z
  .object({
    provider: z.enum(['aws', 'notify'], {
      message: 'must be "aws" (SES and SMS) or "notify" (GOV.UK Notify)',
    }),
  })
  .strict()
  .default({ provider: 'aws' });

/**
 * GOV.UK Notify, with `messaging.provider` "notify": the ids of the service's generic
 * templates (email: subject `((subject))`, body `((body))`; text message: `((body))`), and
 * whether it has an inbound number whose texts reach our callback (alert texts then say
 * "Reply YES"). The API key and the callback token are Secrets Manager secrets the stack makes.
 */
export const notifySchema = z
  .object({
    emailTemplateId: z.uuid({
      message: 'must be the email template’s id (a UUID from Notify)',
    }),
    smsTemplateId: z.uuid({
      message: 'must be the text message template’s id (a UUID from Notify)',
    }),
    twoWay: z.boolean().default(false),
  })
  .strict();

export const emailSchema = z
  .object({
    /**
     * The From address; its domain becomes an SES identity unless `manageIdentity` is
     * false. With GOV.UK Notify (which sends from its own address) it only organises
     * calendar invitations (default: the fallback contact).
     */
    from: email,
    /** Create the SES domain identity (with Easy DKIM) for the From address's domain. */
    manageIdentity: z.boolean().default(true),
  })
  .strict();

export const smsSchema = z
  .object({
    /**
     * An existing origination identity (sender ID, phone number or pool) in AWS End User
     * Messaging SMS. When absent, a UK alphanumeric sender ID is created from `senderId`.
     */
    originationIdentityArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:(sender-id|phone-number|pool)\/[A-Za-z0-9_/-]+$/,
        'must be an sms-voice ARN of a sender-id, phone-number or pool, e.g. "arn:aws:sms-voice:eu-west-2:111122223333:sender-id/TIMESCALES/GB"',
      )
      .optional(),
    /**
     * Replies reach us: the origination identity is a phone number whose two-way channel
     * is the stack's inbound-SMS topic (output `InboundSmsTopicArn`). Alert SMS then say
     * "Reply YES to acknowledge". Sender IDs cannot receive replies.
     */
    twoWay: z.boolean().default(false),
    /** UK alphanumeric sender ID: 3–11 capital letters/digits, at least one letter. */
    senderId: z
      .string()
      .regex(
        /^(?=.*[A-Z])[A-Z0-9]{3,11}$/,
        'must be 3–11 capital letters or digits with at least one letter, e.g. "EXAMPLEBC"',
      )
      .optional(),
  })
  .strict()
  .refine((s) => s.originationIdentityArn !== undefined || s.senderId !== undefined, {
    message: 'give either originationIdentityArn or senderId',
  });

/**
 * The messaging problems of a configuration, each naming the field: each provider needs its
 * own settings, and takes no other's.
 */
export function messagingIssues(config: {
  messaging: { provider: 'aws' | 'notify' };
  email?: unknown;
  sms?: unknown;
  notify?: unknown;
}): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  if (config.messaging.provider === 'aws') {
    if (config.email === undefined)
      issues.push({
        path: ['email'],
        message: 'is required with the aws provider: { "from": "<address>" }',
      });
    if (config.sms === undefined)
      issues.push({
        path: ['sms'],
        message: 'is required with the aws provider: { "senderId": "<ID>" }',
      });
    if (config.notify !== undefined)
      issues.push({
        path: ['notify'],
        message: 'is for messaging.provider "notify"; remove it or set the provider',
      });
  } else {
    if (config.notify === undefined)
      issues.push({
        path: ['notify'],
        message:
          'is required with messaging.provider "notify": { "emailTemplateId": "<uuid>", "smsTemplateId": "<uuid>" }',
      });
    if (config.sms !== undefined)
      issues.push({
        path: ['sms'],
        message: 'is for the aws provider: GOV.UK Notify sends the texts',
      });
  }
  return issues;
}

/**
 * The inbound-SMS Lambda: AWS End User Messaging two-way SMS publishes each reply to our SNS
 * topic (`{originationNumber, messageBody, …}` as the message); a reply whose first word is
 * YES, from the number of a person an open alert went to, acknowledges their latest open
 * alert (`acknowledgeBySms`). Thin: parse each record, call the use case, log ids only (never
 * the number or the text). A store failure throws, so the invocation is retried; a retry is
 * harmless (an acknowledged clock answers "already").
 */
import type { SNSEvent } from 'aws-lambda';
import { entry, type LambdaHandler, lambda } from '#platform/lambda.js';
import * as z from '#schemas/zod.js';
import { type AckDeps, acknowledgeBySms, type SmsAckOutcome } from './acknowledge-alert.js';
import { awsSmsInboundDeps } from './wiring.js';

/** The two-way SMS payload, as much of it as we read. */
export const InboundSmsMessage = z.object({
  originationNumber: z.string().check(z.minLength(3), z.maxLength(32)),
  messageBody: z.string().check(z.maxLength(1600)),
  inboundMessageId: z.optional(z.string()),
});

export type SmsInboundHandler = LambdaHandler<SNSEvent, { outcomes: string[] }>;

export function makeHandler(deps: AckDeps): SmsInboundHandler {
  return lambda(async (event) => {
    const outcomes: string[] = [];
    for (const record of event.Records ?? []) {
      const message = parse(record.Sns?.Message);
      if (message === undefined) {
        deps.log?.warn('inbound sms not understood', { messageId: record.Sns?.MessageId });
        outcomes.push('not-understood');
        continue;
      }
      const outcome: SmsAckOutcome = await acknowledgeBySms(
        { from: message.originationNumber, body: message.messageBody },
        deps,
      );
      deps.log?.info('inbound sms', {
        inboundMessageId: message.inboundMessageId,
        outcome: outcome.status,
        ...('alert' in outcome ? { alertId: outcome.alert.alertId } : {}),
      });
      outcomes.push(outcome.status);
    }
    return { outcomes };
  });
}

function parse(text: string | undefined): z.infer<typeof InboundSmsMessage> | undefined {
  if (text === undefined) return undefined;
  try {
    const result = InboundSmsMessage.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** The Lambda: its dependencies built from the environment on the first invocation. */
export const handler = entry(() => makeHandler(awsSmsInboundDeps()));

/** SMS through AWS End User Messaging SMS (`SendTextMessage`), transactional. */
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { sendId } from '#kernel/reminders/delivery.js';
import { type ClientSource, lazyClient } from '#platform/lazy.js';
import type { Channel, OutboundMessage } from '../ports.js';
import { toChannelError } from './errors.js';

export interface SmsOptions {
  originationIdentity?: string | undefined;
  configurationSet?: string | undefined;
}

export class EndUserMessagingSmsChannel implements Channel {
  readonly name = 'sms' as const;
  private readonly client: () => Promise<PinpointSMSVoiceV2Client>;

  /** `client` may be a factory: the SMS package is then loaded on the first send. */
  constructor(
    client: ClientSource<PinpointSMSVoiceV2Client>,
    private readonly options: SmsOptions = {},
  ) {
    this.client = lazyClient(client);
  }

  async send(message: OutboundMessage): Promise<{ messageId?: string }> {
    const [client, { SendTextMessageCommand }] = await Promise.all([
      this.client(),
      import('@aws-sdk/client-pinpoint-sms-voice-v2'),
    ]);
    try {
      const result = await client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: message.to,
          MessageBody: message.text,
          MessageType: 'TRANSACTIONAL',
          ...(this.options.originationIdentity === undefined
            ? {}
            : { OriginationIdentity: this.options.originationIdentity }),
          ...(this.options.configurationSet === undefined
            ? {}
            : { ConfigurationSetName: this.options.configurationSet }),
          // Handed back with the SMS events (delivered, not delivered): the send id finds it.
          Context: {
            caseId: message.meta.caseId,
            reminderId: message.meta.reminderId,
            sendId: sendId({ ...message.meta, channel: 'sms' }),
          },
        }),
      );
      return result.MessageId === undefined ? {} : { messageId: result.MessageId };
    } catch (error) {
      throw toChannelError(error, 'sms');
    }
  }
}

/** SMS through AWS End User Messaging SMS (`SendTextMessage`), transactional. */
import {
  type PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { Channel, OutboundMessage } from '../../domain/reminders/ports.js';
import { toChannelError } from './errors.js';

export interface SmsOptions {
  originationIdentity?: string | undefined;
  configurationSet?: string | undefined;
}

export class EndUserMessagingSmsChannel implements Channel {
  readonly name = 'sms' as const;

  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    private readonly options: SmsOptions = {},
  ) {}

  async send(message: OutboundMessage): Promise<{ messageId?: string }> {
    try {
      const result = await this.client.send(
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
          Context: { caseId: message.meta.caseId, reminderId: message.meta.reminderId },
        }),
      );
      return result.MessageId === undefined ? {} : { messageId: result.MessageId };
    } catch (error) {
      throw toChannelError(error, 'sms');
    }
  }
}

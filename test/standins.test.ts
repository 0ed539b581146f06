import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describe, expect, inject, it } from 'vitest';

describe('embedded stand-ins', () => {
  it('serves the DynamoDB API through the real SDK client', async () => {
    // Prepare
    const client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint') });
    // Act
    const result = await client.send(new ListTablesCommand({}));
    // Assess
    expect(Array.isArray(result.TableNames)).toBe(true);
  });

  it('accepts and stores an SES v2 email', async () => {
    // Prepare
    const endpoint = inject('sesEndpoint');
    const client = new SESv2Client({ endpoint });
    const subject = `stand-in check ${Date.now()}`;
    // Act
    await client.send(
      new SendEmailCommand({
        FromEmailAddress: 'timescales@example.gov.uk',
        Destination: { ToAddresses: ['manager.one@example.gov.uk'] },
        Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: 'C-1001' } } } },
      }),
    );
    // Assess
    const store = (await (await fetch(`${endpoint}/store`)).json()) as {
      emails: { subject: string }[];
    };
    expect(store.emails.map((e) => e.subject)).toContain(subject);
  });
});

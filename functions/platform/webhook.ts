/**
 * Standard Webhooks verification (https://www.standardwebhooks.com): HMAC-SHA256 over
 * `id.timestamp.body`, timestamps more than 5 minutes off refused (the package's tolerance).
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { UnauthorizedError } from './errors.js';
import { header } from './http.js';

export const WEBHOOK_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

export interface WebhookVerifier {
  verify(rawBody: Buffer, headers: Record<string, string | undefined> | undefined): void;
}

export function makeWebhookVerifier(secret: string): WebhookVerifier {
  const webhook = new Webhook(secret);
  return {
    verify(rawBody, headers) {
      const missing = WEBHOOK_HEADERS.filter((name) => !header(headers, name));
      if (missing.length > 0) {
        throw new UnauthorizedError(`missing ${missing.join(', ')}`, {
          errors: missing.map((field) => ({ field: `header.${field}`, message: 'required' })),
        });
      }
      const values = Object.fromEntries(
        WEBHOOK_HEADERS.map((name) => [name, header(headers, name) as string]),
      );
      try {
        webhook.verify(rawBody, values, { jsonParse: false });
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        const timestampProblem = /timestamp/i.test(error.message);
        throw new UnauthorizedError(
          timestampProblem
            ? 'the webhook timestamp is invalid or more than 5 minutes off'
            : 'the signature does not match',
          {
            cause: error,
            errors: [
              timestampProblem
                ? { field: 'header.webhook-timestamp', message: 'stale, future or invalid' }
                : { field: 'header.webhook-signature', message: 'no matching signature' },
            ],
          },
        );
      }
    },
  };
}

/** Signs a body the way a sender does: the headers to send with it (demo, tests, local mode). */
export function signWebhook(
  secret: string,
  body: string,
  options: { id?: string; at?: Date } = {},
): Record<(typeof WEBHOOK_HEADERS)[number], string> {
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const at = options.at ?? new Date();
  const signature = new Webhook(secret).sign(id, at, body);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  };
}

/**
 * `npx timescales send`: what a back-office system does, from a shell. Reads events (one JSON
 * object, an array, or one object a line), signs each with Standard Webhooks — the secret in
 * WEBHOOK_SECRET, else `npm start`'s development secret — and POSTs them in order to a running
 * server: `--url`, else BASE_URL, else http://127.0.0.1:$PORT (PORT default 3000). Stops at
 * the first event the server refuses.
 */
import { signWebhook } from '#platform/webhook.js';
import { DEV_WEBHOOK_SECRET, localBaseUrl } from './local-defaults.js';

/** An event not accepted, or a server not reached: told in one message, exit code 1. */
export class SendError extends Error {
  override name = 'SendError';
}

/** Input that holds no events to send (not JSON, not objects): bad input, exit code 2. */
export class InvalidEventsError extends Error {
  override name = 'InvalidEventsError';
}

export interface SendResult {
  id: string;
  type: string;
  status: number;
}

/** The events in `text`: a JSON object, a JSON array of them, or JSON Lines. */
export function parseEvents(text: string, source: string): Record<string, unknown>[] {
  let parsed: unknown[];
  try {
    const whole: unknown = JSON.parse(text);
    parsed = Array.isArray(whole) ? whole : [whole];
  } catch {
    parsed = text.split('\n').flatMap((line, index) => {
      if (line.trim() === '') return [];
      try {
        return [JSON.parse(line) as unknown];
      } catch (error) {
        throw new InvalidEventsError(
          `${source} line ${index + 1} is not JSON: ${(error as Error).message}`,
        );
      }
    });
  }
  if (parsed.length === 0) throw new InvalidEventsError(`${source} holds no events`);
  return parsed.map((event, index) => {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw new InvalidEventsError(`${source}: event ${index + 1} is not a JSON object`);
    }
    return event as Record<string, unknown>;
  });
}

export interface SendOptions {
  /** @default localBaseUrl(env) */
  baseUrl?: string | undefined;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Hears each accepted event as soon as it is. */
  onResult?: (result: SendResult) => void;
}

/** Signs and POSTs each event to `<baseUrl>/v1/events`, in order; throws at the first refusal. */
export async function sendEvents(
  events: Record<string, unknown>[],
  options: SendOptions = {},
): Promise<SendResult[]> {
  const env = options.env ?? process.env;
  const baseUrl = (options.baseUrl ?? localBaseUrl(env)).replace(/\/+$/, '');
  const secret = env.WEBHOOK_SECRET ?? DEV_WEBHOOK_SECRET;
  const results: SendResult[] = [];
  for (const event of events) {
    const body = JSON.stringify(event);
    const id = typeof event.id === 'string' ? event.id : undefined;
    const type = String(event.type);
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/v1/events`, {
        method: 'POST',
        // The event id as the webhook id, as docs/operations.md asks of a sender.
        headers: {
          'content-type': 'application/json',
          ...signWebhook(secret, body, id === undefined ? {} : { id }),
        },
        body,
      });
    } catch (error) {
      const cause =
        (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new SendError(
        `cannot reach ${baseUrl} (${cause}): is \`npm start\` running? Set PORT or BASE_URL to its address`,
      );
    }
    const answer = await response.text();
    if (!response.ok) throw new SendError(refusal(id ?? '(no id)', type, response.status, answer));
    const result = { id: id ?? '(no id)', type, status: response.status };
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

/** One line from a problem answer: its detail and the fields it names. */
function refusal(id: string, type: string, status: number, answer: string): string {
  let detail = answer;
  try {
    const problem = JSON.parse(answer) as {
      title?: string;
      detail?: string;
      errors?: { field: string; message: string }[];
    };
    detail = [
      problem.detail ?? problem.title ?? '',
      ...(problem.errors ?? []).map((e) => `${e.field}: ${e.message}`),
    ]
      .filter((part) => part !== '')
      .join('; ');
  } catch {
    // Not a problem document: quote the answer as it came.
  }
  return `event ${id} (${type}) was refused with ${status}: ${detail}`;
}

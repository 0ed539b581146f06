/**
 * Realistic, signed webhook traffic for benchmarks: synthetic cases (C-1001, C-1002, …) each
 * walking through a lifecycle that touches every rule family, interleaved round-robin so
 * consecutive events land on different cases (as a busy council's feed would). Every event
 * id is unique. People are obviously fake professionals; there is no child's data anywhere.
 */
import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** The secret benches sign with (never a deployment's). */
export const BENCH_SECRET = `whsec_${Buffer.from('timescales-bench-secret-32-bytes').toString('base64')}`;

type Body = Record<string, unknown>;
type Step = (ctx: { caseId: string; n: number; round: number; at: string }) => Body;

const person = (n: number) => `P-${String(n % 10_000).padStart(4, '0')}`;
const teams = ['north-assessment', 'south-assessment', 'east-cin', 'west-cin'] as const;
const team = (n: number) => teams[n % teams.length] as string;

/** One case's lifecycle: the order a case management system would send these in. */
const LIFECYCLE: Step[] = [
  ({ n, at }) => ({
    type: 'person.upserted',
    occurredAt: at,
    data: {
      personId: person(n),
      name: `Test Worker ${person(n)}`,
      email: `test.worker.${person(n).toLowerCase()}@example.gov.uk`,
      team: team(n),
    },
  }),
  ({ caseId, n, at }) => ({
    type: 'case.opened',
    occurredAt: at,
    caseId,
    data: {
      team: team(n),
      riskLevel: n % 5 === 0 ? 'high' : 'standard',
      jointWithMentalHealth: n % 2 === 0,
      workers: [
        { personId: person(n), role: 'allocated-worker' },
        { personId: person(n + 1), role: 'team-manager' },
      ],
    },
  }),
  ({ caseId, round, at }) => ({
    type: 'lado.concern-raised',
    occurredAt: at,
    caseId,
    data: { allegationId: `A-${round}` },
  }),
  ({ caseId, at }) => ({
    type: 'supervision.held',
    occurredAt: at,
    caseId,
    data: { kind: 'joint' },
  }),
  ({ caseId, round, at }) => ({
    type: 'disagreement.raised',
    occurredAt: at,
    caseId,
    data: { disagreementId: `D-${round}` },
  }),
  ({ caseId, round, at }) => ({
    type: 'lado.notified',
    occurredAt: at,
    caseId,
    data: { allegationId: `A-${round}` },
  }),
  ({ caseId, at }) => ({
    type: 'coworking.started',
    occurredAt: at,
    caseId,
    data: { reviewEveryWeeks: 4 },
  }),
  ({ caseId, n, at }) => ({
    type: 'case.updated',
    occurredAt: at,
    caseId,
    data: { riskLevel: n % 5 === 0 ? 'standard' : 'high' },
  }),
  ({ caseId, n, at }) => ({
    type: 'building-bridges.started',
    occurredAt: at,
    caseId,
    data: { personId: person(n + 2) },
  }),
  ({ caseId, round, at }) => ({
    type: 'lado.responded',
    occurredAt: at,
    caseId,
    data: { allegationId: `A-${round}` },
  }),
  ({ caseId, round, at }) => ({
    type: 'disagreement.resolved',
    occurredAt: at,
    caseId,
    data: { disagreementId: `D-${round}` },
  }),
  ({ caseId, at }) => ({
    type: 'supervision.held',
    occurredAt: at,
    caseId,
    data: { kind: 'co-working' },
  }),
  ({ caseId, at }) => ({ type: 'coworking.ended', occurredAt: at, caseId, data: {} }),
  ({ caseId, at }) => ({
    type: 'supervision.held',
    occurredAt: at,
    caseId,
    data: { kind: 'building-bridges' },
  }),
  ({ caseId, at }) => ({ type: 'building-bridges.ended', occurredAt: at, caseId, data: {} }),
  ({ caseId, n, at }) => ({
    type: 'case.updated',
    occurredAt: at,
    caseId,
    data: { team: team(n + 1) },
  }),
];

export const LIFECYCLE_LENGTH = LIFECYCLE.length;

/** The share of each event type in a stream (a full lifecycle is the repeating unit). */
export function eventMix(): Record<string, number> {
  const mix: Record<string, number> = {};
  LIFECYCLE.forEach((step, i) => {
    const type = step({ caseId: 'C-1001', n: i, round: 1, at: '' }).type as string;
    mix[type] = (mix[type] ?? 0) + 1 / LIFECYCLE.length;
  });
  return mix;
}

/**
 * An endless stream of unique events over `cases` synthetic cases. `tag` makes the ids unique
 * across streams (runs). `occurredAt` is the wall clock when each body is made (seconds).
 */
export function eventStream(options: { cases: number; tag: string; firstCase?: number }) {
  const first = options.firstCase ?? 1001;
  let k = 0;
  return {
    /** The next event's JSON body. */
    next(): string {
      const caseIndex = k % options.cases;
      const turn = Math.floor(k / options.cases);
      const step = LIFECYCLE[turn % LIFECYCLE.length] as Step;
      const round = Math.floor(turn / LIFECYCLE.length) + 1;
      const at = `${new Date().toISOString().slice(0, 19)}Z`;
      const body = step({ caseId: `C-${first + caseIndex}`, n: first + caseIndex, round, at });
      const id = `evt-${options.tag}-${k++}`;
      // Envelope keys first, as senders usually write them.
      return JSON.stringify({ id, ...body });
    },
    get count(): number {
      return k;
    },
  };
}

/** Standard Webhooks signing with a precomputed key (cheap enough to sign each request). */
export function makeSigner(secret: string = BENCH_SECRET) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  let n = 0;
  return (body: string, at: Date = new Date()): Record<string, string> => {
    const id = `msg_bench_${process.pid}_${n++}`;
    const timestamp = String(Math.floor(at.getTime() / 1000));
    const signature = createHmac('sha256', key)
      .update(`${id}.${timestamp}.${body}`)
      .digest('base64');
    return {
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signature}`,
    };
  };
}

/** A signed API Gateway (HTTP API v2) event for POST /v1/events, as the Lambda receives it. */
export function signedApiEvent(
  body: string,
  sign: ReturnType<typeof makeSigner>,
): APIGatewayProxyEventV2 {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: 'POST /v1/events',
    rawPath: '/v1/events',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...sign(body, now) },
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: 'bench',
      apiId: 'bench',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: 'POST',
        path: '/v1/events',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'bench',
      },
      requestId: 'bench',
      routeKey: 'POST /v1/events',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
  };
}

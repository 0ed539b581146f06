/**
 * `bench:fire`'s scenario and set-up: the authority, the instant every reminder falls due,
 * the people; seeding cases straight into the table; the DynamoDB calls counted while firing;
 * the raw PutItem baseline.
 */
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import type { CaseAggregate } from '#kernel/model.js';
import type { Timer } from '#kernel/timers.js';
import { serializeAggregate } from '#platform/dynamodb/codec.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import { CaseEvent } from '#schemas/events.js';

export const AUTHORITY: AuthorityConfig = {
  authority: 'Example Council (bench)',
  division: 'england-and-wales',
  preset: 'southampton',
  links: { caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}' },
};

// Monday 1 June 2026 16:00 BST: every concern raised; the 24-hour LADO notification clock's
// 50% reminder is due at Tuesday 04:00 BST (out of hours: the EDT manager on the rota).
export const RAISED = '2026-06-01T15:00:00Z';
export const INSTANT = new Date('2026-06-02T03:00:00Z');
export const AFTER = new Date(INSTANT.getTime() + 60_000);
export const LADOS = Array.from({ length: 10 }, (_, i) => `P-L${String(i + 1).padStart(3, '0')}`);
export const MANAGER = 'P-M001';
export const EDT = {
  personId: 'P-E001',
  email: 'edt.manager.bench@example.gov.uk',
  phone: '+447700900901',
};

export async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i] as T);
    }),
  );
}

/** Raw PutItem rate against the same DynamoDB Local, SEED_CONCURRENCY in flight, ~2 s. */
export async function putItemRate(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<number> {
  let n = 0;
  const until = performance.now() + 2_000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 24 }, async () => {
      while (performance.now() < until) {
        const i = n++;
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: `BENCH#${i}`, sk: 'PUT', value: 'x'.repeat(200), n: i },
          }),
        );
      }
    }),
  );
  return n / ((performance.now() - start) / 1000);
}

export async function sesCount(endpoint: string): Promise<number> {
  const response = await fetch(`${endpoint}/store`);
  const body = (await response.json()) as { emails?: unknown[] };
  return body.emails?.length ?? 0;
}

/** Per command: calls and total milliseconds while firing (printed with FIRE_PROFILE=1). */
export const profile = new Map<string, { calls: number; ms: number }>();
let profiling = false;

/** Counts calls from now (`true`) or stops counting. */
export function profileCalls(on: boolean): void {
  profiling = on;
}

export function instrument(client: DynamoDBDocumentClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!profiling) return next(args);
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        const name = String((context as { commandName?: string }).commandName);
        const entry = profile.get(name) ?? { calls: 0, ms: 0 };
        entry.calls++;
        entry.ms += performance.now() - started;
        profile.set(name, entry);
      }
    },
    { step: 'initialize', name: 'benchProfile' },
  );
}

/**
 * How the cases are set up: `ingest` sends every event through the ingest use case (the real
 * path, ~30 events/s per core here: too slow for 10,000 cases in a bench); `direct` applies
 * the same events with the same engine in memory and writes the resulting case items (the
 * shape `DynamoCaseStore.commitCase` writes) and the plan's timers due at the instant through
 * the `Scheduler` port, 25 to a batch. The fire path is the same either way.
 */
export type Seed = 'ingest' | 'direct';

export const caseOpened = (caseId: string) => ({
  team: 'north',
  workers: [
    { personId: MANAGER, role: 'team-manager' },
    { personId: LADOS[Number(caseId.slice(2)) % LADOS.length] as string, role: 'lado' },
  ],
});

export async function seedDirect(
  client: DynamoDBDocumentClient,
  tableName: string,
  caseIds: readonly string[],
  scheduler: { schedule(timers: Timer[]): Promise<void> },
): Promise<void> {
  const engine = makeCaseEngine(AUTHORITY);
  const now = new Date(RAISED);
  const items: Record<string, unknown>[] = [];
  const timers: Timer[] = [];
  for (const caseId of caseIds) {
    let aggregate: CaseAggregate | undefined;
    let version = 0;
    for (const [type, occurredAt, data] of [
      ['case.opened', '2026-06-01T14:30:00Z', caseOpened(caseId)],
      ['lado.concern-raised', RAISED, { allegationId: 'A-1' }],
    ] as const) {
      const event = CaseEvent.parse({
        id: `SEED-${caseId}-${type}`,
        type,
        occurredAt,
        caseId,
        data,
      });
      aggregate = engine.applyEvent(aggregate, event, now).aggregate;
      version++;
    }
    const after = aggregate as CaseAggregate;
    items.push({
      pk: `CASE#${caseId}`,
      sk: 'CASE',
      entity: 'case',
      caseId,
      version,
      updatedAt: now.toISOString(),
      aggregate: serializeAggregate(after),
    });
    timers.push(
      ...engine.planTimers(after, now).filter((t) => t.fireAt.getTime() === INSTANT.getTime()),
    );
  }
  const chunks = (n: number) =>
    Array.from({ length: Math.ceil(items.length / n) }, (_, i) => i * n);
  await pool(chunks(25), 8, async (from) => {
    let pending = items.slice(from, from + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error('seed: unprocessed items');
      const out = await client.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  });
  await pool(
    Array.from({ length: Math.ceil(timers.length / 250) }, (_, i) => i * 250),
    8,
    (from) => scheduler.schedule(timers.slice(from, from + 250)),
  );
}

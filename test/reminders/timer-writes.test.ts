/**
 * The local driver's timer writes, coalesced (`WriteCoalescer`): concurrent callers share
 * BatchWriteItems of at most 25, never with one key twice; a key's writes land in the order
 * they were asked for; a failed batch fails its own callers only. And through the timer store
 * on DynamoDB Local: a burst of concurrent `schedule` calls is a handful of calls, in batches
 * or (the scheduler stand-in's database on disk) in transactions of up to 100.
 */
import { describe, expect, inject, it, vi } from 'vitest';
import type { WriteRequest } from '#platform/dynamodb/batch.js';
import { DynamoTimerStore, WriteCoalescer } from '#platform/dynamodb/timer-store.js';
import { freshTable } from '#test/api/support.js';

/** A table in memory behind a slow BatchWriteItem, remembering each batch's keys. */
function slowTable(failOn?: string) {
  const items = new Map<string, unknown>();
  const batches: string[][] = [];
  const write = async (requests: WriteRequest[]) => {
    const keys = requests.map((r) => String((r.PutRequest?.Item ?? r.DeleteRequest?.Key)?.pk));
    batches.push(keys);
    // The first batch is the slowest: a later one in flight beside it would land first.
    await new Promise((done) => setTimeout(done, batches.length === 1 ? 20 : 2));
    if (failOn !== undefined && keys.includes(failOn)) throw new Error('store unavailable');
    for (const r of requests) {
      if (r.PutRequest !== undefined) items.set(String(r.PutRequest.Item?.pk), r.PutRequest.Item);
      else items.delete(String(r.DeleteRequest?.Key?.pk));
    }
  };
  return { items, batches, write };
}
const put = (pk: string, value = 1): WriteRequest => ({
  PutRequest: { Item: { pk, sk: 'TIMER', value } },
});
const del = (pk: string): WriteRequest => ({ DeleteRequest: { Key: { pk, sk: 'TIMER' } } });

describe('coalesced timer writes', () => {
  it('gathers 100 concurrent single writes into a few batches of at most 25', async () => {
    const table = slowTable();
    const writes = new WriteCoalescer(table.write);
    await Promise.all(Array.from({ length: 100 }, (_, i) => writes.submit([put(`T${i}`)])));
    expect(table.items.size).toBe(100);
    // One in flight at a time: the first goes alone, the rest wait and go 25 at a time.
    expect(table.batches.length).toBeLessThanOrEqual(6);
    for (const batch of table.batches) expect(batch.length).toBeLessThanOrEqual(25);
  });

  it('keeps each key’s writes in the order asked, never one key twice in a batch', async () => {
    const table = slowTable();
    const writes = new WriteCoalescer(table.write, 2);
    await Promise.all([
      writes.submit([put('A', 1)]),
      writes.submit([del('A')]),
      writes.submit([put('B', 1), put('C', 1)]),
      writes.submit([put('B', 2)]),
      writes.submit([del('C')]),
    ]);
    expect(table.items.has('A')).toBe(false);
    expect(table.items.get('B')).toMatchObject({ value: 2 });
    expect(table.items.has('C')).toBe(false);
    for (const batch of table.batches) expect(new Set(batch).size).toBe(batch.length);
  });

  it('fails the callers of a failed batch, and only them', async () => {
    const table = slowTable('BAD');
    const writes = new WriteCoalescer(table.write, 1);
    const first = writes.submit([put('OK-1')]);
    // Queued behind the first: these two share the next batch, which fails.
    const failing = writes.submit([put('BAD')]);
    const sharing = writes.submit([put('OK-2')]);
    await first;
    await expect(failing).rejects.toThrow('store unavailable');
    await expect(sharing).rejects.toThrow('store unavailable');
    await writes.submit([put('OK-3')]);
    expect([...table.items.keys()]).toEqual(['OK-1', 'OK-3']);
  });
});

describe('the timer store on DynamoDB Local', () => {
  it('puts 200 timers scheduled one at a time, at once, in a handful of BatchWriteItems', async () => {
    const table = await freshTable(inject('dynamoEndpoint'), 'timer-writes');
    const store = new DynamoTimerStore(table.client, table.tableName);
    const fireAt = new Date('2026-06-02T03:30:00Z');
    const sent = vi.spyOn(table.client, 'send');
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.put([
          {
            name: `timer-${i}`,
            fireAt,
            payload: { caseId: `C-${i}`, deadlineId: 'd', kind: 'escalation', version: 1 },
          },
        ]),
      ),
    );
    const calls = sent.mock.calls.length;
    sent.mockRestore();
    expect((await store.all()).filter((t) => t.name.startsWith('timer-'))).toHaveLength(200);
    // 200 requests at 25 a batch: at least 8 calls; far fewer than one each.
    expect(calls).toBeGreaterThanOrEqual(8);
    expect(calls).toBeLessThanOrEqual(20);
  });

  it('written in transactions: 200 timers in a few calls of at most 100, deletes in order', async () => {
    const table = await freshTable(inject('dynamoEndpoint'), 'timer-transactions');
    const store = new DynamoTimerStore(table.client, table.tableName, { writes: 'transaction' });
    const timer = (i: number, fireAt: string) => ({
      name: `timer-${i}`,
      fireAt: new Date(fireAt),
      payload: { caseId: `C-${i}`, deadlineId: 'd', kind: 'escalation' as const, version: 1 },
    });
    const sent = vi.spyOn(table.client, 'send');
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.put([timer(i, '2026-06-02T03:30:00Z')])),
    );
    const sizes = sent.mock.calls.map(
      ([command]) => (command.input as { TransactItems?: unknown[] }).TransactItems?.length ?? 0,
    );
    sent.mockRestore();
    // 200 at up to 100 a call: at least 2, never a call a timer; none a BatchWriteItem.
    expect(sizes.length).toBeGreaterThanOrEqual(2);
    expect(sizes.length).toBeLessThanOrEqual(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(200);
    // A delete then a put of one timer, asked together: the put wins, as asked last.
    await Promise.all([
      store.delete(['timer-0', 'timer-1']),
      store.put([timer(0, '2026-06-02T04:00:00Z')]),
    ]);
    const left = await store.all();
    expect(left).toHaveLength(199);
    expect(left.find((t) => t.name === 'timer-0')?.fireAt).toEqual(
      new Date('2026-06-02T04:00:00Z'),
    );
    expect(left.some((t) => t.name === 'timer-1')).toBe(false);
  });
});

/**
 * Reading a query's pages, through the SDK's own paginator (`paginateQuery`, which follows
 * `LastEvaluatedKey`): every item, or the first `limit` a predicate keeps.
 */
import {
  type DynamoDBDocumentClient,
  paginateQuery,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

import { type CursorKey, decodeCursor, encodeCursor, invalidCursor } from './cursor.js';

type Item = Record<string, unknown>;

/** Every item the query matches, page after page. */
export async function queryAll(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of paginateQuery({ client }, input)) items.push(...(page.Items ?? []));
  return items;
}

/**
 * The first `limit` items `keep` accepts, page after page (a page ends early once `limit` are
 * found). `more` is true when the query stopped at `limit` rather than running out of items.
 */
export async function queryUpTo(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
  limit: number,
  keep: (item: Item) => boolean = () => true,
): Promise<{ items: Item[]; more: boolean }> {
  const items: Item[] = [];
  for await (const page of paginateQuery({ client }, input)) {
    for (const item of page.Items ?? []) {
      if (!keep(item)) continue;
      items.push(item);
      if (items.length === limit) return { items, more: true };
    }
  }
  return { items, more: false };
}

/**
 * One page of a list: `limit` items (those `keep` accepts) from the page's cursor on, and the
 * cursor of the next page when there may be more (`cursor.ts`). DynamoDB refuses a start key
 * it cannot use (outside the key condition's range): with a caller's cursor that is the
 * caller's error, not a 500.
 */
export async function queryPage(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
  page: { limit: number; cursor?: string | undefined; key: CursorKey },
  keep?: (item: Item) => boolean,
): Promise<{ items: Item[]; nextCursor?: string }> {
  let found: { items: Item[]; more: boolean };
  try {
    found = await queryUpTo(
      client,
      { ...input, ExclusiveStartKey: decodeCursor(page.cursor, page.key) },
      page.limit,
      keep,
    );
  } catch (error) {
    if (page.cursor !== undefined && (error as Error).name === 'ValidationException')
      throw invalidCursor();
    throw error;
  }
  const last = found.items.at(-1);
  // A page cut short at `limit` may have more after it: the next starts after its last item.
  if (!found.more || last === undefined) return { items: found.items };
  return { items: found.items, nextCursor: encodeCursor(last, page.key) };
}

/**
 * Reading a query's pages, through the SDK's own paginator (`paginateQuery`, which follows
 * `LastEvaluatedKey`): every item, or the first `limit` a predicate keeps.
 */
import {
  type DynamoDBDocumentClient,
  paginateQuery,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

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

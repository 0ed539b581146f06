/**
 * The one cursor codec of every paged list: a cursor is the key attributes of a page's last
 * item (its table key, and the index key when the list reads an index), as base64url JSON. A
 * cursor this API did not hand out for this list — not decodable, other attributes, another
 * partition — is the caller's error (a 400 naming `cursor`), never a 500.
 */
import { ValidationError } from '#kernel/errors.js';

/** Which key a list's cursors hold, and the partition they must be in. */
export interface CursorKey {
  /** The key attributes, e.g. `['pk', 'sk', 'gsi1pk', 'gsi1sk']`. */
  names: readonly string[];
  /** The attribute holding the list's partition (`pk`, `gsi1pk`, …) and its value. */
  partitionName: string;
  partition: string;
}

/** A list on an index: its cursors hold the table key and the index key, in its partition. */
export function indexCursor(
  index: { readonly partitionKey: string; readonly sortKey: string },
  partition: string,
): CursorKey {
  return {
    names: ['pk', 'sk', index.partitionKey, index.sortKey],
    partitionName: index.partitionKey,
    partition,
  };
}

/** A list on the table itself: its cursors hold the table key, in its partition. */
export function tableCursor(partition: string): CursorKey {
  return { names: ['pk', 'sk'], partitionName: 'pk', partition };
}

export function invalidCursor(): ValidationError {
  return new ValidationError('cursor is not one this API returned for this query', {
    errors: [{ field: 'cursor', message: 'invalid cursor' }],
  });
}

export function encodeCursor(item: Record<string, unknown>, key: CursorKey): string {
  return Buffer.from(
    JSON.stringify(Object.fromEntries(key.names.map((n) => [n, item[n]]))),
  ).toString('base64url');
}

/** The start key a cursor stands for (undefined: the first page). */
export function decodeCursor(
  cursor: string | undefined,
  key: CursorKey,
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded))
    throw invalidCursor();
  const record = decoded as Record<string, unknown>;
  if (Object.keys(record).length !== key.names.length) throw invalidCursor();
  if (!key.names.every((n) => typeof record[n] === 'string' && record[n] !== ''))
    throw invalidCursor();
  if (record[key.partitionName] !== key.partition) throw invalidCursor();
  return record as Record<string, string>;
}

/**
 * The single table's key schema, shared by the local stand-in (created at start-up) and
 * the CDK stack (which must declare the same keys and indexes). Generic key names keep the
 * table open to new access patterns without a migration.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Overloaded index 1: deadlines by status/team and due time (manager lists). */
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Overloaded index 2: timers by fire time (the local scheduler driver), digests. */
  gsi2: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  /** Epoch seconds; DynamoDB TTL deletes expired idempotency and claim records. */
  ttlAttribute: 'expiresAt',
} as const;

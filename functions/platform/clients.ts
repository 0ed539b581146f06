/**
 * AWS SDK clients with the options the adapters rely on. The wiring (`functions/<feature>/wiring.ts`)
 * makes the process's clients once and injects them; tests build their own against the
 * stand-ins.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** A document client with the marshalling options the adapters rely on. */
export function makeDocumentClient(
  options: { endpoint?: string | undefined } = {},
): DynamoDBDocumentClient {
  const base = new DynamoDBClient(
    options.endpoint === undefined ? {} : { endpoint: options.endpoint },
  );
  return DynamoDBDocumentClient.from(base, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}

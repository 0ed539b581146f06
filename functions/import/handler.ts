/**
 * The drop bucket's import Lambda. Invoked by the bucket's object-created notifications — an S3
 * event notification (`Records[].s3`) or its EventBridge form (`detail-type: Object Created`) —
 * and by itself (`{continue: {bucket, key, version}}`) to resume an import that ran out of time.
 * Thin: read which objects, import each (`importObject`), log the outcome.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { entry, lambda } from '#platform/lambda.js';
import { makeMetrics, powertoolsMetrics } from '#platform/metrics.js';
import type { ImportObject } from './ports.js';
import { importObject, type ObjectOutcome, type ObjectRunDeps } from './run-object.js';
import { awsImportObjectDeps } from './wiring.js';

interface S3Notification {
  Records?: {
    s3?: {
      bucket?: { name?: string };
      object?: { key?: string; versionId?: string; eTag?: string };
    };
  }[];
}
interface BridgeNotification {
  'detail-type'?: string;
  detail?: {
    bucket?: { name?: string };
    object?: { key?: string; 'version-id'?: string; etag?: string };
  };
}
export type ImportEvent = S3Notification | BridgeNotification | { continue?: ImportObject };

/** The objects an invocation is about (an S3 notification's keys are URL-encoded). */
export function objectsOf(event: ImportEvent): ImportObject[] {
  const version = (versionId?: string, etag?: string) => versionId ?? `"${etag ?? ''}"`;
  if ('continue' in event && event.continue !== undefined) return [event.continue];
  if ('Records' in event && event.Records !== undefined) {
    return event.Records.flatMap(({ s3 }) =>
      s3?.bucket?.name === undefined || s3.object?.key === undefined
        ? []
        : [
            {
              bucket: s3.bucket.name,
              key: decodeURIComponent(s3.object.key.replace(/\+/g, ' ')),
              version: version(s3.object.versionId, s3.object.eTag),
            },
          ],
    );
  }
  const detail = (event as BridgeNotification).detail;
  if (detail?.bucket?.name === undefined || detail.object?.key === undefined) return [];
  return [
    {
      bucket: detail.bucket.name,
      key: detail.object.key,
      version: version(detail.object['version-id'], detail.object.etag),
    },
  ];
}

export function makeHandler(deps: ObjectRunDeps, metrics?: Metrics) {
  return lambda(
    async (event: ImportEvent, context: Pick<Context, 'getRemainingTimeInMillis'>) => {
      const outcomes: Record<string, ObjectOutcome> = {};
      for (const object of objectsOf(event)) {
        outcomes[object.key] = await importObject(
          object,
          () => context.getRemainingTimeInMillis(),
          deps,
        );
      }
      return outcomes;
    },
    { metrics },
  );
}

const metrics = makeMetrics();

/** The Lambda: its dependencies built from the environment on the first invocation. */
export const handler = entry(async () =>
  makeHandler({ ...(await awsImportObjectDeps()), metrics: powertoolsMetrics(metrics) }, metrics),
);

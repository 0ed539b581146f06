/**
 * The drop bucket's import Lambda. Invoked by the bucket's object-created notifications — an S3
 * event notification (`Records[].s3`) or its EventBridge form (`detail-type: Object Created`) —
 * and by itself (`{continue: {bucket, key, version}}`) to resume an import that ran out of time.
 * Thin: read which objects, import each (`importObject`), log the outcome.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { lazy } from '#commons/lazy.js';
import { logger } from '#commons/logger.js';
import { makeMetrics, powertoolsMetrics } from '#commons/metrics.js';
import type { ImportObject } from '#domain/ports.js';
import { awsImportObjectDeps } from '#functions/wiring/import.js';
import { importObject, type ObjectOutcome, type ObjectRunDeps } from './run-object.js';

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

export function makeHandler(deps: ObjectRunDeps) {
  return async (event: ImportEvent, context: Pick<Context, 'getRemainingTimeInMillis'>) => {
    const outcomes: Record<string, ObjectOutcome> = {};
    for (const object of objectsOf(event)) {
      outcomes[object.key] = await importObject(
        object,
        () => context.getRemainingTimeInMillis(),
        deps,
      );
    }
    return outcomes;
  };
}

const metrics = makeMetrics();

const production = lazy(async () =>
  makeHandler({ ...(await awsImportObjectDeps()), metrics: powertoolsMetrics(metrics) }),
);

export const handler = middy<ImportEvent, Record<string, ObjectOutcome>>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event, context) => (await production())(event, context));

/**
 * What bench:ingest's in-process part runs, bundled as the webhook function is bundled
 * (`ESBUILD_OPTIONS`, lib/bundling.ts): the handler, its in-memory stores and the stages'
 * baselines, one module, minified, as Lambda loads it.
 */
export { DecodedCases } from '#functions/ingest/decoded-cases.js';
export { makeHandler } from '#functions/ingest/handler.js';
export { makeCaseEngine } from '#kernel/engine/bound.js';
export { parseJson, rawBody } from '#platform/body.js';
export { logger } from '#platform/logger.js';
export { makeWebhookVerifier } from '#platform/webhook.js';
export { EventEnvelope } from '#schemas/events.js';
export { memoryStores } from '#test/support/memory-store.js';

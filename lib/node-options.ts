/**
 * How every function's Node.js runs (`NODE_OPTIONS`). The benches that time a handler in
 * process run under the same options, so that they measure what production runs.
 * - `--enable-source-maps`: stack traces name the TypeScript source.
 * - `--max-semi-space-size=64`: young objects get up to 64 MiB a semi-space (V8 grows it only
 *   as allocation needs) before a scavenge. A webhook event allocates its case's copy, plans and
 *   JSON, nearly all short-lived; with the default 16 MiB they were scavenged and partly promoted
 *   four times as often. Node's documentation gives this flag as the trade of memory for
 *   throughput; the webhook's CPU per event fell 10–15 % in paired runs (docs/benchmarks.md).
 */
export const FUNCTION_NODE_OPTIONS = '--enable-source-maps --max-semi-space-size=64';

/**
 * Powertools Metrics for the timer Lambda: counters flushed as one CloudWatch EMF line per
 * invocation by the `logMetrics` middleware (namespace from `POWERTOOLS_METRICS_NAMESPACE`,
 * else `Timescales`).
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '#kernel/metrics.js';
import { logger } from './logger.js';

/** What Powertools warns when a flush finds nothing to publish. */
const EMPTY_FLUSH = /^No application metrics to publish/;

/**
 * Metrics whose own warnings go to the Powertools logger — except the one for an empty flush:
 * an invocation that counts nothing (an ignored timer) is normal and writes no line at all.
 */
export function makeMetrics(options: { namespace?: string; serviceName?: string } = {}): Metrics {
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...content: unknown[]) => {
      const text = content.map(String).join(' ');
      if (!EMPTY_FLUSH.test(text)) logger[level](text);
    };
  const quietWhenEmpty = {
    debug: forward('debug'),
    info: forward('info'),
    warn: forward('warn'),
    error: forward('error'),
  };
  return new Metrics({
    namespace: options.namespace ?? process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
    ...(options.serviceName === undefined ? {} : { serviceName: options.serviceName }),
    logger: quietWhenEmpty,
  });
}

/** Powertools Metrics as the fire use case's counters (the `Metrics` port). */
export function powertoolsMetrics(metrics: Metrics): {
  count(name: string, value?: number): void;
} {
  return { count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value) };
}

/**
 * The Powertools logger, made once. Log ids (event, case, deadline, person ids), never
 * names, emails or phone numbers. In a Lambda the handlers' `injectLambdaContext` middleware
 * adds the invocation's context (request id, cold start, function) to every line.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'timescales',
});

type Fields = Record<string, unknown>;

/** The logger as a use case's log (`message` plus structured fields, ids only). */
export const powertoolsLog = {
  info: (message: string, fields?: Fields) => logger.info({ message, ...fields }),
  warn: (message: string, fields?: Fields) => logger.warn({ message, ...fields }),
  error: (message: string, fields?: Fields) => logger.error({ message, ...fields }),
};

/**
 * The Powertools logger, made once. Log ids (event, case, deadline, person ids), never
 * names, emails or phone numbers.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'timescales',
});

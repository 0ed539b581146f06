/**
 * Every counter the use cases emit (CloudWatch namespace `Timescales`), with what a count of
 * it means: the one list the `Metrics` port is typed by, the stack's alarms are made from and
 * the runbook names.
 */
/** The CloudWatch namespace every function's metrics go to (`POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'Timescales';

export const METRICS = {
  Sent: 'An email or text message was handed to its provider',
  SendFailed: 'An email or text message could not be handed to its provider after retries',
  Unroutable: 'A reminder reached nobody it was meant for (the fallback contact was told)',
  TimerDead: 'A timer payload that no retry can make valid (kept in the dead-letter queue)',
  AlertEscalated: 'An out-of-hours alert nobody acknowledged went to the senior manager on call',
  AlertEscalatedToFallback:
    'An out-of-hours alert nobody acknowledged went on to the fallback contact (or would have)',
  AlertReachedNobody: 'An escalation reached nobody: no fallback contact is configured',
  AlertEscalationStopped:
    'An escalation timer sent nothing: the clock no longer needs it (acknowledged, met, cancelled, closed, or its breach took over)',
  AlertEscalationLost: 'An escalation timer found no case, deadline or alert to escalate',
  Delivered: 'A provider said an email or text message reached its person',
  Undelivered:
    'A provider said an email or text message did not reach its person (bounced, number not in use, phone off): followed up at once',
  DutyInboxUndelivered:
    'A message to the fallback contact (the duty inbox) was not delivered: nobody was told of a reminder that reached nobody else',
  ReceiptUnknown:
    'A delivery receipt named no send of ours (logged; answered 202 so it is not redelivered)',
  // A dropped file's rows refused, or a file refused whole: no clock starts for them until
  // somebody fixes the file, so they raise an alarm rather than wait in a report.
  ImportRowsRefused: 'Rows of a dropped file were refused: their clocks have not started',
  ImportFileUnusable: 'A dropped file could not be read at all: none of its clocks have started',
} as const;

export type MetricName = keyof typeof METRICS;

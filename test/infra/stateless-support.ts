/** The stateless stack under test, and the helpers its tests share. */
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { StatelessStack } from '#lib/stateless-stack.js';
import { actionsOf, type Statement, statementsOf, synthStacks } from './helpers.js';

let synthesized: { stack: StatelessStack; template: Template } | undefined;

/**
 * The example config's stateless stack and its template: synthesized once per worker, because
 * synthesis is the slow part and the tests only read what it made.
 */
export function statelessStack(): { stack: StatelessStack; template: Template } {
  if (!synthesized) {
    const { stateless } = synthStacks();
    synthesized = { stack: stateless, template: Template.fromStack(stateless) };
  }
  return synthesized;
}

/** The logical id of a construct's default CloudFormation resource. */
export function idOf(scope: { node: { defaultChild?: unknown } }): string {
  return (statelessStack().stack as Stack).getLogicalId(scope.node.defaultChild as never);
}

export const FUNCTIONS = [
  'events',
  'read',
  'reminders',
  'alerts',
  'smsInbound',
  'receipts',
] as const;
/** Each function's Powertools service name. */
export const SERVICE: Record<(typeof FUNCTIONS)[number] | 'import', string> = {
  import: 'timescales-import',
  events: 'timescales-events',
  read: 'timescales-read',
  reminders: 'timescales-reminders',
  alerts: 'timescales-alerts',
  smsInbound: 'timescales-sms-inbound',
  receipts: 'timescales-receipts',
};

/** Statements of a function's role that mention `prefix:` actions. */
export function statementsWith(name: (typeof FUNCTIONS)[number], prefix: string): Statement[] {
  const { stack, template } = statelessStack();
  return statementsOf(template, stack, stack.functions[name]!.role).filter((s) =>
    actionsOf(s).some((a) => a.startsWith(prefix)),
  );
}

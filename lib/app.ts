import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { TimescalesConfig } from './config.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';

const CROSS_STACK_REFERENCES = '@aws-cdk/core:defaultCrossStackReferences';

export interface TimescalesStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/**
 * Adds one authority's deployment to the app: the stateful stack (table, key) and the
 * stateless stack that depends on it. Stacks are environment-agnostic unless the
 * configuration pins `env`.
 */
export function addTimescales(app: App, config: TimescalesConfig): TimescalesStacks {
  const env =
    config.env === undefined
      ? {}
      : {
          env: {
            ...(config.env.account === undefined ? {} : { account: config.env.account }),
            ...(config.env.region === undefined ? {} : { region: config.env.region }),
          },
        };
  // Cross-stack references (table, key) stay "strong": CloudFormation refuses to remove an
  // export the stateless stack still uses, which protects the stateful stack.
  if (
    app.node.tryGetContext(CROSS_STACK_REFERENCES) === undefined &&
    app.node.children.length === 0
  ) {
    app.node.setContext(CROSS_STACK_REFERENCES, 'strong');
  }
  const prefix = `Timescales-${config.deployment}`;
  const stateful = new StatefulStack(app, `${prefix}-Data`, {
    ...env,
    deployment: config.deployment,
    dropExpireAfterDays: config.dropBucket.expireAfterDays,
    description: `Timescales (${config.authority}): table, key and drop bucket — retained`,
    terminationProtection: true,
  });
  const stateless = new StatelessStack(app, `${prefix}-App`, {
    ...env,
    description: `Timescales (${config.authority}): API, functions, scheduler, messaging, alarms`,
    config,
    table: stateful.table,
    key: stateful.key,
  });
  stateless.addStackDependency(stateful);
  return { stateful, stateless };
}

/** cdk-nag 3 rule packs: AWS Solutions and Serverless. */
export function nagPacks(app: App): [AwsSolutionsChecks, ServerlessChecks] {
  return [new AwsSolutionsChecks(app), new ServerlessChecks(app)];
}

export function addNag(app: App): void {
  Validations.of(app).addPlugins(...nagPacks(app));
}

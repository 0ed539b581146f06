import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '#kernel/metrics.js';
import { LAMBDA_BUNDLING, PROJECT_ROOT } from '#lib/bundling.js';
import { DEFAULT_MEMORY_MB, FUNCTION_NODE_OPTIONS } from '#lib/node-options.js';

export interface TimescalesFunctionProps {
  /** Absolute path of the handler module (it exports `handler`). */
  readonly entry: string;
  /** What the function does, shown in the console. */
  readonly description: string;
  /** Powertools service name (`POWERTOOLS_SERVICE_NAME`), e.g. `timescales-events`. */
  readonly serviceName: string;
  /** Where asynchronous invocations that still fail after retries are sent. */
  readonly onFailure: sqs.IQueue;
  /**
   * Variables the handler reads; the Powertools variables and `NODE_OPTIONS` are added by the
   * construct.
   * @default - only the variables the construct adds
   */
  readonly environment?: Record<string, string>;
  /**
   * It publishes metrics (Powertools Metrics): it is told their namespace
   * (`POWERTOOLS_METRICS_NAMESPACE`), which a function without metrics never reads.
   * @default false
   */
  readonly publishesMetrics?: boolean;
  /**
   * Memory in MB (CPU scales with it; 512 MB keeps cold starts short on arm64).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Reserved concurrency: caps a burst so it cannot starve the account or flood a downstream.
   * @default - unreserved (the account's unreserved pool)
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Retention of the function's log group.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Powertools `LOG_LEVEL`.
   * @default 'INFO'
   */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /**
   * Retries of a failed asynchronous invocation before it goes to `onFailure`.
   * @default 2
   */
  readonly retryAttempts?: number;
  /**
   * A fixed function name. Only for a function whose ARN must be known before it exists
   * (the reminder function's own ARN is a schedule target it sets itself).
   * @default - a name CloudFormation generates
   */
  readonly functionName?: string;
  /**
   * esbuild options (the web function adds its templates with a hook).
   * @default LAMBDA_BUNDLING
   */
  readonly bundling?: BundlingOptions;
}

/**
 * Our one Lambda shape: Node.js 22 on arm64, ESM bundle built by local esbuild (no Docker),
 * minified with source maps, X-Ray tracing, JSON logs into an explicit log group with
 * retention, a role that starts empty (no AWS managed policies) and an SQS on-failure
 * destination for asynchronous invocations.
 */
export class TimescalesFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** How its code is bundled (what is inside the bundle and what is left to load at run time). */
  readonly bundling: BundlingOptions;

  constructor(scope: Construct, id: string, props: TimescalesFunctionProps) {
    super(scope, id);
    this.bundling = props.bundling ?? LAMBDA_BUNDLING;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // An explicit role keeps AWSLambdaBasicExecutionRole (which may write to any log group) out.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.serviceName}`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      bundling: this.bundling,
      onFailure: new SqsDestination(props.onFailure),
      retryAttempts: props.retryAttempts ?? 2,
      ...(props.functionName === undefined ? {} : { functionName: props.functionName }),
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        ...(props.publishesMetrics === true
          ? { POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE }
          : {}),
        LOG_LEVEL: props.logLevel ?? 'INFO',
        NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
      },
    });

    const runtime =
      'Node.js 22 is the runtime the project targets (Powertools, esbuild target node22, tests on Node 20/22); moving to Node.js 24 is a deliberate upgrade, not a default.';
    Validations.of(this.function).acknowledge({ id: 'AwsSolutions-L1', reason: runtime });
    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaLatestVersion',
      reason: runtime,
    });
    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Failed asynchronous invocations go to the on-failure destination (SQS), which records the error as well as the event; a DeadLetterConfig as well would deliver every failure twice.',
    });
  }
}

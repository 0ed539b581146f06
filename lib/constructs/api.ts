import { Lazy, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type Route, routeEntries } from '#schemas/routes.js';
import { webRouteEntries } from '#schemas/web.js';
import { type Alarms, FIVE_MINUTES } from './alarms.js';

export interface TimescalesApiProps {
  /**
   * Steady-state requests per second on each ack-link route (a public route: a tighter limit
   * than the stage's, so guessing tokens is slow and cannot crowd out the webhook).
   * @default 5
   */
  readonly ackRateLimit?: number;
  /** @default 10 */
  readonly ackBurstLimit?: number;
  /** Steady-state requests per second across the API. */
  readonly rateLimit: number;
  /** Requests allowed in a burst above the rate. */
  readonly burstLimit: number;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** Where its 5xx alarm goes. */
  readonly alarms: Alarms;
}

/**
 * The HTTP API (API Gateway v2). Each feature adds its own routes: `serve`, those the route
 * table (`schemas/routes.ts`) gives its Lambda; `servePages`, the managers' pages.
 * `POST /v1/events` is the webhook: its caller is
 * authenticated by the Standard Webhooks signature the events handler verifies, so it has no
 * API Gateway authoriser; the ack link (`GET`/`POST /a/{token}`) neither, its token being
 * checked by the alerts handler. Every other route needs SigV4-signed requests from an IAM
 * principal allowed `execute-api:Invoke` on it.
 *
 * Request size: HTTP APIs accept bodies up to 10 MB and the limit cannot be lowered; the
 * events handler rejects bodies over 64 KB with 413 before parsing.
 */
export class TimescalesApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  private readonly ackRate: { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
  /** Per-route throttling (the public ack link's): the L2 stage sets only the default. */
  private readonly routeSettings: Record<string, unknown> = {};

  constructor(scope: Construct, id: string, props: TimescalesApiProps) {
    super(scope, id);

    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Timescales: webhook events in, deadlines and audit out',
      createDefaultStage: false,
      defaultAuthorizer: new HttpIamAuthorizer(),
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        // JSON, ids only: no headers, bodies or query strings (they may carry contact details).
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            caller: '$context.identity.caller',
            sourceIp: '$context.identity.sourceIp',
          }),
        ),
      },
    });

    this.ackRate = {
      ThrottlingRateLimit: props.ackRateLimit ?? 5,
      ThrottlingBurstLimit: props.ackBurstLimit ?? 10,
    };
    (this.stage.node.defaultChild as apigw.CfnStage).addPropertyOverride(
      'RouteSettings',
      Lazy.any({ produce: () => this.routeSettings }),
    );

    const noWaf =
      'AWS WAF cannot be associated with API Gateway HTTP APIs; the stage is throttled and the webhook is signature-checked instead.';
    Validations.of(this.stage).acknowledge({ id: 'AwsSolutions-APIG3', reason: noWaf });

    props.alarms.add('Api5xx', {
      metric: this.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
      description:
        'The API returned 5xx responses (errors or contention) five or more times in five minutes.',
      threshold: 5,
    });
  }

  /** The routes the route table gives `name`'s Lambda, each integrated with `fn`. */
  serve(name: Route['lambda'], fn: lambda.IFunction): void {
    const integration = new HttpLambdaIntegration(name[0]!.toUpperCase() + name.slice(1), fn);
    for (const [, route] of routeEntries()) {
      if (route.lambda !== name) continue;
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration,
        // IAM routes take the API's default authoriser.
        ...(route.auth === 'iam' ? {} : { authorizer: new apigw.HttpNoneAuthorizer() }),
      }) as [apigw.HttpRoute];
      if (route.auth === 'token') {
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'The ack link is opened from an SMS or email by a person with no AWS identity: its path carries an HMAC-SHA256 token (alert id, expiry) signed with the alert-token key from Secrets Manager, which the alerts handler verifies in constant time; the route is throttled tighter than the stage.',
        });
        this.routeSettings[`${route.method} ${route.path}`] = this.ackRate;
      }
      if (route.auth === 'bearer') {
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'GOV.UK Notify calls back with the bearer token entered in its callback settings, which the delivery handler compares in constant time with the token from Secrets Manager; Notify has no AWS identity, and a Lambda authoriser would only move the same check.',
        });
      }
      if (route.auth === 'webhook') {
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'The webhook is called by the back-office system, authenticated by the Standard Webhooks HMAC signature (webhook-id/-timestamp/-signature) that the events handler verifies with the secret from Secrets Manager; API Gateway HTTP APIs have no authoriser for HMAC signatures.',
        });
      }
    }
  }

  /**
   * The managers' pages, each route from `schemas/web.ts` (the local-only sign-in left out).
   * No API Gateway authoriser: a browser sends its session as a cookie, which the HTTP API's
   * JWT authoriser cannot read (it reads a header or the query string) and whose 401 a browser
   * cannot follow to a sign-in page; the web Lambda verifies the Cognito ID token in the
   * cookie itself (aws-jwt-verify: signature, issuer, audience, token use, expiry).
   */
  servePages(fn: lambda.IFunction): void {
    const integration = new HttpLambdaIntegration('Web', fn);
    for (const [, route] of webRouteEntries()) {
      if (route.localOnly) continue;
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration,
        authorizer: new apigw.HttpNoneAuthorizer(),
      }) as [apigw.HttpRoute];
      Validations.of(added).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          route.auth === 'public'
            ? 'A sign-in page or the stylesheet: public by nature; the sign-in goes to Cognito and the council’s identity provider.'
            : 'A browser page: its session is an HttpOnly cookie holding the Cognito ID token, which the web function verifies on every request (aws-jwt-verify: signature, issuer, audience, token use, expiry); the JWT authoriser cannot read cookies.',
      });
    }
  }
}

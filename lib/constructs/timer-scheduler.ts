import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { deadLetterQueue } from './secure-queue.js';

/**
 * EventBridge Scheduler plumbing for timers: the schedule group the Lambdas create one-time
 * schedules in, the execution role schedules run as, and the dead-letter queue for
 * invocations Scheduler could not deliver. The role may write to the DLQ and invoke the one
 * function timers go to, and nothing else.
 */
export class TimerScheduler extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;
  readonly deadLetterQueue: sqs.Queue;
  /** `arn:…:schedule/<group>/*`: the only schedules the Lambdas may touch. */
  readonly schedulesArn: string;
  /**
   * The name of the function timers invoke (the fire feature's), fixed so that its ARN is
   * known before it exists: that function schedules its own follow-up timers, and a GetAtt on
   * itself in its own environment would be circular.
   */
  readonly targetName: string;
  readonly targetArn: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.group = new scheduler.ScheduleGroup(this, 'Group');
    this.deadLetterQueue = deadLetterQueue(this, 'Dlq', 'EventBridge Scheduler timer deliveries');
    this.role = new iam.Role(this, 'ExecutionRole', {
      description: 'Assumed by EventBridge Scheduler to invoke the reminder function',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DeadLetter',
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
      }),
    );
    this.targetName = `${stack.stackName}-reminders`.slice(0, 64);
    this.targetArn = stack.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: this.targetName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    // Exactly this function: no version or alias wildcard.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeReminderFunction',
        actions: ['lambda:InvokeFunction'],
        resources: [this.targetArn],
      }),
    );
    this.schedulesArn = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.group.scheduleGroupName}/*`,
    });
  }

  /**
   * Delete schedules in this group only: what acknowledging an alert needs (it cancels the
   * clock's escalation timers, and never creates one).
   */
  grantCancelSchedules(grantee: iam.IGrantable & IConstruct): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CancelTimerSchedules',
        actions: ['scheduler:DeleteSchedule'],
        resources: [this.schedulesArn],
      }),
    );
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${this.group.scheduleGroupName}/*]`,
      reason:
        'Escalation timers are named at run time from the clock they belong to, so they cannot be listed in advance; the wildcard is confined to this schedule group, the narrowest scope Scheduler offers.',
    });
  }

  /**
   * Create and delete schedules in this group only (the EventBridge adapter calls nothing else:
   * a create that conflicts is a success, so it never reads or updates), and pass only this role.
   */
  grantManageSchedules(grantee: iam.IGrantable & IConstruct): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ManageTimerSchedules',
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [this.schedulesArn],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PassSchedulerRole',
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${this.group.scheduleGroupName}/*]`,
      reason:
        'Timer schedules are created at run time with names derived from each timer, so they cannot be listed in advance; the wildcard is confined to this schedule group, the narrowest scope Scheduler offers.',
    });
  }
}

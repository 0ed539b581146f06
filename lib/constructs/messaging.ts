import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as smsvoice from 'aws-cdk-lib/aws-smsvoice';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface MessagingProps {
  /** The From address of reminder emails. */
  readonly fromAddress: string;
  /** Create the SES domain identity (Easy DKIM) for the From address's domain. */
  readonly manageIdentity: boolean;
  /** An existing SMS origination identity ARN; else one is made from `senderId`. */
  readonly originationIdentityArn?: string;
  /** UK alphanumeric sender ID. */
  readonly senderId?: string;
  /** Encrypts the feedback topic. */
  readonly key: kms.IKey;
}

/** The ISO country code of the sender ID: the product sends to UK numbers only. */
const SMS_COUNTRY = 'GB';

/** SMS events that mean a text did not reach the recipient. */
const SMS_FAILURE_EVENTS = [
  'TEXT_BLOCKED',
  'TEXT_CARRIER_BLOCKED',
  'TEXT_CARRIER_UNREACHABLE',
  'TEXT_INVALID',
  'TEXT_INVALID_MESSAGE',
  'TEXT_SPAM',
  'TEXT_TTL_EXPIRED',
  'TEXT_UNKNOWN',
  'TEXT_UNREACHABLE',
];

/** SMS events that settle a text: delivered, or why not (the delivery path reads them). */
const SMS_FINAL_EVENTS = ['TEXT_DELIVERED', 'TEXT_SUCCESSFUL', ...SMS_FAILURE_EVENTS];

/**
 * Email (SES v2) and SMS (AWS End User Messaging SMS) sending resources, and the topic SMS
 * replies arrive on. Every email's delivery, bounce, complaint, rejection and rendering
 * failure, and every text's final event, go to the `deliveryEvents` topic, which the delivery
 * feature's function reads (a failure is a person not told). Bounces,
 * complaints, rejections and SMS delivery failures go to one encrypted `feedback` topic that an
 * alarm watches; SES also adds bounced and complaining addresses to the account suppression
 * list so they are not tried again.
 */
export class Messaging extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly feedbackTopic: sns.Topic;
  /** Every email's and text's final event, for the delivery feature. */
  readonly deliveryEvents: sns.Topic;
  /**
   * Where AWS End User Messaging two-way SMS publishes replies (set it as the phone number's
   * two-way channel); the inbound-SMS function subscribes to it.
   */
  readonly inboundTopic: sns.Topic;
  readonly smsConfigurationSet: smsvoice.CfnConfigurationSet;
  /** ARN of the sender ID / phone number / pool texts are sent from. */
  readonly originationIdentity: string;
  readonly fromAddress: string;
  readonly fromDomain: string;

  constructor(scope: Construct, id: string, props: MessagingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.fromAddress = props.fromAddress;
    this.fromDomain = props.fromAddress.slice(props.fromAddress.lastIndexOf('@') + 1);

    this.feedbackTopic = new sns.Topic(this, 'FeedbackTopic', {
      displayName: 'Timescales email and SMS delivery feedback',
      masterKey: props.key,
      enforceSSL: true,
    });
    this.inboundTopic = new sns.Topic(this, 'InboundSmsTopic', {
      displayName: 'Timescales inbound SMS (replies to alerts)',
      masterKey: props.key,
      enforceSSL: true,
    });
    this.inboundTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PublishInboundSms',
        principals: [new iam.ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.inboundTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    this.deliveryEvents = new sns.Topic(this, 'DeliveryEventsTopic', {
      displayName: 'Timescales email and SMS delivery events (delivered, bounced, not delivered)',
      masterKey: props.key,
      enforceSSL: true,
    });
    for (const service of ['ses.amazonaws.com', 'sms-voice.amazonaws.com']) {
      this.deliveryEvents.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `Publish${service.split('.')[0]!.replace('-', '')}`,
          principals: [new iam.ServicePrincipal(service)],
          actions: ['sns:Publish'],
          resources: [this.deliveryEvents.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
      );
      this.feedbackTopic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `Publish${service.split('.')[0]!.replace('-', '')}`,
          principals: [new iam.ServicePrincipal(service)],
          actions: ['sns:Publish'],
          resources: [this.feedbackTopic.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
      );
    }

    this.configurationSet = new ses.ConfigurationSet(this, 'EmailConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.snsTopic(this.feedbackTopic),
      events: [
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
        ses.EmailSendingEvent.RENDERING_FAILURE,
      ],
    });
    this.configurationSet.addEventDestination('DeliveryEvents', {
      destination: ses.EventDestination.snsTopic(this.deliveryEvents),
      events: [
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
        ses.EmailSendingEvent.RENDERING_FAILURE,
      ],
    });

    if (props.manageIdentity) {
      new ses.EmailIdentity(this, 'DomainIdentity', {
        identity: ses.Identity.domain(this.fromDomain),
        configurationSet: this.configurationSet,
        dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
      });
    }

    if (props.originationIdentityArn !== undefined) {
      this.originationIdentity = props.originationIdentityArn;
    } else if (props.senderId !== undefined) {
      const senderId = new smsvoice.CfnSenderId(this, 'SenderId', {
        senderId: props.senderId,
        isoCountryCode: SMS_COUNTRY,
        deletionProtectionEnabled: false,
      });
      this.originationIdentity = senderId.attrArn;
    } else {
      throw new Error('Messaging needs originationIdentityArn or senderId');
    }

    this.smsConfigurationSet = new smsvoice.CfnConfigurationSet(this, 'SmsConfigurationSet', {
      ...(props.senderId === undefined ? {} : { defaultSenderId: props.senderId }),
      eventDestinations: [
        {
          eventDestinationName: 'delivery-failures',
          enabled: true,
          matchingEventTypes: SMS_FAILURE_EVENTS,
          snsDestination: { topicArn: this.feedbackTopic.topicArn },
        },
        {
          eventDestinationName: 'delivery-events',
          enabled: true,
          matchingEventTypes: SMS_FINAL_EVENTS,
          snsDestination: { topicArn: this.deliveryEvents.topicArn },
        },
      ],
    });
  }

  /**
   * SES v2 SendEmail from our identity through our configuration set — nothing else. The v2
   * `SendEmail` API is authorised by `ses:SendEmail` for simple and raw (MIME, `.ics`) content
   * alike; `ses:SendRawEmail` belongs to the v1 API we do not call. In the SES sandbox SES also
   * checks the recipient identities: that is a sandbox limit, not a grant to widen here.
   */
  grantSendEmail(grantee: iam.IGrantable): void {
    const stack = Stack.of(this);
    const identity = (name: string) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendEmail',
        actions: ['ses:SendEmail'],
        resources: [
          identity(this.fromDomain),
          identity(this.fromAddress),
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: this.configurationSet.configurationSetName,
          }),
        ],
      }),
    );
  }

  /**
   * sms-voice:SendTextMessage is authorised against each resource the request touches: the
   * origination identity, the configuration set and the opt-out list (the account's `Default`
   * list unless one is configured). Those three ARNs — no wildcard.
   */
  grantSendText(grantee: iam.IGrantable): void {
    const stack = Stack.of(this);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendTextMessage',
        actions: ['sms-voice:SendTextMessage'],
        resources: [
          this.originationIdentity,
          this.smsConfigurationSet.attrArn,
          stack.formatArn({
            service: 'sms-voice',
            resource: 'opt-out-list',
            resourceName: 'Default',
          }),
        ],
      }),
    );
  }
}

import { Duration, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Log message the worker writes at error level when a week's email is missing at check time. */
export const NOT_DELIVERED_MESSAGE = 'Report not delivered';

/** CloudWatch namespace and name of the metric counted from that log line. */
export const NOT_DELIVERED_METRIC = { namespace: 'adreport', name: 'ReportNotDelivered' } as const;

export interface OpsAlarmsProps {
  worker: IFunction;
  workerLogGroup: ILogGroup;
  bot: IFunction;
  failedInvocations: IQueue;
  /** Email addresses subscribed to the alarm topic; each must confirm its subscription. */
  recipients: string[];
}

/** Alarms that tell the technical owner when a run fails or a report does not go out. */
export class OpsAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: OpsAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'adreport alarms',
      enforceSSL: true,
    });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications contain no report data or secrets, and CloudWatch alarms cannot ' +
        'publish to a topic encrypted with the AWS managed SNS key.',
    });
    for (const address of props.recipients) {
      this.topic.addSubscription(new EmailSubscription(address));
    }

    const notDelivered = new MetricFilter(this, 'NotDeliveredFilter', {
      logGroup: props.workerLogGroup,
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue('$.level', '=', 'ERROR'),
        FilterPattern.stringValue('$.message', '=', NOT_DELIVERED_MESSAGE),
      ),
      metricNamespace: NOT_DELIVERED_METRIC.namespace,
      metricName: NOT_DELIVERED_METRIC.name,
      metricValue: '1',
    });

    const fiveMinutes = Duration.minutes(5);
    this.alarms = [
      this.addAlarm(
        'WorkerErrors',
        'The worker function failed',
        props.worker.metricErrors({
          period: fiveMinutes,
          statistic: 'Sum',
        }),
      ),
      this.addAlarm(
        'BotErrors',
        'The Slack bot function failed',
        props.bot.metricErrors({
          period: fiveMinutes,
          statistic: 'Sum',
        }),
      ),
      this.addAlarm(
        'FailedInvocations',
        'A scheduled or handed-off run could not be delivered to the worker or failed every retry',
        props.failedInvocations.metricApproximateNumberOfMessagesVisible({
          period: fiveMinutes,
          statistic: 'Maximum',
        }),
      ),
      this.addAlarm(
        'ReportNotDelivered',
        'A weekly report email was not sent by the Monday delivery check',
        notDelivered.metric({ period: fiveMinutes, statistic: 'Sum' }),
      ),
    ];
  }

  private addAlarm(id: string, description: string, metric: IMetric): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data means no invocations and no failures, which is the normal state between runs.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));

    return alarm;
  }
}

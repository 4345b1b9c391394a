import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  type IScheduleTarget,
  Schedule,
  ScheduleExpression,
  type ScheduleTargetConfig,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DELIVERY_CHECK_TIME,
  REPORT_RUN_TIME,
  toCronExpression,
  type WeeklyTime,
} from '../../src/config/schedule.ts';
import type { ReportConfig } from '../../src/config/schema.ts';

/**
 * How often Scheduler retries handing an event to Lambda. Scheduler invokes the worker
 * asynchronously, so these retries cover only throttling and permission failures. Lambda's own
 * async retries handle a failed run.
 */
export const SCHEDULER_RETRY_ATTEMPTS = 5;

/** After this age Scheduler stops retrying and moves the event to the dead-letter queue. */
export const SCHEDULER_MAX_EVENT_AGE = Duration.hours(1);

export interface ReportSchedulesProps {
  reports: ReportConfig[];
  worker: IFunction;
  deadLetterQueue: IQueue;
}

/**
 * Two EventBridge Scheduler schedules per report, both in the report's time zone so they keep
 * local time across daylight-saving changes: the weekly run and the delivery check.
 */
export class ReportSchedules extends Construct {
  readonly schedules: Schedule[] = [];

  constructor(scope: Construct, id: string, props: ReportSchedulesProps) {
    super(scope, id);
    const role = new Role(this, 'InvokeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler start the adreport worker',
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [props.worker.functionArn],
      }),
    );
    props.deadLetterQueue.grantSendMessages(role);

    for (const report of props.reports) {
      this.schedules.push(
        this.addSchedule(props, role, report, 'Run', 'schedule', REPORT_RUN_TIME),
        this.addSchedule(
          props,
          role,
          report,
          'DeliveryCheck',
          'delivery-check',
          DELIVERY_CHECK_TIME,
        ),
      );
    }
  }

  private addSchedule(
    props: ReportSchedulesProps,
    role: Role,
    report: ReportConfig,
    idSuffix: string,
    kind: 'schedule' | 'delivery-check',
    time: WeeklyTime,
  ): Schedule {
    const expression = toCronExpression(time);

    return new Schedule(this, `${report.id}-${idSuffix}`, {
      description: `adreport ${kind} for report ${report.id}: ${expression} in ${report.timeZone}`,
      schedule: ScheduleExpression.expression(expression, TimeZone.of(report.timeZone)),
      timeWindow: TimeWindow.off(),
      target: new WorkerTarget(props, role, kind, report.id),
    });
  }
}

/**
 * Invokes the worker with a schedule event. Unlike `LambdaInvoke` from aws-scheduler-targets,
 * it grants nothing itself, so the role above names only the unqualified worker ARN.
 */
class WorkerTarget implements IScheduleTarget {
  constructor(
    private readonly props: ReportSchedulesProps,
    private readonly role: IRole,
    private readonly kind: 'schedule' | 'delivery-check',
    private readonly reportId: string,
  ) {}

  bind(): ScheduleTargetConfig {
    return {
      arn: this.props.worker.functionArn,
      role: this.role,
      // The worker derives the report week from the scheduled time, so a late retry still
      // reports the week that was due.
      input: ScheduleTargetInput.fromObject({
        kind: this.kind,
        reportId: this.reportId,
        scheduledTime: ContextAttribute.scheduledTime,
      }),
      retryPolicy: {
        maximumRetryAttempts: SCHEDULER_RETRY_ATTEMPTS,
        maximumEventAgeInSeconds: SCHEDULER_MAX_EVENT_AGE.toSeconds(),
      },
      deadLetterConfig: { arn: this.props.deadLetterQueue.queueArn },
    };
  }
}

import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Construct } from "constructs";
import type { MonitoringPlan } from "../../topology/types";
import { nameTag } from "./names";

export interface CpuAlarmProps {
  /** The alarm as the plan describes it: name, watched instance, threshold, period and evaluation periods. */
  readonly plan: MonitoringPlan["cpuAlarm"];
  /** The watched instance's id. */
  readonly instanceId: string;
  /** SNS topic name, unique per participant. */
  readonly topicName: string;
}

/**
 * With basic monitoring, EC2 sends its metrics in 5-minute periods; with detailed monitoring, every
 * minute. An alarm whose period is shorter than 300 s on basic monitoring sees a data point in one
 * period of five and lapses into INSUFFICIENT_DATA.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/manage-detailed-monitoring.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
 */
export const BASIC_MONITORING_PERIOD_SECONDS = 300;

/** Whether the alarm's instance needs detailed monitoring for the alarm to get a data point each period. */
export function needsDetailedMonitoring(plan: MonitoringPlan["cpuAlarm"]): boolean {
  return plan.periodSeconds < BASIC_MONITORING_PERIOD_SECONDS;
}

/** Seed 000's CloudWatch alarm: CPUUtilization above the threshold, notifying an SNS topic. */
export class CpuAlarm extends Construct {
  readonly topic: SnsTopic;
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: CpuAlarmProps) {
    super(scope, id);
    const p = props.plan;
    if (p.thresholdPercent <= 0 || p.thresholdPercent > 100) throw new Error(`The CPU alarm threshold must be a percentage from 1 to 100; got ${p.thresholdPercent}.`);
    // EC2 metrics come at most once a minute (detailed monitoring): a shorter period never has data.
    if (!Number.isInteger(p.periodSeconds) || p.periodSeconds < 60 || p.periodSeconds % 60 !== 0) throw new Error(`The CPU alarm period must be a whole number of minutes in seconds (60, 120, 300…); got ${p.periodSeconds}.`);
    this.topic = new SnsTopic(this, "topic", { name: props.topicName, tags: nameTag(props.topicName) });
    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      alarmName: p.name,
      alarmDescription: `CPU of ${p.instance} above ${p.thresholdPercent}% (netlab seed 000)`,
      namespace: "AWS/EC2",
      metricName: "CPUUtilization",
      dimensions: { InstanceId: props.instanceId },
      statistic: "Average",
      period: p.periodSeconds,
      evaluationPeriods: p.evaluationPeriods,
      threshold: p.thresholdPercent,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "missing",
      alarmActions: [this.topic.arn],
      okActions: [this.topic.arn],
      tags: nameTag(p.name),
    });
  }
}

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

/** Seed 000's CloudWatch alarm: CPUUtilization above the threshold, notifying an SNS topic. */
export class CpuAlarm extends Construct {
  readonly topic: SnsTopic;
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: CpuAlarmProps) {
    super(scope, id);
    const p = props.plan;
    if (p.thresholdPercent <= 0 || p.thresholdPercent > 100) throw new Error(`The CPU alarm threshold must be a percentage from 1 to 100; got ${p.thresholdPercent}.`);
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

import {
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  RegisterTargetsCommand,
  type TargetDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Snapshot, Tags } from "../../../network/snapshot";
import { findOr, onChange, onRead, type Account, type Router } from "./account";
import { awsError } from "./errors";

const tagList = (t: Tags) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));

/**
 * ELBv2 reads and target registration. An instance target must be running and in the target group's
 * VPC; registering a registered target is a no-op, and so is deregistering one that is not registered
 * (on that port). https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RegisterTargets.html
 */
export function installElbv2(elbv2: Router, account: Account): void {
  const d = () => account.describe();
  onRead<{ Names?: string[]; LoadBalancerArns?: string[] }>(elbv2, account, DescribeLoadBalancersCommand, (i) => ({
    LoadBalancers: structuredClone((d().LoadBalancers?.LoadBalancers ?? []).filter((lb) => (!i.Names || i.Names.includes(lb.LoadBalancerName ?? "")) && (!i.LoadBalancerArns || i.LoadBalancerArns.includes(lb.LoadBalancerArn ?? "")))),
  }));
  onRead<{ Names?: string[]; TargetGroupArns?: string[]; LoadBalancerArn?: string }>(elbv2, account, DescribeTargetGroupsCommand, (i) => {
    const all = d().TargetGroups?.TargetGroups ?? [];
    const missing = (i.Names ?? []).filter((n) => !all.some((g) => g.TargetGroupName === n));
    if (missing.length) throw awsError("TargetGroupNotFoundException", `One or more target groups not found (${missing.join(", ")})`);
    const listening = (arn: string | undefined) => (d().LoadBalancerListeners?.LoadBalancerListeners ?? []).some((l) => l.LoadBalancerArn === i.LoadBalancerArn && (l.Listeners ?? []).some((x) => x.DefaultActions?.some((a) => a.TargetGroupArn === arn)));
    return {
      TargetGroups: structuredClone(all.filter((g) => (!i.Names || i.Names.includes(g.TargetGroupName ?? "")) && (!i.TargetGroupArns || i.TargetGroupArns.includes(g.TargetGroupArn ?? "")) && (!i.LoadBalancerArn || listening(g.TargetGroupArn)))),
    };
  });
  onRead<{ ResourceArns?: string[] }>(elbv2, account, DescribeTagsCommand, (i) => ({
    TagDescriptions: (i.ResourceArns ?? []).map((arn) => {
      const owner = account.state.targetGroups.find((g) => g.arn === arn) ?? account.state.loadBalancers.find((l) => l.arn === arn);
      if (!owner) throw awsError("LoadBalancerNotFoundException", `The resource ${arn} was not found.`);
      return { ResourceArn: arn, Tags: tagList(owner.tags) };
    }),
  }));
  onRead<{ LoadBalancerArn?: string }>(elbv2, account, DescribeListenersCommand, (i) => ({
    Listeners: structuredClone(d().LoadBalancerListeners?.LoadBalancerListeners?.find((l) => l.LoadBalancerArn === i.LoadBalancerArn)?.Listeners ?? []),
  }));
  onRead<{ TargetGroupArn?: string }>(elbv2, account, DescribeTargetHealthCommand, (i) => {
    const health = d().LoadBalancerTargetHealth?.LoadBalancerTargetHealth?.find((h) => h.TargetGroupArn === i.TargetGroupArn);
    if (!health) throw awsError("TargetGroupNotFoundException", `Target group '${i.TargetGroupArn}' not found`);
    return { TargetHealthDescriptions: structuredClone(health.TargetHealthDescriptions ?? []) };
  });

  const group = (s: Snapshot, arn: string | undefined) => findOr(s.targetGroups, (g) => g.arn === arn, "TargetGroupNotFoundException", `target group '${arn}'`);
  const targets = (s: Snapshot, arn: string | undefined, list: TargetDescription[] | undefined, mustRun: boolean) => {
    const tg = group(s, arn);
    return {
      tg,
      wanted: (list ?? []).map((t) => {
        const inst = s.instances.find((x) => x.id === t.Id);
        if (!inst || inst.vpcId !== tg.vpcId || (mustRun && inst.state !== "running")) {
          throw awsError("InvalidTargetException", `The following targets are not valid (missing, in another VPC, or not running): ${t.Id}`);
        }
        return { instanceId: inst.id, port: t.Port ?? tg.port };
      }),
    };
  };
  onChange<{ TargetGroupArn?: string; Targets?: TargetDescription[] }>(elbv2, account, RegisterTargetsCommand, (i, s) => {
    const { tg, wanted } = targets(s, i.TargetGroupArn, i.Targets, true);
    for (const t of wanted) if (!tg.targets.some((x) => x.instanceId === t.instanceId && x.port === t.port)) tg.targets.push(t);
    return {};
  });
  onChange<{ TargetGroupArn?: string; Targets?: TargetDescription[] }>(elbv2, account, DeregisterTargetsCommand, (i, s) => {
    const { tg, wanted } = targets(s, i.TargetGroupArn, i.Targets, false);
    tg.targets = tg.targets.filter((x) => !wanted.some((t) => t.instanceId === x.instanceId && t.port === x.port));
    return {};
  });
}

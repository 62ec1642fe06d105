import { ModifyInstanceAttributeCommand, StartInstancesCommand, StopInstancesCommand, type ModifyInstanceAttributeRequest } from "@aws-sdk/client-ec2";
import type { Snapshot } from "../../../network/snapshot";
import { findOr, onChange, type Account, type Router } from "./account";
import { awsError } from "./errors";

/**
 * Instance state and attributes. Stopping an instance ends what runs in its OS (the CPU load, and a
 * MASQUERADE rule that was not saved); the instance passes through `stopping` / `pending` first.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StopInstances.html
 */
export function installInstanceChanges(ec2: Router, account: Account): void {
  const instances = (s: Snapshot, ids: string[] | undefined) => (ids ?? []).map((id) => findOr(s.instances, (x) => x.id === id, "InvalidInstanceID.NotFound", `instance ID '${id}'`));
  onChange<{ InstanceIds?: string[] }>(ec2, account, StopInstancesCommand, (i, s) => ({
    StoppingInstances: instances(s, i.InstanceIds).map((inst) => {
      const previous = inst.state;
      if (previous === "running" || previous === "pending") {
        if (inst.os) inst.os = { ...inst.os, cpuLoad: false, masquerade: inst.os.masqueradeSaved };
        account.moveInstance(inst.id, "stopping", "stopped");
      }
      return { InstanceId: inst.id, PreviousState: { Name: previous }, CurrentState: { Name: inst.state } };
    }),
  }));
  onChange<{ InstanceIds?: string[] }>(ec2, account, StartInstancesCommand, (i, s) => ({
    StartingInstances: instances(s, i.InstanceIds).map((inst) => {
      const previous = inst.state;
      if (previous === "stopped") account.moveInstance(inst.id, "pending", "running");
      return { InstanceId: inst.id, PreviousState: { Name: previous }, CurrentState: { Name: inst.state } };
    }),
  }));
  onChange<ModifyInstanceAttributeRequest>(ec2, account, ModifyInstanceAttributeCommand, (i, s) => {
    const [inst] = instances(s, [i.InstanceId ?? ""]);
    if (i.SourceDestCheck?.Value === undefined) throw awsError("InvalidParameterCombination", "The mocked account implements ModifyInstanceAttribute for SourceDestCheck only.");
    inst.sourceDestCheck = i.SourceDestCheck.Value;
    return {};
  });
}

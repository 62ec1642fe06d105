import { CreateTagsCommand, DeleteTagsCommand, type Tag } from "@aws-sdk/client-ec2";
import type { Snapshot, Tags } from "../../../network/snapshot";
import { findOr, onChange, type Account, type Router } from "./account";

/** Every taggable resource of the account, by id. */
function taggable(s: Snapshot): { id: string; owner: { tags: Tags } }[] {
  const withIds: { id: string; tags: Tags }[][] = [s.vpcs, s.subnets, s.routeTables, s.networkAcls, s.securityGroups, s.instances, s.internetGateways, s.natGateways, s.transitGateways, s.tgwAttachments, s.tgwRouteTables, s.vpcEndpoints, s.flowLogs];
  return [...withIds.flat().map((owner) => ({ id: owner.id, owner })), ...s.elasticIps.map((owner) => ({ id: owner.allocationId, owner }))];
}

/**
 * Tags, as a student adds or removes them in the console. DeleteTags with a value deletes the tag only
 * when the value matches. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteTags.html
 */
export function installTagChanges(ec2: Router, account: Account): void {
  const retag = (edit: (tags: Record<string, string>, t: Tag) => void) => (i: { Resources?: string[]; Tags?: Tag[] }, s: Snapshot) => {
    const all = taggable(s);
    const targets = (i.Resources ?? []).map((id) => findOr(all, (r) => r.id === id, "InvalidID", `resource ID '${id}'`));
    for (const { owner } of targets) {
      const tags = { ...owner.tags };
      for (const t of i.Tags ?? []) edit(tags, t);
      owner.tags = tags;
    }
    return {};
  };
  onChange(ec2, account, CreateTagsCommand, retag((tags, t) => (tags[t.Key ?? ""] = t.Value ?? "")));
  onChange(
    ec2,
    account,
    DeleteTagsCommand,
    retag((tags, t) => {
      if (t.Value === undefined || tags[t.Key ?? ""] === t.Value) delete tags[t.Key ?? ""];
    }),
  );
}

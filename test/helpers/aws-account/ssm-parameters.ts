import { DeleteParameterCommand, GetParameterCommand, GetParametersByPathCommand, PutParameterCommand, type PutParameterRequest } from "@aws-sdk/client-ssm";
import { onRead, type Account, type Router } from "./account";
import { awsError } from "./errors";

export interface StoredParameter {
  Name: string;
  Value: string;
  Type: string;
  Tier: string;
  Version: number;
}

/** GetParametersByPath returns at most 10 parameters per page. */
const PAGE = 10;
const STANDARD_LIMIT = 4096;

/**
 * Parameter Store, where the ledger lives. PutParameter with Overwrite false refuses an existing name
 * (`ParameterAlreadyExists`): of two instructors, exactly one creates the entry. A standard parameter
 * holds 4 KB. https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
 */
export function installParameters(ssm: Router, account: Account, parameters: Map<string, StoredParameter>): void {
  const notFound = (name: string | undefined) => awsError("ParameterNotFound", `Parameter ${name} not found.`);
  onRead<PutParameterRequest>(ssm, account, PutParameterCommand, (i) => {
    const name = i.Name ?? "";
    const existing = parameters.get(name);
    if (existing && !i.Overwrite) throw awsError("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
    const tier = i.Tier ?? existing?.Tier ?? "Standard";
    if (tier === "Standard" && (i.Value ?? "").length > STANDARD_LIMIT) throw awsError("ValidationException", `Standard tier parameters support a maximum parameter value of ${STANDARD_LIMIT} characters.`);
    const version = (existing?.Version ?? 0) + 1;
    parameters.set(name, { Name: name, Value: i.Value ?? "", Type: i.Type ?? existing?.Type ?? "String", Tier: tier, Version: version });
    return { Version: version, Tier: tier };
  }, "ledger");
  onRead<{ Name?: string }>(ssm, account, GetParameterCommand, (i) => {
    const p = parameters.get(i.Name ?? "");
    if (!p) throw notFound(i.Name);
    return { Parameter: { Name: p.Name, Type: p.Type, Value: p.Value, Version: p.Version } };
  });
  onRead<{ Path?: string; Recursive?: boolean; MaxResults?: number; NextToken?: string }>(ssm, account, GetParametersByPathCommand, (i) => {
    const path = `${(i.Path ?? "/").replace(/\/$/, "")}/`;
    const under = [...parameters.values()].filter((p) => p.Name.startsWith(path) && (i.Recursive || !p.Name.slice(path.length).includes("/"))).sort((a, b) => a.Name.localeCompare(b.Name));
    const start = Number(i.NextToken ?? 0);
    const size = Math.min(i.MaxResults ?? PAGE, PAGE);
    const page = under.slice(start, start + size);
    return { Parameters: page.map((p) => ({ Name: p.Name, Type: p.Type, Value: p.Value, Version: p.Version })), ...(start + size < under.length ? { NextToken: String(start + size) } : {}) };
  });
  onRead<{ Name?: string }>(ssm, account, DeleteParameterCommand, (i) => {
    if (!parameters.delete(i.Name ?? "")) throw notFound(i.Name);
    return {};
  }, "ledger");
}

import { GetServiceQuotaCommand } from "@aws-sdk/client-service-quotas";
import { onRead, type Account, type Router } from "./account";
import { awsError } from "./errors";

/**
 * What Service Quotas holds: the applied value of each quota, by quota code (e.g. `{ "L-F678F1CE": 10 }`
 * after a VPC quota increase), or `access-denied` when the caller may not read Service Quotas.
 */
export type ServiceQuotaValues = Readonly<Record<string, number>> | "access-denied";

/**
 * Service Quotas GetServiceQuota: the applied value of a quota. A quota with no applied value is not
 * retrieved (NoSuchResourceException), and a caller without servicequotas:GetServiceQuota gets
 * AccessDeniedException. https://docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_GetServiceQuota.html
 */
export function installServiceQuotas(quotas: Router, account: Account, values: ServiceQuotaValues): void {
  onRead<{ ServiceCode?: string; QuotaCode?: string }>(quotas, account, GetServiceQuotaCommand, (i) => {
    if (values === "access-denied") {
      throw awsError("AccessDeniedException", `User: arn:aws:iam::${account.accountId}:user/instructor is not authorized to perform: servicequotas:GetServiceQuota`);
    }
    const value = values[i.QuotaCode ?? ""];
    if (value === undefined) throw awsError("NoSuchResourceException", `The request failed because the specified service quota ${i.ServiceCode}/${i.QuotaCode} has no applied value.`);
    return { Quota: { ServiceCode: i.ServiceCode, QuotaCode: i.QuotaCode, QuotaArn: `arn:aws:servicequotas:${account.state.region}:${account.accountId}:${i.ServiceCode}/${i.QuotaCode}`, Value: value, Unit: "None", Adjustable: true, GlobalQuota: false } };
  });
}

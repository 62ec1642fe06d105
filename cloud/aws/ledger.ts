import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand, paginateGetParametersByPath } from "@aws-sdk/client-ssm";
import { parseLedgerJson } from "../change-schema";
import { LedgerConflictError, type Ledger, type LedgerEntry } from "../port";
import type { AwsClients } from "./clients";

/**
 * Standard parameters hold 4 KB, advanced ones 8 KB.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
 */
export const STANDARD_PARAMETER_LIMIT = 4096;
export const ADVANCED_PARAMETER_LIMIT = 8192;

export const ledgerPath = (lab: string) => `/netlab/${lab}/ledger/`;

export { CorruptLedgerError } from "../change-schema";

/** The scenario a ledger parameter records: its name below the lab's ledger path. */
const scenarioOf = (parameter: string, lab: string) => parameter.slice(ledgerPath(lab).length);

function parseEntry(parameter: string, value: string | undefined, lab: string): LedgerEntry {
  const scenario = scenarioOf(parameter, lab);
  return parseLedgerJson(value, parameter, { lab, scenario, clear: `aws ssm delete-parameter --name ${parameter} (with lab ${lab}'s credentials and region)` });
}

/**
 * The ledger in the participant's own account, so that any instructor's machine can reset any lab.
 * `create` uses Overwrite: false: of two instructors injecting at once, exactly one wins.
 * PutParameter: "Overwrite … The default value is false"; creating a name that exists then fails with
 * ParameterAlreadyExists ("The parameter already exists. You can't create duplicate parameters").
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
 */
export class ParameterStoreLedger implements Ledger {
  constructor(
    private readonly c: AwsClients,
    private readonly lab: string,
  ) {}

  private name(scenario: string): string {
    return `${ledgerPath(this.lab)}${scenario}`;
  }

  /** Every parameter under the lab's ledger path, name and value. */
  private async parameters(): Promise<{ name: string; value: string | undefined }[]> {
    const out: { name: string; value: string | undefined }[] = [];
    // GetParametersByPath pages its answer (at most 10 a call); the paginator reads every page.
    // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
    for await (const page of paginateGetParametersByPath({ client: this.c.ssm }, { Path: ledgerPath(this.lab), Recursive: false })) {
      for (const p of page.Parameters ?? []) if (p.Name) out.push({ name: p.Name, value: p.Value });
    }
    return out;
  }

  async list(): Promise<LedgerEntry[]> {
    return (await this.parameters()).map((p) => parseEntry(p.name, p.value, this.lab));
  }

  async scenarios(): Promise<string[]> {
    return (await this.parameters()).map((p) => scenarioOf(p.name, this.lab));
  }

  async get(scenario: string): Promise<LedgerEntry | undefined> {
    try {
      const p = await this.c.ssm.send(new GetParameterCommand({ Name: this.name(scenario) }));
      return parseEntry(this.name(scenario), p.Parameter?.Value, this.lab);
    } catch (e) {
      if ((e as { name?: string }).name === "ParameterNotFound") return undefined;
      throw e;
    }
  }

  async create(entry: LedgerEntry): Promise<void> {
    const value = JSON.stringify(entry);
    const size = Buffer.byteLength(value);
    if (size > ADVANCED_PARAMETER_LIMIT) throw new Error(`The ledger entry of ${entry.scenario} is ${size} bytes, over Parameter Store's ${ADVANCED_PARAMETER_LIMIT}-byte limit.`);
    try {
      await this.c.ssm.send(
        new PutParameterCommand({
          Name: this.name(entry.scenario),
          Value: value,
          Type: "String",
          Overwrite: false,
          Tier: size > STANDARD_PARAMETER_LIMIT ? "Advanced" : "Standard",
          Description: `netlab fault ${entry.scenario} in lab ${entry.lab}: the inverses that reset applies`,
        }),
      );
    } catch (e) {
      // Another instructor's entry is already there: theirs stands, this inject is refused before any change.
      if ((e as { name?: string }).name === "ParameterAlreadyExists") throw new LedgerConflictError(this.lab, entry.scenario);
      throw e;
    }
  }

  async remove(scenario: string): Promise<void> {
    try {
      await this.c.ssm.send(new DeleteParameterCommand({ Name: this.name(scenario) }));
    } catch (e) {
      if ((e as { name?: string }).name !== "ParameterNotFound") throw e;
    }
  }
}

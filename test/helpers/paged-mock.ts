/** The token a first page hands out, and the second page is asked for with. */
export const PAGE_2 = "page-2";

/**
 * Answers `command` in two pages, the way AWS pages a list: the first answer carries `tokenOut`, and the
 * call that sends it back as `tokenIn` gets the second (last) page. `extra` adds fields to each page
 * (IsTruncated for Route 53). Every call, whatever its other input, is answered this way.
 */
export function twoPages(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  stub: { on: (command: any) => { callsFake: (fn: (input: Record<string, unknown>) => unknown) => unknown } },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  command: any,
  tokens: { in: string; out: string },
  key: string,
  first: unknown[],
  second: unknown[],
  extra: { first?: Record<string, unknown>; second?: Record<string, unknown> } = {},
): void {
  stub.on(command).callsFake((input) => Promise.resolve(input[tokens.in] === PAGE_2 ? { [key]: second, ...extra.second } : { [key]: first, [tokens.out]: PAGE_2, ...extra.first }));
}

export const EC2_TOKENS = { in: "NextToken", out: "NextToken" };
export const ELB_TOKENS = { in: "Marker", out: "NextMarker" };

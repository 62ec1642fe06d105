import { cidrContains, cidrContainsIp, cidrsOverlap, formatIp, isReservedInSubnet, longestPrefixMatch, parseCidr, parseIp } from "../../topology/cidr";

describe("cidr", () => {
  it("parses and formats addresses", () => {
    expect(formatIp(parseIp("10.2.20.101"))).toBe("10.2.20.101");
    expect(formatIp(parseIp("255.255.255.255"))).toBe("255.255.255.255");
  });

  it.each([
    ["10.2.20", '"10.2.20" is not an IPv4 address (expected a.b.c.d).'],
    ["10.2.20.256", '"10.2.20.256" is not an IPv4 address: each part must be 0–255.'],
  ])("rejects the address %s", (text, message) => {
    expect(() => parseIp(text)).toThrow(message);
  });

  it.each([
    ["10.0.0.0/33", "is not an IPv4 CIDR"],
    ["10.0.0.0", "is not an IPv4 CIDR"],
    ["10.0.0.0/8/1", "is not an IPv4 CIDR"],
    ["10.2.20.1/22", "did you mean 10.2.20.0/22?"],
  ])("rejects the CIDR %s", (text, message) => {
    expect(() => parseCidr(text)).toThrow(message);
  });

  it("answers containment and overlap", () => {
    expect(cidrContains("10.0.0.0/8", "10.2.20.0/22")).toBe(true);
    expect(cidrContains("10.2.20.0/22", "10.0.0.0/8")).toBe(false);
    expect(cidrContains("0.0.0.0/0", "0.0.0.0/0")).toBe(true);
    expect(cidrContainsIp("10.2.20.0/22", "10.2.23.255")).toBe(true);
    expect(cidrContainsIp("10.2.20.0/22", "10.2.24.0")).toBe(false);
    expect(cidrsOverlap("10.2.20.0/22", "10.2.22.0/24")).toBe(true);
    expect(cidrsOverlap("10.2.20.0/22", "10.2.24.0/22")).toBe(false);
  });

  it("knows AWS's five reserved addresses", () => {
    const reserved = ["10.2.20.0", "10.2.20.1", "10.2.20.2", "10.2.20.3", "10.2.23.255"];
    expect(reserved.every((ip) => isReservedInSubnet("10.2.20.0/22", ip))).toBe(true);
    expect(isReservedInSubnet("10.2.20.0/22", "10.2.20.4")).toBe(false);
  });

  it("picks the longest matching prefix", () => {
    const routes = [{ d: "0.0.0.0/0" }, { d: "10.0.0.0/8" }, { d: "10.2.0.0/16" }];
    expect(longestPrefixMatch(routes, (r) => r.d, "10.2.1.1")?.d).toBe("10.2.0.0/16");
    expect(longestPrefixMatch(routes, (r) => r.d, "10.3.1.1")?.d).toBe("10.0.0.0/8");
    expect(longestPrefixMatch(routes, (r) => r.d, "8.8.8.8")?.d).toBe("0.0.0.0/0");
    expect(longestPrefixMatch(routes.slice(1), (r) => r.d, "8.8.8.8")).toBeUndefined();
  });
});

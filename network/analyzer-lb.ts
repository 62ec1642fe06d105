import { checkNacl, checkSgIngress, deliver, sendRequest, traceReply, type Endpoint, type Trace } from "./analyzer-trace";
import { lookupPrivate, type Packet } from "./analyzer-index";
import type { ReachResult } from "./reach-types";
import type { EndpointInterfaceModel, LoadBalancerModel } from "./snapshot";
import { targetHealth } from "./target-health";

/**
 * A client → load balancer → healthy target. The listener is the one on `port` (an explicit port with no
 * listener is SERVICE_DOWN: nothing answers there), else the first.
 * - internet-facing: the client reaches the nodes' public addresses through the internet. DNS hands out
 *   every node, so each node's subnet must admit the client (IGW, inbound NACL, SG) and let the reply out
 *   (outbound NACL, a route back to the IGW).
 * - internal: the client reaches the node in its own AZ (else the first) over the VPC's routes and NACLs.
 * A load balancer with no security groups (a Network Load Balancer created without any) admits everything.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html
 */
export function reachLoadBalancer(t: Trace, src: Endpoint, lb: LoadBalancerModel, explicitPort: number | undefined): ReachResult {
  const listener = explicitPort === undefined ? lb.listeners[0] : lb.listeners.find((l) => l.port === explicitPort);
  const port = explicitPort ?? listener?.port ?? 80;
  if (!listener) {
    t.hop(lb, "load-balancer");
    return t.result(!t.block(lb, "SERVICE_DOWN", `${lb.name} has no listener on ${port}; it listens on ${lb.listeners.map((l) => l.port).join(", ") || "no port"}`));
  }
  const nodes = t.ix.loadBalancerNodes.get(lb.arn) ?? [];
  if (!nodes.length) return t.result(!t.block(lb, "UNKNOWN_DESTINATION", `${lb.name} has no subnet, so it has no address to connect to`));
  const options = { protocol: "tcp" as const, port };
  const ok = lb.scheme === "internet-facing" ? throughInternet(t, src, lb, nodes, options) : internally(t, src, lb, nodes, options);
  if (!ok) return t.result(false);
  t.hop(lb, "load-balancer");
  const tg = t.s.targetGroups.find((g) => g.arn === listener.targetGroupArn);
  if (!tg) return t.result(!t.block(lb, "NO_HEALTHY_TARGET", `the listener on ${listener.port} forwards to a target group that does not exist`));
  t.hop(tg, "target-group");
  const healthy = tg.targets.filter((target) => targetHealth(t.s, tg, target).state === "healthy");
  if (!healthy.length) return t.result(!t.block(tg, "NO_HEALTHY_TARGET", `${tg.name} has no healthy target (${tg.targets.length} registered)`));
  return t.result(true);
}

function internally(t: Trace, src: Endpoint, lb: LoadBalancerModel, nodes: EndpointInterfaceModel[], options: { protocol: "tcp"; port: number }): boolean {
  const az = t.ix.subnets.get(src.subnetId)?.az;
  const node = nodes.find((n) => t.ix.subnets.get(n.subnetId)?.az === az) ?? nodes[0];
  const arrival = sendRequest(t, src, node.privateIp, options, lb.securityGroupIds);
  if (!arrival) return false;
  if (arrival.kind !== "owner" || arrival.owner.kind !== "load-balancer") {
    return !t.block(lb, "UNKNOWN_DESTINATION", `the node address ${node.privateIp} of ${lb.name} is not reachable from ${src.name}'s network (internal load balancers have private addresses only)`);
  }
  if (!deliver(t, arrival)) return false;
  return traceReply(t, { subnetId: node.subnetId }, { protocol: "tcp", srcIp: node.privateIp, dstIp: arrival.pkt.srcIp, port: 0, dstPorts: arrival.pkt.srcPorts }, src);
}

function throughInternet(t: Trace, src: Endpoint, lb: LoadBalancerModel, nodes: EndpointInterfaceModel[], options: { protocol: "tcp"; port: number }): boolean {
  const publicIp = (n: EndpointInterfaceModel) => t.ix.loadBalancerNodePublicIp.get(n.privateIp) ?? n.privateIp;
  const arrival = sendRequest(t, src, publicIp(nodes[0]), options, []);
  if (!arrival) return false;
  if (arrival.kind !== "internet") return !t.block(lb, "NO_ROUTE", `${src.name}'s request to ${lb.name} did not reach the internet`);
  const igw = t.s.internetGateways.find((g) => g.vpcId === lb.vpcId);
  if (!igw) return !t.block(t.ref(lb.vpcId), "NO_ROUTE", `${t.name(lb.vpcId)} has no internet gateway, so internet-facing ${lb.name} cannot be reached`);
  const translations = [...t.translations];
  const recording = t.recording;
  try {
    for (const [i, node] of nodes.entries()) {
      t.recording = recording && i === 0;
      t.translations = [...translations];
      const pkt: Packet = { ...arrival.pkt, dstIp: node.privateIp };
      t.hop(igw, "internet-gateway");
      const owner = lookupPrivate(t.ix, lb.vpcId, node.privateIp);
      if (!owner) return !t.block(lb, "UNKNOWN_DESTINATION", `no network interface of ${lb.name} holds ${node.privateIp}`);
      // The request enters the node's subnet from the IGW: inbound NACL, then the load balancer's groups.
      if (!checkNacl(t, node.subnetId, false, pkt, pkt.srcIp)) return false;
      if (!checkSgIngress(t, { name: lb.name, sgIds: lb.securityGroupIds }, pkt, true)) return false;
      const reply: Packet = { protocol: "tcp", srcIp: node.privateIp, dstIp: pkt.srcIp, port: 0, dstPorts: pkt.srcPorts };
      if (!traceReply(t, { subnetId: node.subnetId }, reply, src)) return false;
    }
    return true;
  } finally {
    t.recording = recording;
  }
}

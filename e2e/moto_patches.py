"""moto, patched where it deviates from documented AWS behaviour that netlab's stacks or CLI rely on.

Run as `python3 e2e/moto_patches.py` to start a patched moto server on a free loopback port: it
prints one JSON line {"port": N, "patches": [...]} on stdout once it listens, and stops when its
stdin closes (the harness holds the other end, so the server cannot outlive it) or on SIGTERM/SIGINT.

Each patch restores one behaviour that the AWS API reference documents (quoted in `reference`), and
changes nothing else. None of them may make a netlab bug disappear: each one is about what AWS
itself answers, never about what netlab sends.
"""
import json
import signal
import sys
import threading

PATCHES = []


def patch(id, api, reference, quote):
    def register(fn):
        PATCHES.append({"id": id, "api": api, "reference": reference, "quote": quote, "apply": fn})
        return fn

    return register


@patch(
    "tgw-no-default-route-table-when-both-disabled",
    "CreateTransitGateway",
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TransitGatewayOptions.html",
    "DefaultRouteTableAssociation: Indicates whether resource attachments are automatically associated "
    "with the default association route table. Either DefaultRouteTableAssociation or "
    "DefaultRouteTablePropagation must be set to enable for AWS Transit Gateway to create the default "
    "transit gateway route table.",
)
def _tgw_default_route_table():
    # moto always creates a default route table and associates every new attachment with it, even
    # with both options disabled; the provider then disassociates it, and moto answers 500 (KeyError).
    from moto.ec2.models import transit_gateway_attachments as tga
    from moto.ec2.models.transit_gateway import TransitGateway
    from moto.core.utils import utcnow
    from moto.ec2.utils import random_transit_gateway_id
    from moto.utilities.utils import merge_multiple_dicts

    def __init__(self, backend, description, options=None):
        self.ec2_backend = backend
        self.id = random_transit_gateway_id()
        self.description = description
        self.state = "available"
        self.options = merge_multiple_dicts(self.DEFAULT_OPTIONS, options or {})
        self._created_at = utcnow()
        associate = self.options.get("DefaultRouteTableAssociation") == "enable"
        propagate = self.options.get("DefaultRouteTablePropagation") == "enable"
        self.default_route_table = None
        if associate or propagate:
            self.default_route_table = backend.create_transit_gateway_route_table(
                transit_gateway_id=self.id, tags={}, default_association_route_table=associate, default_propagation_route_table=propagate
            )
        for key, on in (("AssociationDefaultRouteTableId", associate), ("PropagationDefaultRouteTableId", propagate)):
            if on:
                self.options[key] = self.default_route_table.id
            else:
                self.options.pop(key, None)

    TransitGateway.__init__ = __init__

    original_attachment_init = tga.TransitGatewayAttachment.__init__

    def attachment_init(self, backend, resource_id, resource_type, transit_gateway, tags=None):
        original_attachment_init(self, backend, resource_id, resource_type, transit_gateway, tags)
        if transit_gateway.options.get("DefaultRouteTableAssociation") != "enable":
            self.transit_gateway_route_table = None

    tga.TransitGatewayAttachment.__init__ = attachment_init

    def create_transit_gateway_vpc_attachment(self, transit_gateway_id, vpc_id, subnet_ids, tags=None, options=None):
        from moto.ec2.exceptions import DuplicateTransitGatewayAttachmentError, InvalidTransitGatewayID

        transit_gateway = self.transit_gateways.get(transit_gateway_id)
        if not transit_gateway:
            raise InvalidTransitGatewayID(transit_gateway_id, f"Transit Gateway {transit_gateway_id} was deleted or does not exist.")
        existing = self.describe_transit_gateway_vpc_attachments(filters={"transit-gateway-id": transit_gateway_id, "vpc-id": [vpc_id]})
        if any(a.state != "deleted" for a in existing):
            raise DuplicateTransitGatewayAttachmentError(transit_gateway_id)
        attachment = tga.TransitGatewayVpcAttachment(self, transit_gateway=transit_gateway, tags=tags, vpc_id=vpc_id, subnet_ids=subnet_ids, options=options)
        self.transit_gateway_attachments[attachment.id] = attachment
        if attachment.transit_gateway_route_table is not None:
            # The default association is an association like any other: it can be disassociated.
            self.associate_transit_gateway_route_table(attachment.id, attachment.transit_gateway_route_table.id)
        return attachment

    tga.TransitGatewayAttachmentBackend.create_transit_gateway_vpc_attachment = create_transit_gateway_vpc_attachment


@patch(
    "route53-zone-with-vpc-is-private",
    "CreateHostedZone",
    "https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html",
    "VPC: (Private hosted zones only) A complex type that contains information about the Amazon VPC that "
    "you're associating with this hosted zone. You can specify only one Amazon VPC when you create a "
    "private hosted zone.",
)
def _route53_private_zone():
    # moto makes a zone private only when HostedZoneConfig.PrivateZone is sent; the Terraform provider
    # (like the console) sends only the VPC, and moto then refuses every later AssociateVPCWithHostedZone.
    from moto.route53.responses import Route53

    original = Route53.create_hosted_zone

    def create_hosted_zone(self):
        if self._get_param("VPC.VPCId") and self._get_param("HostedZoneConfig.PrivateZone") is None:
            read = self._get_bool_param
            self._get_bool_param = lambda name, if_none=None: True if name == "HostedZoneConfig.PrivateZone" else read(name, if_none)
        return original(self)

    Route53.create_hosted_zone = create_hosted_zone


@patch(
    "tgw-search-routes-max-results",
    "SearchTransitGatewayRoutes",
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SearchTransitGatewayRoutes.html",
    "MaxResults: The maximum number of routes to return. If a value is not provided, the default is 1000.",
)
def _tgw_search_max_results():
    # moto slices a dict when MaxResults is given and answers 500 (TypeError: unhashable type: 'slice').
    from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRouteTableBackend

    original = TransitGatewayRouteTableBackend.search_transit_gateway_routes

    def search_transit_gateway_routes(self, transit_gateway_route_table_id, filters, max_results=None):
        routes = original(self, transit_gateway_route_table_id, filters, None)
        return routes[: int(max_results)] if max_results else routes

    TransitGatewayRouteTableBackend.search_transit_gateway_routes = search_transit_gateway_routes


@patch(
    "cloudwatch-describe-alarm-history",
    "DescribeAlarmHistory",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html",
    "Retrieves the history for the specified alarm. You can filter the results by date range or item type. "
    "If an alarm name is not specified, the histories for either all metric alarms or all composite alarms are returned.",
)
def _cloudwatch_alarm_history():
    # moto records every state change of an alarm but does not implement the call that reads them (500).
    # This answers from that record: one StateUpdate item per change, newest first unless ScanBy says otherwise.
    import json as _json
    from moto.core.responses import ActionResult
    from moto.cloudwatch.responses import CloudWatchResponse

    def items_of(alarm):
        states = [(h[3], h[4]) for h in alarm.history] + [(alarm.state_value, alarm.state_updated_timestamp)]
        reasons = [h[1] for h in alarm.history[1:]] + [alarm.state_reason]
        out = []
        for (old, _), (new, at), reason in zip(states, states[1:], reasons):
            out.append({
                "AlarmName": alarm.name,
                "AlarmType": "CompositeAlarm" if alarm.rule else "MetricAlarm",
                "Timestamp": at,
                "HistoryItemType": "StateUpdate",
                "HistorySummary": f"Alarm updated from {old} to {new}",
                "HistoryData": _json.dumps({"version": "1.0", "oldState": {"stateValue": old}, "newState": {"stateValue": new, "stateReason": reason}}),
            })
        return out

    def describe_alarm_history(self):
        name = self._get_param("AlarmName")
        kind = self._get_param("HistoryItemType")
        alarms = self.cloudwatch_backend.get_alarms_by_alarm_names([name]) if name else self.cloudwatch_backend.describe_alarms()
        items = [i for a in alarms for i in items_of(a) if not kind or i["HistoryItemType"] == kind]
        items.sort(key=lambda i: i["Timestamp"], reverse=self._get_param("ScanBy", "TimestampDescending") != "TimestampAscending")
        return ActionResult({"AlarmHistoryItems": items})

    CloudWatchResponse.describe_alarm_history = describe_alarm_history


@patch(
    "ssm-describe-instance-information",
    "DescribeInstanceInformation",
    "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeInstanceInformation.html",
    "Provides information about one or more of your managed nodes, including the operating system platform, "
    "SSM Agent version, association status, and IP address. If you specify one or more node IDs, the "
    "operation returns information for those managed nodes.",
)
def _ssm_instance_information():
    # moto does not implement the call (500). No SSM Agent runs on the emulator's instances, so none of
    # them is a managed node: the documented answer is an empty list, and every probe is inconclusive.
    from moto.core.responses import ActionResult
    from moto.ssm.responses import SimpleSystemManagerResponse

    SimpleSystemManagerResponse.describe_instance_information = lambda self: ActionResult({"InstanceInformationList": []})


@patch(
    "ec2-instance-security-groups",
    "DescribeInstances",
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Instance.html",
    "SecurityGroups: The security groups for the instance.",
)
def _instance_security_groups():
    # An instance launched with its groups on its network interface (as the Terraform provider launches
    # one with a fixed private IP) has them on the ENI only: moto answers an empty SecurityGroups for the
    # instance. The instance's groups are its primary interface's.
    from moto.ec2.models.instances import Instance

    def get(self):
        own = self.__dict__.get("_security_groups", [])
        if own:
            return own
        nics = self.__dict__.get("nics") or {}
        primary = nics.get(0)
        return list(primary._group_set) if primary is not None else []

    def set_(self, value):
        self.__dict__["_security_groups"] = value

    Instance.security_groups = property(get, set_)


@patch(
    "tgw-propagation-per-route-table",
    "DisableTransitGatewayRouteTablePropagation",
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisableTransitGatewayRouteTablePropagation.html",
    "Disables the specified resource attachment from propagating routes to the specified propagation route table.",
)
def _tgw_propagation_per_table():
    # moto keeps one propagation per attachment: an attachment that propagates to two route tables (each
    # spoke of the lab does) loses the first record when the second is made, and disabling the second
    # answers 500 (KeyError), so `terraform destroy` retries until it times out. A propagation is one
    # attachment to one route table; disabling it leaves the attachment's other propagations alone.
    from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRelations, TransitGatewayRouteTableBackend

    def disable_transit_gateway_route_table_propagation(self, transit_gateway_attachment_id, transit_gateway_route_table_id):
        self.disable_route_table_propagation(transit_gateway_attachment_id=transit_gateway_attachment_id, transit_gateway_route_table_id=transit_gateway_route_table_id)
        attachment = self.transit_gateway_attachments[transit_gateway_attachment_id]
        if attachment.propagation.get("transitGatewayRouteTableId") == transit_gateway_route_table_id:
            self.disable_attachment_propagation(transit_gateway_attachment_id=transit_gateway_attachment_id)
        relation = self.transit_gateway_propagations.get(transit_gateway_attachment_id)
        if relation is not None and relation.transit_gateway_route_table_id == transit_gateway_route_table_id:
            self.transit_gateway_propagations.pop(transit_gateway_attachment_id)
        else:
            relation = TransitGatewayRelations(self, transit_gateway_attachment_id, transit_gateway_route_table_id, state="enabled")
        relation.state = "disabled"
        return relation

    TransitGatewayRouteTableBackend.disable_transit_gateway_route_table_propagation = disable_transit_gateway_route_table_propagation


@patch(
    "tgw-vpc-attachment-tags",
    "CreateTransitGatewayVpcAttachment",
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTransitGatewayVpcAttachment.html",
    "TagSpecifications: The tags to apply to the VPC attachment.",
)
def _tgw_attachment_tags():
    # moto reads the tags of resource type "transit-gateway-route-table" for a VPC attachment, so an
    # attachment created with its tags (ResourceType "transit-gateway-attachment") has none: no Name,
    # and not the lab's tag.
    from moto.ec2.responses.transit_gateway_attachments import TransitGatewayAttachment

    original = TransitGatewayAttachment.create_transit_gateway_vpc_attachment

    def create_transit_gateway_vpc_attachment(self):
        read = self._parse_tag_specification

        def attachment_tags():
            specs = read()
            return {**specs, "transit-gateway-route-table": {**specs.get("transit-gateway-route-table", {}), **specs.get("transit-gateway-attachment", {})}}

        self._parse_tag_specification = attachment_tags
        return original(self)

    TransitGatewayAttachment.create_transit_gateway_vpc_attachment = create_transit_gateway_vpc_attachment


@patch(
    "tgw-attachment-association",
    "DescribeTransitGatewayAttachments",
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateTransitGatewayRouteTable.html",
    "Associates the specified attachment with the specified transit gateway route table. You can associate "
    "only one route table with an attachment.",
)
def _tgw_attachment_association():
    # moto's DescribeTransitGatewayAttachments shows the default route table as the association, never the
    # one AssociateTransitGatewayRouteTable made (nor its removal): an attachment looks associated with none.
    from moto.ec2.models import transit_gateway_attachments as tga

    def association(self):
        data = self._association_data
        if self.state == "available" and data.get("transitGatewayRouteTableId"):
            return {"State": data.get("state", "associated"), "TransitGatewayRouteTableId": data["transitGatewayRouteTableId"]}
        return None

    tga.TransitGatewayAttachment.association = property(association)


@patch(
    "tgw-deleted-attachment-stays-listed",
    "DeleteTransitGatewayVpcAttachment",
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TransitGatewayVpcAttachment.html",
    "State: The state of the VPC attachment. Valid Values: initiating | initiatingRequest | pendingAcceptance | "
    "rollingBack | pending | available | modifying | deleting | deleted | failed | rejected | rejecting | failing",
)
def _tgw_deleted_attachment_listed():
    # A deleted attachment is described in state "deleted" for a while, and the Terraform provider waits to
    # see that state. moto forgets the attachment at once, so the provider's wait ends in "couldn't find
    # resource" and `terraform destroy` fails. Kept, in state deleted; a new attachment of the VPC is allowed.
    from moto.ec2.models import transit_gateway_attachments as tga

    original = tga.TransitGatewayAttachmentBackend.delete_transit_gateway_vpc_attachment

    def delete_transit_gateway_vpc_attachment(self, transit_gateway_attachment_id):
        attachment = original(self, transit_gateway_attachment_id)
        attachment.state = "deleted"
        attachment._association_data = {}
        self.transit_gateway_attachments[transit_gateway_attachment_id] = attachment
        return attachment

    tga.TransitGatewayAttachmentBackend.delete_transit_gateway_vpc_attachment = delete_transit_gateway_vpc_attachment


@patch(
    "private-ips-from-the-subnet",
    "CreateNetworkInterface",
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkInterface.html",
    "PrivateIpAddress: The primary private IPv4 address of the network interface. If you don't specify an "
    "IPv4 address, Amazon EC2 selects one for you from the subnet's IPv4 CIDR range.",
)
def _private_ips_from_subnet():
    # moto gives an interface endpoint's network interfaces, and NAT gateways, a random 10.x.y.z outside
    # their subnet, so the lab's SSM endpoints seem to sit in another VPC. Addresses EC2 picks come from the
    # subnet, not its first four or its last (AWS reserves them), and are not handed out twice; the lowest
    # free one first, which keeps them away from the lab's fixed .101/.102.
    import ipaddress
    from moto.ec2 import utils
    from moto.ec2.models import elastic_network_interfaces as enis
    from moto.ec2.models import nat_gateways, vpcs

    handed = {}

    def free_ip(cidr):
        net = ipaddress.IPv4Network(cidr)
        used = handed.setdefault(cidr, set())
        for host in range(4, net.num_addresses - 1):
            ip = str(net.network_address + host)
            if ip not in used:
                used.add(ip)
                return ip
        raise RuntimeError(f"no free address left in {cidr}")

    def random_private_ip(cidr=None, ipv6=False):
        return free_ip(cidr) if cidr and not ipv6 else utils.random_private_ip(cidr, ipv6)

    enis.random_private_ip = random_private_ip
    # The endpoint passes moto's subnet-less random address: pass none, so the interface picks from its subnet.
    vpcs.random_private_ip = lambda cidr=None, ipv6=False: None
    # The NAT gateway's own interface likewise.
    nat_gateways.random_private_ip = lambda cidr=None, ipv6=False: None
    original_nat_init = nat_gateways.NatGateway.__init__

    def nat_init(self, *args, **kwargs):
        original_nat_init(self, *args, **kwargs)
        self.private_ip = self._eni.private_ip_address

    nat_gateways.NatGateway.__init__ = nat_init


@patch(
    "tgw-route-attachments",
    "SearchTransitGatewayRoutes",
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TransitGatewayRoute.html",
    "TransitGatewayAttachments: The attachments. Type: Array of TransitGatewayRouteAttachment objects",
)
def _tgw_route_attachments():
    # moto keeps a static route's attachment as one object where the API has a list, so the route comes
    # back with no attachment at all and reads as a blackhole.
    from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRouteTableBackend

    original = TransitGatewayRouteTableBackend.create_transit_gateway_route

    def create_transit_gateway_route(self, *args, **kwargs):
        route = original(self, *args, **kwargs)
        if isinstance(route.get("transitGatewayAttachments"), dict):
            route["transitGatewayAttachments"] = [route["transitGatewayAttachments"]]
        return route

    TransitGatewayRouteTableBackend.create_transit_gateway_route = create_transit_gateway_route


def apply_patches():
    for p in PATCHES:
        p["apply"]()
    return [{k: v for k, v in p.items() if k != "apply"} for p in PATCHES]


def main():
    applied = apply_patches()
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    print(json.dumps({"port": port, "patches": applied}), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    server.stop()


if __name__ == "__main__":
    main()

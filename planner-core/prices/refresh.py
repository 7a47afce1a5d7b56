#!/usr/bin/env python3
"""Refresh the cost estimate's price table from AWS's public price-list files.

Reads the bulk offer files AWS publishes without credentials
(https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offer>/current/<region>/index.json)
for AmazonEC2 (NAT gateway hours and GB, t4g.nano hours), AmazonVPC (interface endpoint
hours and GB, public IPv4 address hours) and AmazonCloudWatch (vended-log delivery to
CloudWatch Logs and to S3), takes each on-demand price's first tier, and prints the Rust
table of planner-core/src/analysis/cost.rs dated today; with --write it replaces the table in
that file. A price it cannot find is an error naming the offer, region and usage type, never
a guess.

    python3 planner-core/prices/refresh.py                      # print, regions of the table
    python3 planner-core/prices/refresh.py --write              # update cost.rs
    python3 planner-core/prices/refresh.py --from DIR --region us-east-1 --as-of 2026-12

--from DIR reads DIR/<offer>/<region>/index.json instead of downloading (the AmazonEC2 file
of a large region is several hundred MB; download it once with curl and point --from at it).
"""

import argparse
import datetime
import json
import pathlib
import re
import sys
import urllib.request

URL = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/{offer}/current/{region}/index.json"
COST_RS = pathlib.Path(__file__).resolve().parent.parent / "src" / "analysis" / "cost.rs"
BEGIN = "// prices: begin (written by planner-core/prices/refresh.py)"
END = "// prices: end"

# field: (offer, usage type pattern, extra attributes that must match, required)
FIELDS = [
    ("nat_gateway_hour", "AmazonEC2", r"(^|-)NatGateway-Hours$", {}, True),
    ("nat_gateway_gb", "AmazonEC2", r"(^|-)NatGateway-Bytes$", {}, True),
    ("public_ipv4_hour", "AmazonVPC", r"(^|-)PublicIPv4:InUseAddress$", {}, True),
    (
        "nat_instance_hour",
        "AmazonEC2",
        r"(^|-)BoxUsage:t4g\.nano$",
        {"operatingSystem": "Linux", "preInstalledSw": "NA", "tenancy": "Shared", "capacitystatus": "Used"},
        True,
    ),
    ("interface_endpoint_az_hour", "AmazonVPC", r"(^|-)VpcEndpoint-Hours$", {}, True),
    ("interface_endpoint_gb", "AmazonVPC", r"(^|-)VpcEndpoint-Bytes$", {}, True),
    ("flow_logs_cloudwatch_gb", "AmazonCloudWatch", r"(^|-)VendedLog-Bytes$", {}, True),
    ("flow_logs_s3_gb", "AmazonCloudWatch", r"(^|-)S3-Egress-Bytes$", {}, False),
]


class Missing(Exception):
    pass


def load(offer, region, source):
    if source:
        path = pathlib.Path(source) / offer / region / "index.json"
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    url = URL.format(offer=offer, region=region)
    print(f"reading {url}", file=sys.stderr)
    with urllib.request.urlopen(url, timeout=600) as r:
        return json.load(r)


def first_tier_usd(offer_doc, sku):
    """The on-demand price of `sku` for its first tier (beginRange 0), in USD."""
    for term in offer_doc.get("terms", {}).get("OnDemand", {}).get(sku, {}).values():
        for dim in term.get("priceDimensions", {}).values():
            if str(dim.get("beginRange", "0")) in ("0", "0.0"):
                return float(dim["pricePerUnit"]["USD"])
    return None


def price(offer_doc, offer, region, pattern, attributes):
    found = []
    for sku, product in offer_doc.get("products", {}).items():
        attrs = product.get("attributes", {})
        if attrs.get("regionCode", region) != region:
            continue
        if not re.search(pattern, attrs.get("usagetype", "")):
            continue
        if any(attrs.get(k) != v for k, v in attributes.items()):
            continue
        usd = first_tier_usd(offer_doc, sku)
        if usd is not None:
            found.append((usd, sku))
    prices = sorted({usd for usd, _ in found})
    if not prices:
        raise Missing(f"{offer} in {region}: no on-demand price for usage type /{pattern}/")
    if len(prices) > 1:
        skus = ", ".join(sorted(sku for _, sku in found))
        raise Missing(f"{offer} in {region}: usage type /{pattern}/ has several prices {prices} (SKUs {skus})")
    return prices[0]


def region_row(region, source):
    docs = {}
    row = {}
    for field, offer, pattern, attributes, required in FIELDS:
        if offer not in docs:
            docs[offer] = load(offer, region, source)
        try:
            row[field] = price(docs[offer], offer, region, pattern, attributes)
        except Missing:
            if required:
                raise
            row[field] = None
    return row


def number(v):
    text = f"{v:.6f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def rust_table(rows, as_of):
    out = [
        BEGIN,
        "/// When the table's prices were taken.",
        f'pub const PRICES_AS_OF: &str = "{as_of}";',
        "",
        "/// The price table.",
        "pub const PRICES: &[RegionPrices] = &[",
    ]
    for region, row in rows:
        out.append("    RegionPrices {")
        out.append(f'        region: "{region}",')
        for field, *_ in FIELDS:
            v = row[field]
            if field == "flow_logs_s3_gb":
                text = f"Some({number(v)})" if v is not None else "None"
            else:
                text = number(v)
            out.append(f"        {field}: {text},")
        out.append("    },")
    out.append("];")
    out.append(END)
    return "\n".join(out) + "\n"


def table_regions(text):
    block = text[text.index(BEGIN):text.index(END)]
    return re.findall(r'region: "([a-z0-9-]+)"', block)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--region", nargs="+", help="regions to price (default: those in the table)")
    p.add_argument("--from", dest="source", help="read DIR/<offer>/<region>/index.json instead of downloading")
    p.add_argument("--as-of", help="the table's date, YYYY-MM (default: this month)")
    p.add_argument("--write", action="store_true", help=f"replace the table in {COST_RS.name}")
    args = p.parse_args(argv)
    text = COST_RS.read_text(encoding="utf-8")
    regions = args.region or table_regions(text)
    as_of = args.as_of or datetime.date.today().strftime("%Y-%m")
    try:
        rows = [(r, region_row(r, args.source)) for r in regions]
    except (Missing, OSError, ValueError, KeyError) as e:
        print(f"refresh.py: {e}", file=sys.stderr)
        return 2
    table = rust_table(rows, as_of)
    if args.write:
        start, end = text.index(BEGIN), text.index(END) + len(END) + 1
        COST_RS.write_text(text[:start] + table + text[end:], encoding="utf-8")
        print(f"wrote {len(rows)} regions to {COST_RS}", file=sys.stderr)
    else:
        sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

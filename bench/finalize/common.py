"""Helpers shared by bench/finalize/orders.py and bench/finalize/checkouts.py.

- the keep-alive HTTP client of bench/checkout/event_latency.py (Conn, Pool) and request heads
  built once as bytes;
- a minimal synchronous Redis client (RESP over one socket) for the set-up and the checks;
- the bench's catalog products (PRODUCTS: written as catalog:product:{SKU} records, so their stock
  is the bench's own and a run never empties the sample catalog), the customer data and consents
  every bench customer gives;
- CloudEvents (binary mode, as the services publish them) of any type on any topic;
- percentiles and the one-line latency summary the reports print.
"""
import base64
import datetime
import json
import math
import socket
import sys
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench" / "checkout"))
from event_latency import Conn, Pool  # noqa: E402,F401  (the shared keep-alive client)

SOURCES = {"cart-events": "/checkout/cart", "shipping-events": "/checkout/shipping",
           "payment-events": "/checkout/payment"}

# (sku suffix, name, category, type, price in grosze, weight g, dimensions mm): small goods a
# courier takes, two of them well under the cash-on-delivery limit (5 000 zł).
PRODUCTS = [
    ("PHONE", "Smartfon testowy", "phone", "offer", 99900, 210, (72, 150, 8)),
    ("LAPTOP", "Laptop testowy", "laptop", "offer", 349900, 1600, (310, 220, 18)),
    ("CABLE", "Kabel USB-C testowy", "accessory", "accessory", 4999, 60, (100, 100, 20)),
    ("CASE", "Etui testowe", "accessory", "accessory", 5999, 40, (80, 160, 15)),
]

CUSTOMER = json.dumps({
    "customer": {"email": "anna.kowalska@example.pl", "phone": "600 100 200",
                 "first_name": "Anna", "last_name": "Kowalska"},
    "invoice": {"type": "private", "street": "ul. Marszałkowska", "building_number": "84",
                "apartment_number": "12", "postal_code": "00-514", "city": "Warszawa",
                "country_code": "PL"}}, ensure_ascii=False).encode()
CONSENTS = json.dumps({"consents": [
    {"consent_id": "terms_of_sale", "granted": True, "text_version": "2026-01"},
    {"consent_id": "privacy_policy", "granted": True, "text_version": "2026-01"}]}).encode()
ADDRESS = {"first_name": "Anna", "last_name": "Kowalska", "company_name": None,
           "street": "ul. Marszałkowska", "building_number": "84", "apartment_number": "12",
           "postal_code": "00-514", "city": "Warszawa", "country_code": "PL",
           "phone": "+48 600 100 200", "floor": 4, "has_elevator": False}


def user_of(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


def product_record(sku, name, category, price, weight, dims, stock):
    """A catalog record as tools/catalog_import writes it (contracts/catalog_product)."""
    return {"sku": sku, "name": name, "category": category, "price": price, "currency": "PLN",
            "stock": stock, "weight_g": weight,
            "dimensions_mm": {"width": dims[0], "height": dims[1], "depth": dims[2]},
            "flags": []}


def head(method, path, token, body=None, extra=b""):
    """A request's head as bytes (built once per request; the body goes separately)."""
    out = (method.encode() + b" " + path.encode() + b" HTTP/1.1\r\nHost: bench\r\n"
           b"Authorization: Bearer " + token.encode() + b"\r\n" + extra)
    if body is not None:
        out += (b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode()
                + b"\r\n")
    return out + b"\r\n"


def now_rfc3339():
    return (datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"))


def traceparent():
    return f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01"


def publish(brokers, events, client_id):
    """Produces (topic, type, data) events, keyed by the session, as the services publish them
    (CloudEvents binary mode; idempotent producer, acks=all). Returns the delivery errors."""
    from confluent_kafka import Producer
    errors = []
    producer = Producer({"bootstrap.servers": brokers, "enable.idempotence": True,
                         "linger.ms": 20, "batch.size": 1 << 20, "client.id": client_id})

    def delivered(err, _message):
        if err is not None:
            errors.append(str(err))

    for topic, ce_type, data in events:
        headers = [
            ("ce_specversion", "1.0"), ("ce_id", str(uuid.uuid4())), ("ce_type", ce_type),
            ("ce_source", SOURCES[topic]), ("ce_time", data["occurred_at"]),
            ("ce_subject", data["session_id"]), ("content-type", "application/json"),
            ("traceparent", data["traceparent"]),
        ]
        while True:
            try:
                producer.produce(topic, key=data["session_id"].encode(),
                                 value=json.dumps(data, ensure_ascii=False).encode(),
                                 headers=headers, on_delivery=delivered)
                break
            except BufferError:
                producer.poll(0.1)
        producer.poll(0)
    left = producer.flush(120)
    if left:
        errors.append(f"{left} events not delivered within 120 s")
    return errors


class Redis:
    """One blocking connection speaking RESP; enough for SET/GET/HMGET/DEL/EVAL."""

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))
        self.file = self.sock.makefile("rb")

    @staticmethod
    def encode(*args):
        out = [b"*%d\r\n" % len(args)]
        for arg in args:
            data = arg if isinstance(arg, bytes) else str(arg).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(data), data))
        return b"".join(out)

    def read(self):
        line = self.file.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.file.read(n + 2)[:-2]
            return data.decode()
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise RuntimeError(f"unexpected reply {line!r}")

    def call(self, *args):
        self.sock.sendall(self.encode(*args))
        return self.read()

    def pipeline(self, commands):
        """Sends every command, then reads every reply (in batches of 1,000)."""
        replies = []
        for i in range(0, len(commands), 1000):
            batch = commands[i:i + 1000]
            self.sock.sendall(b"".join(self.encode(*c) for c in batch))
            replies.extend(self.read() for _ in batch)
        return replies

    def close(self):
        self.sock.close()


def pct(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)] if ordered else float("nan")


def describe(values):
    if not values:
        return "no samples"
    return (f"p50 {pct(values, .5):7.1f} ms, p99 {pct(values, .99):7.1f} ms, "
            f"max {max(values):7.1f} ms ({len(values)})")

"""Tests of the contracts and their tools. Run: python3 -m unittest discover -s tools/contracts -v
(or pytest tools/contracts). Needs the packages of requirements.txt."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import check_asyncapi  # noqa: E402
import validate_catalog  # noqa: E402
import validate_event  # noqa: E402

REPO = HERE.parents[1]
EXAMPLES = REPO / "contracts" / "events" / "examples"
CATALOG_DIR = REPO / "tools" / "catalog"

EXPECTED_TYPES = {
    "CartItemAdded", "CartItemRemoved", "CartItemQuantityChanged", "CartItemPriceChanged", "CartItemStockChanged",
    "CartMerged",
    "CatalogProductUpserted", "CatalogPriceChanged", "CatalogStockChanged",
    "ShippingMethodSelected", "ShippingMethodCleared", "ShippingAddressProvided", "DeliveryDateSelected", "ShippingAddonsSelected",
    "PaymentMethodCleared", "PaymentMethodSelected", "PaymentInitialized", "PaymentSucceeded", "PaymentFailed", "PaymentPending",
    "PaymentRefunded",
    "OrderCreated", "CheckoutCompleted", "OrderCancelled", "CustomerDataProvided", "ConsentsGiven",
    "PromotionApplied", "PromotionRemoved", "PromoCodeApplied", "PromoCodeInvalid",
    "ServiceAvailabilityCalculated", "CartItemValidated",
    "WarrantySelected", "WarrantyRemoved",
}


def example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


class EventSchemas(unittest.TestCase):
    def test_every_event_type_has_a_schema(self):
        self.assertEqual(set(validate_event.schema_files()), EXPECTED_TYPES)

    def test_examples_valid(self):
        self.assertEqual(validate_event.validate_examples(), 0)

    def assertInvalid(self, name, data, fragment):
        errs = validate_event.errors_for(name, data)
        self.assertTrue(any(fragment in e for e in errs), f"expected an error with {fragment!r}, got {errs}")

    def test_money_must_be_integer(self):
        d = example("CartItemAdded")
        d["line"]["unit_price"]["amount"] = 3299.0
        self.assertInvalid("CartItemAdded", d, "is not of type 'integer'")

    def test_currency_pattern(self):
        d = example("CartItemAdded")
        d["line"]["unit_price"]["currency"] = "pln"
        self.assertInvalid("CartItemAdded", d, "does not match")

    def test_session_fields_required(self):
        for name in EXPECTED_TYPES - {"CatalogProductUpserted", "CatalogPriceChanged", "CatalogStockChanged"}:
            for field in ("session_id", "user_id", "version", "traceparent", "occurred_at"):
                d = example(name)
                del d[field]
                self.assertInvalid(name, d, f"'{field}' is a required property")

    def test_catalog_events_have_no_session_fields(self):
        d = example("CatalogStockChanged")
        d["session_id"] = "s1"
        self.assertInvalid("CatalogStockChanged", d, "Additional properties are not allowed")

    def test_traceparent_and_version(self):
        d = example("PaymentSucceeded")
        d["traceparent"] = "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"
        d["version"] = 0
        errs = validate_event.errors_for("PaymentSucceeded", d)
        self.assertEqual(len(errs), 2, errs)

    def test_occurred_at_is_rfc3339(self):
        d = example("OrderCreated")
        d["occurred_at"] = "2025-03-14 10:35"
        self.assertInvalid("OrderCreated", d, "is not a 'date-time'")

    def test_no_additional_properties_nested(self):
        d = example("ShippingAddressProvided")
        d["address"]["voivodeship"] = "mazowieckie"
        self.assertInvalid("ShippingAddressProvided", d, "Additional properties are not allowed")

    def test_postal_code(self):
        d = example("ShippingAddressProvided")
        d["address"]["postal_code"] = "00514"
        self.assertInvalid("ShippingAddressProvided", d, "does not match")

    def test_quantity_range_and_line_type(self):
        d = example("CartItemQuantityChanged")
        d["line"]["quantity"] = 1000
        d["line"]["type"] = "warranty"
        errs = validate_event.errors_for("CartItemQuantityChanged", d)
        self.assertEqual(len(errs), 2, errs)

    def test_removed_with_parent_nullable(self):
        d = example("CartItemRemoved")
        d["removed_with_parent"] = None
        self.assertEqual(validate_event.errors_for("CartItemRemoved", d), [])

    def test_cli(self):
        script = str(HERE / "validate_event.py")
        ok = subprocess.run([sys.executable, script, "CartItemAdded", str(EXAMPLES / "CartItemAdded.json")],
                            capture_output=True, text=True)
        self.assertEqual(ok.returncode, 0, ok.stderr)
        bad = copy.deepcopy(example("CartItemAdded"))
        bad["line"]["quantity"] = 0
        res = subprocess.run([sys.executable, script, "CartItemAdded", "-"], input=json.dumps(bad),
                             capture_output=True, text=True)
        self.assertEqual(res.returncode, 1)
        self.assertIn("$.line.quantity", res.stderr)
        unknown = subprocess.run([sys.executable, script, "NoSuchEvent", "-"], input="{}", capture_output=True, text=True)
        self.assertEqual(unknown.returncode, 1)
        self.assertIn("unknown event type", unknown.stderr)


class AsyncApi(unittest.TestCase):
    def test_consistent(self):
        self.assertEqual(check_asyncapi.main(["check_asyncapi.py"]), 0)

    def test_detects_unreferenced_schema(self):
        text = (REPO / "contracts" / "asyncapi.yaml").read_text(encoding="utf-8")
        broken = text.replace("./events/WarrantyRemoved.schema.json", "./events/WarrantySelected.schema.json")
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", dir=REPO / "contracts", delete=False) as f:
            f.write(broken)
        try:
            self.assertEqual(check_asyncapi.main(["check_asyncapi.py", f.name]), 1)
        finally:
            Path(f.name).unlink()


class Catalog(unittest.TestCase):
    def test_sample_valid(self):
        self.assertEqual(validate_catalog.check(CATALOG_DIR / "sample_catalog.jsonl"), [])

    def test_sample_shape(self):
        lines = [json.loads(l) for l in (CATALOG_DIR / "sample_catalog.jsonl").read_text(encoding="utf-8").splitlines()]
        self.assertGreaterEqual(len(lines), 220)
        by_cat = {}
        for p in lines:
            by_cat.setdefault(p["category"], []).append(p)
        services = by_cat.pop("service", [])
        self.assertGreaterEqual(len(services), 6)
        self.assertEqual(len(by_cat), 8)
        for cat, ps in by_cat.items():
            self.assertGreaterEqual(len(ps), 20, cat)
        self.assertTrue(any(p["stock"] == 0 for p in lines))
        self.assertTrue(any(1 <= p["stock"] <= 3 for p in lines))
        for p in lines:
            if p["category"] in ("fridge", "washing_machine", "dishwasher"):
                self.assertIn("large_appliance", p["flags"], p["sku"])
            if p["category"] in ("washing_machine", "dishwasher"):
                self.assertIn("needs_installation", p["flags"], p["sku"])
            if p["category"] == "furniture":
                self.assertIn("needs_assembly", p["flags"], p["sku"])

    def test_every_line_makes_a_valid_upsert_event(self):
        for raw in (CATALOG_DIR / "sample_catalog.jsonl").read_text(encoding="utf-8").splitlines():
            p = json.loads(raw)
            event = {k: v for k, v in p.items() if k != "currency"}
            event["price"] = {"amount": p["price"], "currency": p["currency"]}
            event["occurred_at"] = "2025-03-14T06:00:00Z"
            self.assertEqual(validate_event.errors_for("CatalogProductUpserted", event), [], p["sku"])

    def test_generator_is_deterministic(self):
        with tempfile.TemporaryDirectory() as d:
            out = Path(d) / "c.jsonl"
            subprocess.run([sys.executable, str(CATALOG_DIR / "generate_sample_catalog.py"), "--out", str(out)],
                           check=True, capture_output=True)
            self.assertEqual(out.read_bytes(), (CATALOG_DIR / "sample_catalog.jsonl").read_bytes())


if __name__ == "__main__":
    unittest.main()


class CppContractsMatchTheDocuments(unittest.TestCase):
    """contracts/cpp names what the services share in C++; it must say what the documents say."""

    CPP = REPO / "contracts" / "cpp" / "include" / "contracts"

    @staticmethod
    def constants(path: Path) -> dict[str, str]:
        import re
        text = path.read_text(encoding="utf-8")
        return dict(re.findall(r'constexpr\s+(?:std::string_view|int)\s+(k\w+)\s*=\s*"?([^";]+)"?;', text))

    def asyncapi(self) -> dict:
        import yaml
        return yaml.safe_load((REPO / "contracts" / "asyncapi.yaml").read_text(encoding="utf-8"))

    def test_topics_and_partitions_are_the_asyncapi_channels(self):
        names = self.constants(self.CPP / "topics.hpp")
        topics = {v for k, v in names.items() if k.endswith("Topic")}
        channels = {c["address"]: c for c in self.asyncapi()["channels"].values()}
        self.assertEqual(topics, {a for a in channels if not a.endswith(".dlq")})
        for topic in topics:
            self.assertEqual(channels[topic]["bindings"]["kafka"]["partitions"], int(names["kTopicPartitions"]), topic)
            self.assertEqual(channels[topic + ".dlq"]["bindings"]["kafka"]["partitions"],
                             int(names["kDeadLetterPartitions"]), topic)

    def test_sources_are_those_the_channels_name(self):
        names = self.constants(self.CPP / "topics.hpp")
        sources = {v for k, v in names.items() if k.endswith("Source")}
        described = " ".join(str(c.get("description", "")) for c in self.asyncapi()["channels"].values())
        for source in sources:
            self.assertIn(f"ce_source `{source}`", described)

    def test_event_types_are_the_schemas(self):
        names = self.constants(self.CPP / "event_types.hpp")
        self.assertEqual(set(names.values()), EXPECTED_TYPES)
        for constant, value in names.items():
            self.assertEqual(constant, "k" + value)

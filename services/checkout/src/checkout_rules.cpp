#include "checkout_rules.hpp"

#include <algorithm>

namespace checkout {
using platform::rules::Node;
using platform::rules::quote;

namespace {

VatRate read_rate(const Node& node) {
  if (node.present() && node.yaml().IsScalar() && node.yaml().Scalar() == "zw") {
    return VatRate{0, true};
  }
  if (node.present() && !node.yaml().IsScalar()) node.fail("a VAT rate must be 0..99 or zw");
  return VatRate{static_cast<int>(node.integer(0, 99)), false};
}

VatRules read_vat(const Node& node) {
  node.only_keys({"goods", "categories", "services", "warranties", "delivery", "payment_fee"});
  VatRules vat;
  vat.goods = read_rate(node["goods"]);
  if (node["categories"].present()) vat.categories = node["categories"].map(read_rate);
  vat.services = read_rate(node["services"]);
  vat.warranties = read_rate(node["warranties"]);
  vat.delivery = read_rate(node["delivery"]);
  vat.payment_fee = read_rate(node["payment_fee"]);
  return vat;
}

ConsentText read_consent(const Node& node) {
  node.only_keys({"id", "required", "version", "title", "text"});
  ConsentText consent;
  consent.id = node["id"].identifier();
  consent.required = node["required"].boolean();
  consent.version = node["version"].text(64);
  consent.title = node["title"].text(200);
  consent.text = node["text"].text(5000);
  return consent;
}

}  // namespace

std::string VatRate::label() const {
  return exempt ? "zw" : std::to_string(percent) + "%";
}

const VatRate& VatRules::for_category(const std::string& category) const {
  const auto it = categories.find(category);
  return it == categories.end() ? goods : it->second;
}

const ConsentText* CheckoutRules::consent(const std::string& id) const {
  const auto it = std::find_if(consents.begin(), consents.end(),
                               [&](const ConsentText& c) { return c.id == id; });
  return it == consents.end() ? nullptr : &*it;
}

CheckoutRules parse_checkout_rules(const Node& root) {
  root.only_keys({"vat", "consents"});
  CheckoutRules rules;
  rules.vat = read_vat(root["vat"]);
  const Node consents = root["consents"];
  const auto items = consents.items();
  for (const Node& item : items) {
    auto consent = read_consent(item);
    if (rules.consent(consent.id) != nullptr) {
      item["id"].fail("consent id " + quote(consent.id) + " is used twice");
    }
    rules.consents.push_back(std::move(consent));
  }
  if (rules.consents.size() > kMaxConsents) {
    items[kMaxConsents].fail("'consents' may list at most " + std::to_string(kMaxConsents));
  }
  return rules;
}

}  // namespace checkout

#include "payment_rules.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "contracts/catalog_product.hpp"
#include "platform/rules/percentage.hpp"

namespace payment {
namespace {
using platform::rules::Node;
using platform::rules::quote;

constexpr std::int64_t kMaxGrosze = 100'000'000'00;  // 100 million zł: far above any order

std::int64_t read_money(const Node& node) {
  const std::int64_t grosze = node.money();
  if (grosze > kMaxGrosze) {
    node.fail(node.describe() + " must be at most " + std::to_string(kMaxGrosze) + " grosze");
  }
  return grosze;
}

std::optional<std::int64_t> read_optional_money(const Node& node) {
  if (!node.present()) return std::nullopt;
  return read_money(node);
}

Fee read_fee(const Node& node) {
  Fee fee;
  if (!node.present()) return fee;
  node.only_keys({"fixed", "share", "min", "max"});
  if (node["fixed"].present()) fee.fixed = read_money(node["fixed"]);
  const Node share = node["share"];
  if (!share.present()) {
    for (const auto* key : {"min", "max"}) {
      if (node[key].present()) {
        node[key].fail(std::string("'") + key +
                       "' holds a fee computed from 'share': it goes only with 'share'");
      }
    }
    return fee;
  }
  const auto bp = platform::rules::basis_points(share.string());
  if (!bp || *bp > platform::rules::kWholeBasisPoints) {
    share.fail(
        "'share' must be a percentage from 0 to 100, with at most two decimals (like \"1%\" "
        "or \"1.5%\"), got " +
        quote(share.string()));
  }
  fee.share_bp = *bp;
  fee.min_price = read_optional_money(node["min"]);
  fee.max_price = read_optional_money(node["max"]);
  if (fee.min_price && fee.max_price && *fee.max_price < *fee.min_price) {
    node["max"].fail("'max' must not be below 'min' (" + std::to_string(*fee.min_price) + ")");
  }
  return fee;
}

// A list of the Shipping's method ids, none twice. Not present: empty.
std::vector<std::string> read_shipping_methods(const Node& node) {
  std::vector<std::string> ids;
  if (!node.present()) return ids;
  for (const Node& item : node.items()) {
    std::string id = item.identifier();
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
      item.fail(quote(id) + " is listed twice in " + node.describe());
    }
    ids.push_back(std::move(id));
  }
  return ids;
}

// The gateway, channel and BLIK code of an online method; cash on delivery has none of them.
void read_gateway(const Node& node, MethodRule& method) {
  const Node gateway = node["gateway"];
  const std::string name = gateway.one_of({"przelewy24", "payu", "stripe", "none"});
  const Node channel = node["channel"];
  const Node blik_code = node["blik_code"];
  if (blik_code.present()) method.blik_code = blik_code.boolean();
  if (method.kind == MethodKind::cash_on_delivery) {
    if (name != "none") {
      gateway.fail(
          "cash on delivery is paid to the courier, not through a gateway: 'gateway' must be "
          "none");
    }
    if (channel.present()) channel.fail("cash on delivery has no gateway channel");
    if (method.blik_code) blik_code.fail("cash on delivery has no BLIK code");
    return;
  }
  if (name == "none") {
    gateway.fail(
        "an online method is paid through a gateway: 'gateway' must be przelewy24, payu or "
        "stripe");
  }
  method.gateway = gateway_from_name(name);
  if (channel.present()) {
    method.channel = channel.one_of({"transfer", "blik", "card", "instalments"});
  }
  if (method.blik_code && method.channel != "blik") {
    blik_code.fail("a BLIK code typed on the shop's page needs 'channel: blik'");
  }
}

void read_conditions(const Node& node, MethodRule& method) {
  method.min_cart_value = read_optional_money(node["min_cart_value"]);
  method.max_cart_value = read_optional_money(node["max_cart_value"]);
  if (method.min_cart_value && method.max_cart_value &&
      *method.max_cart_value < *method.min_cart_value) {
    node["max_cart_value"].fail("'max_cart_value' must not be below 'min_cart_value' (" +
                                std::to_string(*method.min_cart_value) + ")");
  }
  method.excluded_categories =
      node["excluded_categories"].distinct_one_of(contracts::kGoodsCategories);
  method.allowed_shipping_methods = read_shipping_methods(node["allowed_shipping_methods"]);
  const Node excluded = node["excluded_shipping_methods"];
  method.excluded_shipping_methods = read_shipping_methods(excluded);
  for (std::size_t i = 0; i < method.excluded_shipping_methods.size(); ++i) {
    const auto& id = method.excluded_shipping_methods[i];
    if (std::find(method.allowed_shipping_methods.begin(), method.allowed_shipping_methods.end(),
                  id) != method.allowed_shipping_methods.end()) {
      excluded.items()[i].fail(quote(id) + " is both allowed and excluded");
    }
  }
  const Node requires_shipping = node["requires_shipping_method"];
  method.requires_shipping_method = method.kind == MethodKind::cash_on_delivery;
  if (requires_shipping.present()) {
    const bool required = requires_shipping.boolean();
    if (!required && method.kind == MethodKind::cash_on_delivery) {
      requires_shipping.fail(
          "cash on delivery depends on the delivery method: 'requires_shipping_method' cannot "
          "be false");
    }
    method.requires_shipping_method = required;
  }
}

MethodRule read_method(const Node& node) {
  node.only_keys({"id", "name", "kind", "gateway", "channel", "blik_code", "fee", "min_cart_value",
                  "max_cart_value", "excluded_categories", "allowed_shipping_methods",
                  "excluded_shipping_methods", "requires_shipping_method"});
  MethodRule method;
  method.id = node["id"].identifier();
  method.name = node["name"].text(kMaxMethodNameLength);
  method.kind = node["kind"].one_of<MethodKind>(
      {{"online", MethodKind::online}, {"cash_on_delivery", MethodKind::cash_on_delivery}});
  read_gateway(node, method);
  method.fee = read_fee(node["fee"]);
  read_conditions(node, method);
  return method;
}

}  // namespace

std::string_view to_string(MethodKind kind) {
  switch (kind) {
    case MethodKind::online:
      return "online";
    case MethodKind::cash_on_delivery:
      return "cash_on_delivery";
  }
  return "online";
}

platform::Money fee_for(const Fee& fee, const platform::Money& cart_value) {
  constexpr std::int64_t kWhole = platform::rules::kWholeBasisPoints;
  const std::int64_t value = std::max<std::int64_t>(0, cart_value.amount);
  // value x share / 100% rounded half up, split so that it cannot overflow: with a share of at
  // most 100% it is never above `value`.
  const std::int64_t share =
      value / kWhole * fee.share_bp + ((value % kWhole) * fee.share_bp + kWhole / 2) / kWhole;
  const std::int64_t most = std::numeric_limits<std::int64_t>::max();
  std::int64_t total = share > most - fee.fixed ? most : share + fee.fixed;
  if (fee.min_price) total = std::max(total, *fee.min_price);
  if (fee.max_price) total = std::min(total, *fee.max_price);
  return platform::Money{total, cart_value.currency};
}

const MethodRule* PaymentRules::method(std::string_view id) const {
  const auto it =
      std::find_if(methods.begin(), methods.end(), [&](const MethodRule& m) { return m.id == id; });
  return it == methods.end() ? nullptr : &*it;
}

PaymentRules parse_payment_rules(const Node& root) {
  root.only_keys({"methods"});
  PaymentRules rules;
  const Node methods = root["methods"];
  const auto items = methods.items();
  for (const Node& item : items) {
    MethodRule method = read_method(item);
    if (rules.method(method.id) != nullptr) {
      item["id"].fail("method id " + quote(method.id) + " is used twice");
    }
    rules.methods.push_back(std::move(method));
  }
  if (rules.methods.empty()) methods.fail("'methods' must list at least one payment method");
  if (rules.methods.size() > kMaxPaymentMethods) {
    items[kMaxPaymentMethods].fail("'methods' may list at most " +
                                   std::to_string(kMaxPaymentMethods) + " methods");
  }
  return rules;
}

}  // namespace payment

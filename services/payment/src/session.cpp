#include "session.hpp"

#include <utility>

namespace payment {
namespace {
using platform::Errc;
using platform::make_error;

// `next` with its chosen method judged again under `rules`, the cart and the delivery method it
// holds. Gateways are not consulted: a breaker that is open now never clears a choice.
Outcome judged_again(PaymentSession next, const PaymentRules& rules) {
  Outcome out{std::move(next), {}};
  auto& session = out.session;
  if (!session.method) return out;
  const auto method_id = session.method->id;
  const auto* rule = rules.method(method_id);
  std::optional<Refusal> refusal;
  if (rule == nullptr) {
    refusal = Refusal{"method_withdrawn",
                      "Metoda płatności „" + session.method->name + "” nie jest już dostępna."};
  } else {
    refusal = refusal_of(
        *rule,
        PaymentContext{.cart = session.cart, .shipping = session.shipping, .gateways_down = {}});
  }
  if (refusal) {
    session.method.reset();
    out.changes.push_back(Change{
        .kind = ChangeKind::method_cleared, .method_id = method_id, .refusal = std::move(refusal)});
    return out;
  }
  auto offer = offer_of(*rule, session.cart);
  if (offer != *session.method) {
    session.method = std::move(offer);
    out.changes.push_back(
        Change{.kind = ChangeKind::method_selected, .method_id = method_id, .refusal = {}});
  }
  return out;
}

}  // namespace

Outcome follow_cart(const PaymentSession& session, contracts::CartCopy cart,
                    const PaymentRules& rules) {
  PaymentSession next = session;
  next.cart = std::move(cart);
  return judged_again(std::move(next), rules);
}

Outcome follow_shipping(const PaymentSession& session, std::optional<ShippingChoice> shipping,
                        std::int64_t shipping_version, const PaymentRules& rules) {
  if (shipping_version <= session.shipping_version) return Outcome{session, {}};
  PaymentSession next = session;
  next.shipping = std::move(shipping);
  next.shipping_version = shipping_version;
  return judged_again(std::move(next), rules);
}

Outcome follow_rules(const PaymentSession& session, const PaymentRules& rules) {
  return judged_again(session, rules);
}

platform::Result<Outcome> select_method(const PaymentSession& session, std::string_view method_id,
                                        const PaymentRules& rules,
                                        const std::vector<Gateway>& gateways_down) {
  if (session.cart.empty()) {
    return make_error(Errc::conflict, "your cart is empty: add a product first", "cart_empty");
  }
  const auto* rule = rules.method(method_id);
  if (rule == nullptr) {
    return make_error(Errc::not_found, "no payment method '" + std::string(method_id) + "'",
                      "unknown_method");
  }
  if (auto refusal = refusal_of(*rule, PaymentContext{.cart = session.cart,
                                                      .shipping = session.shipping,
                                                      .gateways_down = gateways_down})) {
    return make_error(Errc::invalid, std::move(refusal->message), std::move(refusal->code));
  }
  Outcome out{session, {}};
  auto offer = offer_of(*rule, session.cart);
  if (out.session.method == offer) return out;
  out.session.method = std::move(offer);
  out.changes.push_back(
      Change{.kind = ChangeKind::method_selected, .method_id = rule->id, .refusal = {}});
  return out;
}

}  // namespace payment

#include "session.hpp"

#include "platform/fingerprint.hpp"

namespace extra_services {
namespace {
using Digest = platform::Fingerprint;

void feed(Digest& digest, const std::optional<Reason>& reason) {
  digest.feed(reason ? reason->code : std::string_view("-"));
  digest.feed(reason ? reason->message : std::string_view("-"));
}
void feed(Digest& digest, const ServiceOffer& offer) {
  digest.feed(offer.sku);
  digest.feed(offer.price.amount);
  digest.feed(offer.available ? 1 : 0);
  digest.feed(offer.max_quantity);
  feed(digest, offer.reason);
}
}  // namespace

platform::Result<std::optional<ServicesSession>> follow_cart(const ServicesSession& session,
                                                             std::string_view type,
                                                             const boost::json::value& data) {
  PLATFORM_TRY(auto copy, contracts::apply_cart_event(session.cart, type, data));
  if (!copy) return std::optional<ServicesSession>();
  if (!session.user_id.empty() && copy->user_id != session.user_id) {
    return platform::make_error(
        platform::Errc::invalid,
        "cart event of user " + copy->user_id + " for the session of " + session.user_id);
  }
  ServicesSession next = session;
  next.session_id = copy->session_id;
  next.user_id = copy->user_id;
  next.cart = std::move(*copy);
  return std::optional(std::move(next));
}

std::optional<ServicesSession> follow_shipping(const ServicesSession& session,
                                               std::int64_t shipping_version,
                                               std::optional<std::string> method) {
  if (shipping_version <= session.shipping_version) return std::nullopt;
  ServicesSession next = session;
  next.shipping_version = shipping_version;
  next.delivery_method = std::move(method);
  return next;
}

std::string fingerprint(const ServicesAvailability& availability) {
  Digest digest;
  for (const auto& line : availability.items) {
    digest.feed(line.item_id);
    digest.feed(line.sku);
    for (const auto& offer : line.services) feed(digest, offer);
  }
  digest.feed("standalone");
  for (const auto& offer : availability.standalone) feed(digest, offer);
  digest.feed("lines");
  for (const auto& verdict : availability.verdicts) {
    digest.feed(verdict.item_id);
    digest.feed(verdict.sku);
    digest.feed(verdict.allowed ? 1 : 0);
    digest.feed(verdict.unit_price.amount);
    digest.feed(verdict.quantity);
    feed(digest, verdict.reason);
  }
  return digest.hex();
}

bool awaits_cart(const ServicesAvailability& availability, const contracts::CartCopy& cart) {
  for (const auto& verdict : availability.verdicts) {
    const auto* line = cart.find(verdict.item_id);
    if (line == nullptr) continue;
    if (!line->validated || !verdict.allowed || verdict.quantity < line->quantity ||
        verdict.unit_price != line->unit_price) {
      return true;
    }
  }
  return false;
}

}  // namespace extra_services

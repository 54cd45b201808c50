#include "session.hpp"

#include "platform/fingerprint.hpp"

namespace promotion {
namespace {
using Digest = platform::Fingerprint;

// A code's promotion past its validity (the code expired, rather than the cart changing).
bool code_expired(const Promotion* promotion, platform::TimePoint now) {
  return promotion != nullptr && promotion->code && promotion->valid_to &&
         now >= *promotion->valid_to;
}
}  // namespace

platform::Result<std::optional<PromotionSession>> follow_cart(const PromotionSession& session,
                                                              std::string_view type,
                                                              const boost::json::value& data) {
  PLATFORM_TRY(auto copy, contracts::apply_cart_event(session.cart, type, data));
  if (!copy) return std::optional<PromotionSession>();
  if (!session.user_id.empty() && copy->user_id != session.user_id) {
    return platform::make_error(
        platform::Errc::invalid,
        "cart event of user " + copy->user_id + " for the session of " + session.user_id);
  }
  PromotionSession next = session;
  next.session_id = copy->session_id;
  next.user_id = copy->user_id;
  next.cart = std::move(*copy);
  return std::optional(std::move(next));
}

std::string fingerprint(const Shown& shown) {
  Digest digest;
  const auto& applied = shown.applied;
  digest.feed(applied.promotion_id);
  digest.feed(applied.code.value_or("-"));
  digest.feed(applied.discount.amount);
  digest.feed(applied.free_delivery ? 1 : 0);
  for (std::size_t i = 0; i < applied.allocations.size(); ++i) {
    digest.feed(applied.allocations[i].item_id);
    digest.feed(applied.allocations[i].amount.amount);
    const auto lowest = i < shown.lowest_30d.size() ? shown.lowest_30d[i] : std::nullopt;
    digest.feed(lowest ? *lowest : -1);
  }
  return digest.hex();
}

std::string choices_digest(const PromotionSession& session) {
  Digest digest;
  digest.feed("opt_ins");
  for (const auto& id : session.opt_ins) digest.feed(id);
  digest.feed("codes");
  for (const auto& code : session.codes) digest.feed(code);
  return digest.hex();
}

Published publish(PromotionSession session, const std::vector<Shown>& shown,
                  const PromotionRules& rules, platform::TimePoint now,
                  std::optional<std::string> removed_by_customer) {
  Published out{.session = std::move(session), .events = {}};
  auto& published = out.session.published;
  std::map<std::string, std::string> now_published;
  for (const auto& item : shown) {
    auto print = fingerprint(item);
    const auto held = published.find(item.applied.promotion_id);
    if (held == published.end() || held->second != print) {
      out.session.version += 1;
      out.events.push_back(Publication{.applied = item,
                                       .promotion_id = item.applied.promotion_id,
                                       .code = item.applied.code,
                                       .reason = {},
                                       .version = out.session.version});
    }
    now_published[item.applied.promotion_id] = std::move(print);
  }
  for (const auto& [id, print] : published) {
    if (now_published.contains(id)) continue;
    const auto* promotion = rules.by_id(id);
    std::string reason = "no_longer_eligible";
    if (removed_by_customer && *removed_by_customer == id) reason = "removed_by_customer";
    if (reason != "removed_by_customer" && code_expired(promotion, now)) reason = "code_expired";
    out.session.version += 1;
    out.events.push_back(Publication{.applied = std::nullopt,
                                     .promotion_id = id,
                                     .code = promotion != nullptr ? promotion->code : std::nullopt,
                                     .reason = std::move(reason),
                                     .version = out.session.version});
  }
  published = std::move(now_published);
  return out;
}

}  // namespace promotion

#pragma once
// The Promotion's use cases. Every change, a cart event (the consumer) or a customer's choice
// (HTTP: opt in, apply a code, remove), loads the session, moves it with a pure function,
// evaluates the promotions (engine.hpp) with each line's 30-day lowest price, and commits the
// session with its events and its answers in one compare-and-set step, retried when another
// writer came first. A code's use is reserved before that commit (codes.hpp). A customer's read
// is one GET of the answer the last commit wrote; without one (other rules since), it evaluates.
//
// Threads: one PromotionService per Redis connection (front half: requests; back half: events).
// Errors are values (platform::Result); a down Redis is Errc::unavailable (503 + Retry-After).
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "codes.hpp"
#include "config.hpp"
#include "platform/clock.hpp"
#include "platform/cloud_event.hpp"
#include "platform/ids.hpp"
#include "platform/rules/digest.hpp"
#include "promotion_rules.hpp"
#include "session.hpp"
#include "store.hpp"

namespace promotion {

// The rules in force and a digest of their text (answers written under other rules are not used).
using LoadedRules = platform::rules::Digested<PromotionRules>;
using RulesSource = std::function<std::shared_ptr<const LoadedRules>()>;

class PromotionService {
 public:
  // All must outlive this.
  PromotionService(PromotionStore& store, CodeUsage& codes, RulesSource rules,
                   const PromotionConfig& config, const platform::Clock& clock);

  // GET /promotions/available (JSON).
  boost::asio::awaitable<platform::Result<std::string>> available(std::string user_id);
  // POST /promotions/apply: opts in to `promotion_id`. Errc::not_found (unknown_promotion),
  // Errc::invalid (not_opt_in), Errc::not_found (no_session) without a cart.
  boost::asio::awaitable<platform::Result<std::string>> apply(std::string user_id,
                                                              std::string promotion_id,
                                                              platform::TraceContext trace);
  // POST /promotions/apply-code. A refused code is published (PromoCodeInvalid) and answered
  // Errc::invalid with the reason (unknown, expired, not_yet_active, usage_limit_reached,
  // minimum_not_met, not_applicable).
  boost::asio::awaitable<platform::Result<std::string>> apply_code(std::string user_id,
                                                                   std::string code,
                                                                   platform::TraceContext trace);
  // DELETE /promotions/{id}: an opt-in or a code's promotion. Errc::not_found when the session
  // has neither; Errc::invalid (not_removable) for a promotion that applies by itself.
  boost::asio::awaitable<platform::Result<std::string>> remove(std::string user_id,
                                                               std::string promotion_id,
                                                               platform::TraceContext trace);

  // A cart event (cart-events): the session's copy of the cart moves, promotions follow.
  boost::asio::awaitable<platform::Status> apply_cart_event(platform::CloudEvent event);
  // A catalog event (catalog-events): the product's price history.
  boost::asio::awaitable<platform::Status> apply_catalog_event(platform::CloudEvent event);
  // OrderCreated (checkout-events): the session's code uses are confirmed, the session ends.
  boost::asio::awaitable<platform::Status> order_created(std::string session_id,
                                                         std::string user_id);
  // OrderCancelled (checkout-events): each of its promo_codes gets back the use this session's
  // order confirmed (CodeUsage::give_back; idempotent). Errc::invalid (dead letter) without a
  // session, a user or a promo_codes array of strings.
  boost::asio::awaitable<platform::Status> order_cancelled(platform::CloudEvent event);

 private:
  struct Step;
  struct Origin;
  boost::asio::awaitable<platform::Result<std::optional<PromotionSession>>> change(
      const Origin& origin,
      const std::function<platform::Result<std::optional<Step>>(const PromotionSession&,
                                                                const PromotionRules&)>& step);
  boost::asio::awaitable<platform::Result<std::string>> answer_for(const PromotionSession& session,
                                                                   const LoadedRules& rules);

  PromotionStore& store_;
  CodeUsage& codes_;
  RulesSource rules_;
  const PromotionConfig& config_;
  const platform::Clock& clock_;
};

}  // namespace promotion

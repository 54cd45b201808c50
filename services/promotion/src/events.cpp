#include "events.hpp"

#include <algorithm>

#include "contracts/catalog_product.hpp"
#include "contracts/event_types.hpp"
#include "contracts/session_event.hpp"
#include "contracts/topics.hpp"
#include "platform/json_writer.hpp"

namespace promotion {
namespace {
using contracts::write_money;
using platform::JsonWriter;

constexpr std::size_t kMaxCodeInEvent = 64;

const contracts::CartLine* line_of(const PromotionSession& session, std::string_view item_id) {
  return session.cart.find(item_id);
}

void write_allocations(JsonWriter& out, const PromotionSession* session, const Shown& shown) {
  out.key("allocations").begin_array();
  const auto& allocations = shown.applied.allocations;
  for (std::size_t i = 0; i < allocations.size(); ++i) {
    const auto& part = allocations[i];
    out.begin_object().key("item_id").value(part.item_id);
    // Allocations name lines of the session's cart, which the engine was given.
    const auto* line = session != nullptr ? line_of(*session, part.item_id) : nullptr;
    out.key("sku").value(line != nullptr ? std::string_view(line->sku) : std::string_view());
    write_money(out.key("amount"), part.amount);
    const auto lowest = i < shown.lowest_30d.size() ? shown.lowest_30d[i] : std::nullopt;
    if (lowest) {
      write_money(out.key("lowest_price_30d"), platform::Money{*lowest, part.amount.currency});
    } else {
      out.key("lowest_price_30d").null();
    }
    out.end_object();
  }
  out.end_array();
}

void write_item_ids(JsonWriter& out, const Applied& applied) {
  out.key("item_ids").begin_array();
  for (const auto& part : applied.allocations) out.value(part.item_id);
  out.end_array();
}

// One applied promotion in an answer.
void write_shown(JsonWriter& out, const PromotionSession* session, const Shown& shown) {
  const auto& applied = shown.applied;
  out.begin_object().key("promotion_id").value(applied.promotion_id);
  out.key("name").value(applied.name).key("kind").value(applied.kind);
  out.key("code").value_or_null(applied.code);
  write_money(out.key("discount"), applied.discount);
  out.key("free_delivery").value(applied.free_delivery);
  write_allocations(out, session, shown);
  out.end_object();
}
}  // namespace

platform::CloudEvent publication_event(const PromotionSession& session,
                                       const Publication& publication,
                                       const platform::TraceContext& trace,
                                       platform::TimePoint now) {
  namespace et = contracts::event_type;
  const auto traceparent = trace.child().traceparent();
  const auto time = platform::format_rfc3339(now);
  const contracts::SessionEventHeader header{session.session_id, session.user_id,
                                             publication.version, traceparent, time};
  JsonWriter data(1024);
  contracts::begin_session_event_data(data, header);
  if (!publication.applied) {
    data.key("promotion_id").value(publication.promotion_id);
    data.key("code").value_or_null(publication.code);
    data.key("reason").value(publication.reason).end_object();
    return contracts::session_event(contracts::kPromotionTopic, contracts::kPromotionSource,
                                    et::kPromotionRemoved, header, std::move(data).take());
  }
  const auto& shown = *publication.applied;
  const auto& applied = shown.applied;
  data.key("cart_hash").value(session.cart.cart_hash);
  if (applied.code) data.key("code").value(*applied.code);
  data.key("promotion_id").value(applied.promotion_id);
  if (!applied.code) data.key("name").value(applied.name).key("kind").value(applied.kind);
  write_money(data.key("discount"), applied.discount);
  write_item_ids(data, applied);
  write_allocations(data, &session, shown);
  data.key("free_delivery").value(applied.free_delivery).end_object();
  return contracts::session_event(contracts::kPromotionTopic, contracts::kPromotionSource,
                                  applied.code ? et::kPromoCodeApplied : et::kPromotionApplied,
                                  header, std::move(data).take());
}

platform::CloudEvent code_invalid_event(const PromotionSession& session, std::string_view code,
                                        std::string_view reason, std::string_view message,
                                        const platform::TraceContext& trace,
                                        platform::TimePoint now) {
  const auto traceparent = trace.child().traceparent();
  const auto time = platform::format_rfc3339(now);
  const contracts::SessionEventHeader header{session.session_id, session.user_id, session.version,
                                             traceparent, time};
  JsonWriter data(512);
  contracts::begin_session_event_data(data, header);
  data.key("code").value(code.substr(0, kMaxCodeInEvent)).key("reason").value(reason);
  data.key("message").value(message).end_object();
  return contracts::session_event(contracts::kPromotionTopic, contracts::kPromotionSource,
                                  contracts::event_type::kPromoCodeInvalid, header,
                                  std::move(data).take());
}

std::string applied_document(const PromotionSession& session, const std::vector<Shown>& shown) {
  JsonWriter out(256 + 512 * shown.size());
  out.begin_array();
  for (const auto& item : shown) write_shown(out, &session, item);
  out.end_array();
  return std::move(out).take();
}

std::string available_document(const PromotionSession* session, const std::vector<Shown>& shown,
                               const Evaluation& evaluation, const PromotionRules& rules) {
  JsonWriter out(1024 + 512 * shown.size());
  out.begin_object();
  if (session == nullptr) {
    out.key("session_id").null().key("version").value(std::int64_t{0}).key("cart_hash").null();
  } else {
    out.key("session_id").value(session->session_id).key("version").value(session->version);
    out.key("cart_hash");
    if (session->cart.cart_hash.empty()) {
      out.null();
    } else {
      out.value(session->cart.cart_hash);
    }
  }
  out.key("applied").begin_array();
  for (const auto& item : shown) write_shown(out, session, item);
  out.end_array();
  write_money(out.key("total_discount"), evaluation.total_discount);
  out.key("near_misses").begin_array();
  for (const auto& miss : evaluation.near_misses) {
    out.begin_object().key("promotion_id").value(miss.promotion_id).key("name").value(miss.name);
    out.key("reason").begin_object().key("code").value(miss.reason_code);
    out.key("message").value(miss.message).end_object().end_object();
  }
  out.end_array().key("opt_in").begin_array();
  for (const auto& promotion : rules.promotions) {
    if (!promotion.opt_in) continue;
    const bool chosen = session != nullptr &&
                        std::find(session->opt_ins.begin(), session->opt_ins.end(), promotion.id) !=
                            session->opt_ins.end();
    out.begin_object().key("promotion_id").value(promotion.id).key("name").value(promotion.name);
    out.key("chosen").value(chosen).end_object();
  }
  out.end_array().key("codes").begin_array();
  if (session != nullptr) {
    for (const auto& code : session->codes) out.value(code);
  }
  out.end_array().end_object();
  return std::move(out).take();
}

}  // namespace promotion

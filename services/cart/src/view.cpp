#include "view.hpp"

#include <boost/json.hpp>

#include "platform/json_writer.hpp"
#include "warranties.hpp"

namespace cart {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

// Parsing a stored document allocates its DOM from a stack buffer: no malloc per node.
class JsonArena {
 public:
  json::storage_ptr storage() { return {&resource_}; }

 private:
  unsigned char buffer_[16384];
  json::monotonic_resource resource_{buffer_, sizeof buffer_};
};

platform::Result<platform::Money> money_from(const json::value* value) {
  if (value == nullptr || !value->is_object()) return make_error(Errc::internal, "bad money");
  const auto& obj = value->as_object();
  const auto* amount = obj.if_contains("amount");
  const auto* currency = obj.if_contains("currency");
  if (amount == nullptr || !amount->is_int64() || currency == nullptr || !currency->is_string()) {
    return make_error(Errc::internal, "bad money");
  }
  return platform::Money{amount->as_int64(), std::string(currency->as_string())};
}

// A line's warranties (the Warranty's plans, read-only). Documents written before warranties were
// shown have none.
platform::Result<std::vector<Warranty>> warranties_from(const json::object& line) {
  std::vector<Warranty> warranties;
  const auto* list = line.if_contains("warranties");
  if (list == nullptr) return warranties;
  for (const auto& value : list->as_array()) {
    const auto& o = value.as_object();
    Warranty warranty;
    warranty.plan_id = json::value_to<std::string>(o.at("warranty_id"));
    auto kind = warranty_kind_from(o.at("kind").as_string());
    if (!kind) return make_error(Errc::internal, "corrupt cart view: warranty kind");
    warranty.kind = *kind;
    warranty.name = json::value_to<std::string>(o.at("name"));
    warranty.duration_months = o.at("duration_months").as_int64();
    PLATFORM_TRY(warranty.unit_price, money_from(o.if_contains("unit_price")));
    warranty.quantity = o.at("quantity").as_int64();
    PLATFORM_TRY(warranty.price, money_from(o.if_contains("price")));
    warranties.push_back(std::move(warranty));
  }
  return warranties;
}

// A line's promotions (the Promotion's parts, read-only). Documents written before promotions
// were shown have none.
platform::Result<std::vector<LinePromotion>> promotions_from(const json::object& line) {
  std::vector<LinePromotion> promotions;
  const auto* list = line.if_contains("promotions");
  if (list == nullptr) return promotions;
  for (const auto& value : list->as_array()) {
    const auto& o = value.as_object();
    LinePromotion promotion;
    promotion.promotion_id = json::value_to<std::string>(o.at("promotion_id"));
    promotion.name = json::value_to<std::string>(o.at("name"));
    if (const auto& code = o.at("code"); code.is_string()) {
      promotion.code = std::string(code.as_string());
    }
    PLATFORM_TRY(promotion.discount, money_from(o.if_contains("discount")));
    if (const auto& lowest = o.at("lowest_price_30d"); !lowest.is_null()) {
      PLATFORM_TRY(promotion.lowest_price_30d, money_from(&lowest));
    }
    promotions.push_back(std::move(promotion));
  }
  return promotions;
}

platform::Result<CartLine> line_from(const json::value& value) {
  // The view is our own document: a malformed one is a bug or corruption, hence Errc::internal.
  const auto bad = [](std::string_view what) {
    return make_error(Errc::internal, "corrupt cart view: " + std::string(what));
  };
  if (!value.is_object()) return bad("line");
  const auto& o = value.as_object();
  try {
    CartLine line;
    line.item_id = json::value_to<std::string>(o.at("item_id"));
    auto type = line_type_from(o.at("type").as_string());
    if (!type) return bad("type");
    line.type = *type;
    line.sku = json::value_to<std::string>(o.at("sku"));
    line.name = json::value_to<std::string>(o.at("name"));
    line.category = json::value_to<std::string>(o.at("category"));
    PLATFORM_TRY(line.unit_price, money_from(o.if_contains("unit_price")));
    line.quantity = o.at("quantity").as_int64();
    if (const auto& parent = o.at("parent_item_id"); parent.is_string()) {
      line.parent_item_id = std::string(parent.as_string());
    }
    line.weight_g = o.at("weight_g").as_int64();
    const auto& dims = o.at("dimensions_mm").as_object();
    line.dimensions_mm = {dims.at("width").as_int64(), dims.at("height").as_int64(),
                          dims.at("depth").as_int64()};
    for (const auto& flag : o.at("flags").as_array()) {
      line.flags.emplace_back(flag.as_string());
    }
    auto status = stock_status_from(o.at("stock_status").as_string());
    if (!status) return bad("stock_status");
    line.stock_status = *status;
    line.enrichment =
        o.at("enrichment").as_string() == "enriched" ? Enrichment::enriched : Enrichment::pending;
    line.validation = o.at("validation").as_string() == "validated" ? Validation::validated
                                                                    : Validation::not_yet_validated;
    if (const auto& change = o.at("price_change"); change.is_object()) {
      PLATFORM_TRY(auto old_price, money_from(change.as_object().if_contains("old_unit_price")));
      PLATFORM_TRY(auto new_price, money_from(change.as_object().if_contains("new_unit_price")));
      line.price_change = PriceChange{old_price, new_price};
    }
    PLATFORM_TRY(line.warranties, warranties_from(o));
    PLATFORM_TRY(line.promotions, promotions_from(o));
    return line;
  } catch (const std::exception& e) {
    return bad(e.what());
  }
}
}  // namespace

namespace {
void write_line_fields(platform::JsonWriter& out, const CartLine& line) {
  out.key("item_id").value(line.item_id).key("type").value(to_string(line.type));
  out.key("sku").value(line.sku).key("name").value(line.name);
  out.key("category").value(line.category).key("unit_price");
  write_money(out, line.unit_price);
  out.key("quantity").value(line.quantity);
  out.key("parent_item_id").value_or_null(line.parent_item_id);
  out.key("weight_g").value(line.weight_g).key("dimensions_mm").begin_object();
  out.key("width").value(line.dimensions_mm.width).key("height").value(line.dimensions_mm.height);
  out.key("depth").value(line.dimensions_mm.depth).end_object();
  out.key("flags").begin_array();
  for (const auto& flag : line.flags) out.value(flag);
  out.end_array();
  out.key("validation").value(to_string(line.validation));
}

void write_line_state_fields(platform::JsonWriter& out, const CartLine& line) {
  write_line_fields(out, line);
  out.key("stock_status").value(to_string(line.stock_status));
  out.key("enrichment").value(to_string(line.enrichment));
  out.key("price_change");
  if (line.price_change) {
    out.begin_object().key("old_unit_price");
    write_money(out, line.price_change->old_unit_price);
    out.key("new_unit_price");
    write_money(out, line.price_change->new_unit_price);
    out.end_object();
  } else {
    out.null();
  }
  out.key("warranties").begin_array();
  for (const auto& warranty : line.warranties) {
    out.begin_object().key("warranty_id").value(warranty.plan_id);
    out.key("kind").value(to_string(warranty.kind)).key("name").value(warranty.name);
    out.key("duration_months").value(warranty.duration_months).key("unit_price");
    write_money(out, warranty.unit_price);
    out.key("quantity").value(warranty.quantity).key("price");
    write_money(out, warranty.price);
    out.end_object();
  }
  out.end_array().key("promotions").begin_array();
  for (const auto& promotion : line.promotions) {
    out.begin_object().key("promotion_id").value(promotion.promotion_id);
    out.key("name").value(promotion.name).key("code").value_or_null(promotion.code);
    write_money(out.key("discount"), promotion.discount);
    out.key("lowest_price_30d");
    if (promotion.lowest_price_30d) {
      write_money(out, *promotion.lowest_price_30d);
    } else {
      out.null();
    }
    out.end_object();
  }
  out.end_array();
}
}  // namespace

void write_line(platform::JsonWriter& out, const CartLine& line) {
  out.begin_object();
  write_line_fields(out, line);
  out.end_object();
}

std::string line_state_json(const CartLine& line) {
  platform::JsonWriter out(512);
  out.begin_object();
  write_line_state_fields(out, line);
  out.end_object();
  return std::move(out).take();
}

platform::Result<CartLine> line_state_from_json(std::string_view text) {
  JsonArena arena;
  json::error_code ec;
  auto doc = json::parse(text, ec, arena.storage());
  if (ec) return make_error(Errc::internal, "corrupt cart line");
  return line_from(doc);
}

void write_view_line(platform::JsonWriter& out, const Cart& cart, const CartLine& line) {
  out.begin_object();
  write_line_state_fields(out, line);
  out.key("line_total");
  write_money(out, line.line_total());
  out.key("children").begin_array();
  for (const auto* child : cart.children_of(line.item_id)) out.value(child->item_id);
  out.end_array().end_object();
}

namespace {
void write_reason(platform::JsonWriter& out, const Reason& reason) {
  out.begin_object().key("code").value(reason.code).key("message").value(reason.message);
  out.end_object();
}

// What the Services said: the services refused now, and the lines removed on their word.
void write_services_knowledge(platform::JsonWriter& out, const Cart& cart) {
  out.key("services_version").value(cart.services_version);
  out.key("unavailable_services").begin_array();
  for (const auto& refusal : cart.service_refusals) {
    out.begin_object().key("parent_item_id").value_or_null(refusal.parent_item_id);
    out.key("sku").value(refusal.sku);
    write_reason(out.key("reason"), refusal.reason);
    out.end_object();
  }
  out.end_array().key("notices").begin_array();
  for (const auto& notice : cart.notices) {
    out.begin_object().key("item_id").value(notice.item_id).key("sku").value(notice.sku);
    out.key("name").value(notice.name);
    write_reason(out.key("reason"), notice.reason);
    out.end_object();
  }
  out.end_array();
}

Reason reason_from(const json::value& value) {
  const auto& o = value.as_object();
  return Reason{json::value_to<std::string>(o.at("code")),
                json::value_to<std::string>(o.at("message"))};
}

// Views written before the Services existed have none of these fields.
void read_services_knowledge(const json::object& o, Cart& cart) {
  if (const auto* version = o.if_contains("services_version")) {
    cart.services_version = version->as_int64();
  }
  if (const auto* refusals = o.if_contains("unavailable_services")) {
    for (const auto& value : refusals->as_array()) {
      const auto& r = value.as_object();
      ServiceRefusal refusal;
      if (const auto& parent = r.at("parent_item_id"); parent.is_string()) {
        refusal.parent_item_id = std::string(parent.as_string());
      }
      refusal.sku = json::value_to<std::string>(r.at("sku"));
      refusal.reason = reason_from(r.at("reason"));
      cart.service_refusals.push_back(std::move(refusal));
    }
  }
  if (const auto* notices = o.if_contains("notices")) {
    for (const auto& value : notices->as_array()) {
      const auto& n = value.as_object();
      cart.notices.push_back(Notice{
          json::value_to<std::string>(n.at("item_id")), json::value_to<std::string>(n.at("sku")),
          json::value_to<std::string>(n.at("name")), reason_from(n.at("reason"))});
    }
  }
}
}  // namespace

std::string view_to_json(const Cart& cart, std::int64_t revision) {
  platform::JsonWriter out(512 + 640 * cart.lines.size());
  // The revision must lead: the store's compare-and-set reads it from the first bytes.
  out.begin_object().key("revision").value(revision);
  out.key("user_id").value(cart.user_id).key("session_id");
  if (cart.session_id.empty()) {
    out.null();
  } else {
    out.value(cart.session_id);
  }
  out.key("version").value(cart.version).key("cart_hash").value(cart.content_hash());
  out.key("item_count").value(cart.item_count());
  out.key("line_count").value(static_cast<std::int64_t>(cart.lines.size()));
  out.key("subtotal");
  write_money(out, cart.subtotal());
  out.key("lines").begin_array();
  for (const auto& line : cart.lines) write_view_line(out, cart, line);
  out.end_array();
  write_services_knowledge(out, cart);
  out.key("warranty_version").value(cart.warranty_version);
  out.key("promotion_version").value(cart.promotion_version);
  out.end_object();
  return std::move(out).take();
}

std::string empty_view_json(const std::string& user_id) {
  Cart cart;
  cart.user_id = user_id;
  return view_to_json(cart, 0);
}

platform::Result<StoredView> view_from_json(std::string_view text) {
  JsonArena arena;
  json::error_code ec;
  auto doc = json::parse(text, ec, arena.storage());
  if (ec || !doc.is_object()) return make_error(Errc::internal, "corrupt cart view");
  const auto& o = doc.as_object();
  StoredView stored;
  try {
    stored.cart.user_id = json::value_to<std::string>(o.at("user_id"));
    if (const auto& session = o.at("session_id"); session.is_string()) {
      stored.cart.session_id = std::string(session.as_string());
    }
    stored.cart.version = o.at("version").as_int64();
    stored.revision = o.at("revision").as_int64();
    for (const auto& value : o.at("lines").as_array()) {
      PLATFORM_TRY(auto line, line_from(value));
      stored.cart.lines.push_back(std::move(line));
    }
    read_services_knowledge(o, stored.cart);
    // Views written before warranties were shown have no warranty_version.
    if (const auto* version = o.if_contains("warranty_version")) {
      stored.cart.warranty_version = version->as_int64();
    }
    // Nor promotion_version, before promotions were.
    if (const auto* version = o.if_contains("promotion_version")) {
      stored.cart.promotion_version = version->as_int64();
    }
  } catch (const std::exception& e) {
    return make_error(Errc::internal, std::string("corrupt cart view: ") + e.what());
  }
  return stored;
}

}  // namespace cart

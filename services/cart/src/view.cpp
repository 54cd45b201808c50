#include "view.hpp"

#include <boost/json.hpp>

namespace cart {
namespace {
namespace json = boost::json;
using platform::Errc;
using platform::make_error;

json::value optional_string(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

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
    return line;
  } catch (const std::exception& e) {
    return bad(e.what());
  }
}
}  // namespace

json::object line_to_json(const CartLine& line) {
  json::array flags;
  for (const auto& flag : line.flags) flags.emplace_back(flag);
  return {{"item_id", line.item_id},   {"type", to_string(line.type)},
          {"sku", line.sku},           {"name", line.name},
          {"category", line.category}, {"unit_price", money_to_json(line.unit_price)},
          {"quantity", line.quantity}, {"parent_item_id", optional_string(line.parent_item_id)},
          {"weight_g", line.weight_g}, {"dimensions_mm", dimensions_to_json(line.dimensions_mm)},
          {"flags", std::move(flags)}};
}

json::object line_state_to_json(const CartLine& line) {
  auto obj = line_to_json(line);
  obj["stock_status"] = to_string(line.stock_status);
  obj["enrichment"] = to_string(line.enrichment);
  obj["validation"] = to_string(line.validation);
  obj["price_change"] =
      line.price_change ? json::value(json::object{
                              {"old_unit_price", money_to_json(line.price_change->old_unit_price)},
                              {"new_unit_price", money_to_json(line.price_change->new_unit_price)}})
                        : json::value(nullptr);
  return obj;
}

platform::Result<CartLine> line_state_from_json(std::string_view text) {
  json::error_code ec;
  auto doc = json::parse(text, ec);
  if (ec) return make_error(Errc::internal, "corrupt cart line");
  return line_from(doc);
}

json::object view_line_json(const Cart& cart, const CartLine& line) {
  auto obj = line_state_to_json(line);
  json::array children;
  for (const auto* child : cart.children_of(line.item_id)) children.emplace_back(child->item_id);
  obj["line_total"] = money_to_json(line.line_total());
  obj["children"] = std::move(children);
  return obj;
}

std::string view_to_json(const Cart& cart, std::int64_t revision) {
  json::array lines;
  for (const auto& line : cart.lines) lines.emplace_back(view_line_json(cart, line));
  json::object view{
      {"revision", revision},
      {"user_id", cart.user_id},
      {"session_id", cart.session_id.empty() ? json::value(nullptr) : json::value(cart.session_id)},
      {"version", cart.version},
      {"cart_hash", cart.content_hash()},
      {"item_count", cart.item_count()},
      {"line_count", static_cast<std::int64_t>(cart.lines.size())},
      {"subtotal", money_to_json(cart.subtotal())},
      {"lines", std::move(lines)}};
  return json::serialize(view);
}

std::string empty_view_json(const std::string& user_id) {
  Cart cart;
  cart.user_id = user_id;
  return view_to_json(cart, 0);
}

platform::Result<StoredView> view_from_json(std::string_view text) {
  json::error_code ec;
  auto doc = json::parse(text, ec);
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
  } catch (const std::exception& e) {
    return make_error(Errc::internal, std::string("corrupt cart view: ") + e.what());
  }
  return stored;
}

}  // namespace cart

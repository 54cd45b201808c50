#include "contracts/cart_copy.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "contracts/event_types.hpp"

namespace contracts {
namespace {
using platform::Errc;
using platform::make_error;
namespace json = boost::json;

platform::Error field_error(std::string_view field, std::string_view problem) {
  return make_error(Errc::invalid,
                    "cart event: '" + std::string(field) + "' " + std::string(problem));
}

platform::Result<std::string> read_string(const json::object& obj, std::string_view field) {
  const auto* value = obj.if_contains(field);
  if (value == nullptr || !value->is_string() || value->as_string().empty()) {
    return field_error(field, "must be a non-empty string");
  }
  return std::string(value->as_string());
}

platform::Result<std::int64_t> read_int(const json::object& obj, std::string_view field,
                                        std::int64_t min) {
  const auto* value = obj.if_contains(field);
  if (value == nullptr || !value->is_int64() || value->as_int64() < min) {
    return field_error(field, "must be an integer >= " + std::to_string(min));
  }
  return value->as_int64();
}

platform::Result<platform::Money> read_money(const json::object& obj, std::string_view field) {
  const auto* value = obj.if_contains(field);
  if (value == nullptr || !value->is_object()) return field_error(field, "must be money");
  PLATFORM_TRY(auto amount, read_int(value->as_object(), "amount", 0));
  PLATFORM_TRY(auto currency, read_string(value->as_object(), "currency"));
  return platform::Money{amount, std::move(currency)};
}

platform::Result<const json::object*> read_object(const json::object& obj, std::string_view field) {
  const auto* value = obj.if_contains(field);
  if (value == nullptr || !value->is_object()) return field_error(field, "must be an object");
  return &value->as_object();
}

void upsert(std::vector<CartLine>& lines, CartLine line) {
  auto at = std::find_if(lines.begin(), lines.end(),
                         [&](const CartLine& held) { return held.item_id == line.item_id; });
  if (at == lines.end()) {
    lines.push_back(std::move(line));
  } else {
    *at = std::move(line);
  }
}
}  // namespace

bool CartLine::has_flag(std::string_view flag) const {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

const CartLine* CartCopy::find(std::string_view item_id) const {
  for (const auto& line : lines) {
    if (line.item_id == item_id) return &line;
  }
  return nullptr;
}

platform::Money CartCopy::subtotal() const {
  platform::Money total = platform::pln(0);
  for (const auto& line : lines) total = total + line.line_total();
  return total;
}

platform::Result<CartEventHeader> cart_event_header(const json::value& data) {
  if (!data.is_object()) return make_error(Errc::invalid, "cart event: data must be an object");
  const auto& obj = data.as_object();
  CartEventHeader header;
  PLATFORM_TRY(header.session_id, read_string(obj, "session_id"));
  PLATFORM_TRY(header.user_id, read_string(obj, "user_id"));
  PLATFORM_TRY(header.version, read_int(obj, "version", 1));
  PLATFORM_TRY(header.cart_hash, read_string(obj, "cart_hash"));
  PLATFORM_TRY(header.occurred_at, read_string(obj, "occurred_at"));
  PLATFORM_TRY(header.traceparent, read_string(obj, "traceparent"));
  return header;
}

platform::Result<CartLine> cart_line_from_json(const json::value& value) {
  if (!value.is_object()) return field_error("line", "must be an object");
  const auto& obj = value.as_object();
  CartLine line;
  PLATFORM_TRY(line.item_id, read_string(obj, "item_id"));
  PLATFORM_TRY(line.type, read_string(obj, "type"));
  if (line.type != "offer" && line.type != "accessory" && line.type != "service") {
    return field_error("line.type", "must be offer, accessory or service");
  }
  PLATFORM_TRY(line.sku, read_string(obj, "sku"));
  PLATFORM_TRY(line.name, read_string(obj, "name"));
  PLATFORM_TRY(line.category, read_string(obj, "category"));
  PLATFORM_TRY(line.unit_price, read_money(obj, "unit_price"));
  PLATFORM_TRY(line.quantity, read_int(obj, "quantity", 1));
  if (const auto* parent = obj.if_contains("parent_item_id");
      parent != nullptr && !parent->is_null()) {
    if (!parent->is_string() || parent->as_string().empty()) {
      return field_error("line.parent_item_id", "must be null or a non-empty string");
    }
    line.parent_item_id = std::string(parent->as_string());
  }
  PLATFORM_TRY(line.weight_g, read_int(obj, "weight_g", 0));
  PLATFORM_TRY(const auto* dims, read_object(obj, "dimensions_mm"));
  PLATFORM_TRY(line.dimensions_mm.width, read_int(*dims, "width", 0));
  PLATFORM_TRY(line.dimensions_mm.height, read_int(*dims, "height", 0));
  PLATFORM_TRY(line.dimensions_mm.depth, read_int(*dims, "depth", 0));
  const auto* flags = obj.if_contains("flags");
  if (flags == nullptr || !flags->is_array()) return field_error("line.flags", "must be an array");
  for (const auto& flag : flags->as_array()) {
    if (!flag.is_string()) return field_error("line.flags", "must hold strings");
    line.flags.emplace_back(flag.as_string());
  }
  // Optional: events of Carts older than the field say nothing, which reads as validated.
  if (const auto* validation = obj.if_contains("validation"); validation != nullptr) {
    if (!validation->is_string() || (validation->as_string() != "validated" &&
                                     validation->as_string() != "not_yet_validated")) {
      return field_error("line.validation", "must be validated or not_yet_validated");
    }
    line.validated = validation->as_string() == "validated";
  }
  return line;
}

json::object cart_line_to_json(const CartLine& line) {
  json::array flags;
  for (const auto& flag : line.flags) flags.emplace_back(flag);
  json::value parent = nullptr;
  if (line.parent_item_id) parent = *line.parent_item_id;
  return {{"item_id", line.item_id},
          {"type", line.type},
          {"sku", line.sku},
          {"name", line.name},
          {"category", line.category},
          {"unit_price", money_to_json(line.unit_price)},
          {"quantity", line.quantity},
          {"parent_item_id", std::move(parent)},
          {"weight_g", line.weight_g},
          {"dimensions_mm", dimensions_to_json(line.dimensions_mm)},
          {"flags", std::move(flags)},
          {"validation", line.validated ? "validated" : "not_yet_validated"}};
}

platform::Result<std::optional<CartCopy>> apply_cart_event(const CartCopy& copy,
                                                           std::string_view type,
                                                           const json::value& data) {
  namespace et = event_type;
  const bool line_event = type == et::kCartItemAdded || type == et::kCartItemRemoved ||
                          type == et::kCartItemQuantityChanged ||
                          type == et::kCartItemPriceChanged || type == et::kCartItemValidated;
  // CartMerged moves no line of the copy (the line events before it did), only its version.
  if (!line_event && type != et::kCartItemStockChanged && type != et::kCartMerged) {
    return make_error(Errc::not_found, "not a cart event: " + std::string(type));
  }
  PLATFORM_TRY(auto header, cart_event_header(data));
  if (!copy.session_id.empty() && header.session_id != copy.session_id) {
    return make_error(Errc::invalid, "cart event of session " + header.session_id +
                                         " applied to the copy of " + copy.session_id);
  }
  if (header.version <= copy.version) return std::optional<CartCopy>();

  CartCopy next = copy;
  if (line_event) {
    PLATFORM_TRY(auto line, cart_line_from_json(data.as_object().at("line")));
    if (type == et::kCartItemRemoved) {
      std::erase_if(next.lines, [&](const CartLine& held) { return held.item_id == line.item_id; });
    } else {
      upsert(next.lines, std::move(line));
    }
  }
  next.session_id = std::move(header.session_id);
  next.user_id = std::move(header.user_id);
  next.version = header.version;
  next.cart_hash = std::move(header.cart_hash);
  next.occurred_at = std::move(header.occurred_at);
  return std::optional<CartCopy>(std::move(next));
}

std::string cart_copy_to_json(const CartCopy& copy) {
  json::array lines;
  for (const auto& line : copy.lines) lines.emplace_back(cart_line_to_json(line));
  return json::serialize(json::object{{"session_id", copy.session_id},
                                      {"user_id", copy.user_id},
                                      {"version", copy.version},
                                      {"cart_hash", copy.cart_hash},
                                      {"occurred_at", copy.occurred_at},
                                      {"lines", std::move(lines)}});
}

platform::Result<CartCopy> cart_copy_from_json(std::string_view text) {
  json::error_code ec;
  auto doc = json::parse(text, ec);
  if (ec || !doc.is_object()) return make_error(Errc::internal, "corrupt cart copy");
  const auto& obj = doc.as_object();
  CartCopy copy;
  auto text_of = [&](std::string_view field) -> std::string {
    const auto* value = obj.if_contains(field);
    return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
  };
  copy.session_id = text_of("session_id");
  copy.user_id = text_of("user_id");
  copy.cart_hash = text_of("cart_hash");
  copy.occurred_at = text_of("occurred_at");
  const auto* version = obj.if_contains("version");
  const auto* lines = obj.if_contains("lines");
  if (version == nullptr || !version->is_int64() || lines == nullptr || !lines->is_array()) {
    return make_error(Errc::internal, "corrupt cart copy");
  }
  copy.version = version->as_int64();
  for (const auto& value : lines->as_array()) {
    auto line = cart_line_from_json(value);
    if (!line) return make_error(Errc::internal, "corrupt cart copy: " + line.error().message);
    copy.lines.push_back(std::move(*line));
  }
  return copy;
}

}  // namespace contracts

#include "http_api.hpp"

#include <boost/json.hpp>

#include "contracts/guest_id.hpp"
#include "platform/http/json.hpp"
#include "platform/http/problem.hpp"
#include "platform/json_writer.hpp"
#include "view.hpp"

namespace cart {
namespace {
namespace json = boost::json;
namespace http = platform::http;
using platform::Errc;
using platform::make_error;
using platform::idempotency::Claim;
using platform::idempotency::Handled;

constexpr std::size_t kMaxSkuLength = 64;
constexpr std::size_t kMaxItemIdLength = 64;
constexpr std::size_t kMaxAcknowledgedLines = 100;
constexpr std::size_t kMaxTokenLength = 4096;

platform::Error field_error(std::string message) {
  return make_error(Errc::invalid, std::move(message), "invalid_field");
}

platform::Result<std::int64_t> read_quantity(const json::object& body) {
  const auto* quantity = body.if_contains("quantity");
  if (quantity == nullptr) return field_error("'quantity' is required");
  if (!quantity->is_int64()) return field_error("'quantity' must be an integer");
  return quantity->as_int64();
}

http::Response line_response(int status, const Committed& committed) {
  const auto* line = committed.cart.find(committed.item_id);
  platform::JsonWriter body(1024);
  body.begin_object().key("cart_version").value(committed.cart.version).key("line");
  if (line != nullptr) {
    write_view_line(body, committed.cart, *line);
  } else {
    body.null();
  }
  body.end_object();
  http::Response response;
  response.status = status;
  response.body = std::move(body).take();
  return response;
}

http::Response view_response(const Committed& committed) {
  http::Response response;
  response.body = view_to_json(committed.cart, committed.revision);
  return response;
}

platform::Result<std::string> item_id_of(const http::Request& request) {
  auto id = request.path_param("id");
  if (!id || id->empty() || id->size() > kMaxItemIdLength) {
    return make_error(Errc::not_found, "no such line in your cart", "line_not_found");
  }
  return std::string(*id);
}
}  // namespace

platform::Result<AddLine> parse_add_line(std::string_view text) {
  PLATFORM_TRY(auto body, http::parse_json_object(text));
  PLATFORM_CHECK(http::only_fields(body, {"type", "sku", "quantity", "parent_item_id"}));
  AddLine command;
  const auto* type = body.if_contains("type");
  if (type == nullptr || !type->is_string()) {
    return field_error("'type' is required: one of offer, accessory, service");
  }
  auto parsed_type = line_type_from(type->as_string());
  if (!parsed_type) return field_error("'type' must be one of offer, accessory, service");
  command.type = *parsed_type;
  const auto* sku = body.if_contains("sku");
  if (sku == nullptr || !sku->is_string() || sku->as_string().empty() ||
      sku->as_string().size() > kMaxSkuLength) {
    return field_error("'sku' is required: a string of 1 to 64 characters");
  }
  command.sku = std::string(sku->as_string());
  PLATFORM_TRY(command.quantity, read_quantity(body));
  if (const auto* parent = body.if_contains("parent_item_id"); parent && !parent->is_null()) {
    if (!parent->is_string() || parent->as_string().empty() ||
        parent->as_string().size() > kMaxItemIdLength) {
      return field_error("'parent_item_id' must be a line id");
    }
    command.parent_item_id = std::string(parent->as_string());
  }
  return command;
}

platform::Result<std::int64_t> parse_quantity_change(std::string_view text) {
  PLATFORM_TRY(auto body, http::parse_json_object(text));
  PLATFORM_CHECK(http::only_fields(body, {"quantity"}));
  return read_quantity(body);
}

platform::Result<std::vector<std::string>> parse_price_acknowledgement(std::string_view text) {
  auto parsed = http::parse_json_object(text);
  if (!parsed) {
    // Well-formed JSON that is not an object breaks the body's rule (422), unlike bad JSON (400).
    boost::system::error_code ec;
    const auto value = json::parse(text, ec);
    if (!ec && !value.is_object()) {
      return field_error(R"(the body must be an object: {"item_ids": ["<line id>", ...]})");
    }
    return parsed.error();
  }
  const auto& body = *parsed;
  PLATFORM_CHECK(http::only_fields(body, {"item_ids"}));
  const auto* ids = body.if_contains("item_ids");
  if (ids == nullptr || !ids->is_array() || ids->as_array().empty() ||
      ids->as_array().size() > kMaxAcknowledgedLines) {
    return field_error("'item_ids' is required: an array of 1 to 100 line ids");
  }
  std::vector<std::string> item_ids;
  for (const auto& id : ids->as_array()) {
    if (!id.is_string() || id.as_string().empty() || id.as_string().size() > kMaxItemIdLength) {
      return field_error("'item_ids' must hold line ids (strings of 1 to 64 characters)");
    }
    std::string item_id(id.as_string());
    if (std::find(item_ids.begin(), item_ids.end(), item_id) != item_ids.end()) {
      return field_error("'item_ids' names line " + item_id + " more than once");
    }
    item_ids.push_back(std::move(item_id));
  }
  return item_ids;
}

platform::Result<std::string> parse_merge_request(std::string_view text) {
  auto parsed = http::parse_json_object(text);
  if (!parsed) {
    // Well-formed JSON that is not an object breaks the body's rule (422), unlike bad JSON (400).
    boost::system::error_code ec;
    const auto value = json::parse(text, ec);
    if (!ec && !value.is_object()) {
      return field_error(R"(the body must be an object: {"guest_token": "<the guest's JWT>"})");
    }
    return parsed.error();
  }
  const auto& body = *parsed;
  PLATFORM_CHECK(http::only_fields(body, {"guest_token"}));
  const auto* token = body.if_contains("guest_token");
  if (token == nullptr || !token->is_string() || token->as_string().empty() ||
      token->as_string().size() > kMaxTokenLength) {
    return field_error(
        "'guest_token' is required: the guest's token (a JWT of 1 to 4096 characters)");
  }
  return std::string(token->as_string());
}

platform::Result<std::string> guest_to_merge(const http::JwtVerifier& guest_tokens,
                                             std::string_view user_id,
                                             std::string_view guest_token) {
  if (contracts::is_guest_id(user_id)) {
    return make_error(Errc::forbidden,
                      "a guest's cart is merged into a signed-in user's cart: sign in first",
                      "guest_cannot_merge");
  }
  auto guest = guest_tokens.verify_bearer("Bearer " + std::string(guest_token));
  if (!guest) {
    // Whoever cannot show the guest's own valid token does not get that guest's cart. The
    // caller's own credentials are fine (no 401), and the body names a token the shop did not
    // issue or that has lapsed: the request breaks the route's rule (422).
    return make_error(Errc::invalid, "the guest token is not valid: " + guest.error().message,
                      "guest_token_invalid");
  }
  if (!contracts::is_guest_id(*guest)) {
    return make_error(Errc::invalid,
                      "the guest token must be a guest's (its sub starts with guest-), not a "
                      "signed-in user's",
                      "not_a_guest_token");
  }
  if (*guest == user_id) {
    return make_error(Errc::invalid, "a cart cannot be merged into itself", "not_a_guest_token");
  }
  return std::move(*guest);
}

std::string merge_answer(const MergeCommitted& merged) {
  const auto view = view_to_json(merged.user.cart, merged.user.revision);
  platform::JsonWriter out(view.size() + 512 + 320 * merged.merged.size() +
                           320 * merged.left_out.size());
  out.begin_object().key("cart").raw(view).key("from_session_id");
  if (merged.from_session_id.empty()) {
    out.null();
  } else {
    out.value(merged.from_session_id);
  }
  out.key("merged").begin_array();
  for (const auto& line : merged.merged) {
    out.begin_object().key("from_item_id").value(line.from_item_id);
    out.key("item_id").value(line.item_id).key("type").value(to_string(line.type));
    out.key("sku").value(line.sku).key("name").value(line.name);
    out.key("parent_item_id").value_or_null(line.parent_item_id);
    out.key("requested").value(line.requested).key("added").value(line.added);
    out.key("new_line").value(line.new_line).key("clamped").value(line.clamped());
    out.end_object();
  }
  out.end_array().key("left_out").begin_array();
  for (const auto& line : merged.left_out) {
    out.begin_object().key("from_item_id").value(line.from_item_id);
    out.key("type").value(to_string(line.type)).key("sku").value(line.sku);
    out.key("name").value(line.name).key("quantity").value(line.quantity);
    out.key("reason").begin_object().key("code").value(line.reason.code);
    out.key("message").value(line.reason.message).end_object().end_object();
  }
  out.end_array().end_object();
  return std::move(out).take();
}

CartHttpApi::CartHttpApi(CartService& service, platform::idempotency::IdempotencyStore& idempotency,
                         const http::JwtVerifier& guest_tokens)
    : service_(service), idempotency_(idempotency), guest_tokens_(guest_tokens) {}

void CartHttpApi::register_routes(http::Router& router) {
  router.add("POST", "/cart/items", [this](http::Request r) {
    return run_idempotent(std::move(r), &CartHttpApi::add_item_once);
  });
  router.add("DELETE", "/cart/items/{id}",
             [this](http::Request r) { return remove_item(std::move(r)); });
  router.add("PATCH", "/cart/items/{id}",
             [this](http::Request r) { return change_quantity(std::move(r)); });
  router.add("GET", "/cart", [this](http::Request r) { return get_cart(std::move(r)); });
  router.add("POST", "/cart/price-changes/acknowledge",
             [this](http::Request r) { return acknowledge_prices(std::move(r)); });
  router.add("POST", "/cart/merge", [this](http::Request r) {
    return run_idempotent(std::move(r), &CartHttpApi::merge_once);
  });
}

boost::asio::awaitable<http::Response> CartHttpApi::run_idempotent(http::Request request,
                                                                   OnceRoute route) {
  const auto user = request.user_id;
  platform::idempotency::ClaimHandler handler = [this, route](http::Request r,
                                                              std::optional<Claim> claim) {
    return (this->*route)(std::move(r), std::move(claim));
  };
  co_return co_await idempotency_.run(request, user, std::move(handler));
}

boost::asio::awaitable<Handled> CartHttpApi::merge_once(http::Request request,
                                                        std::optional<Claim> claim) {
  auto token = parse_merge_request(request.body);
  if (!token) co_return Handled{http::problem(token.error(), request.path)};
  auto guest = guest_to_merge(guest_tokens_, request.user_id, *token);
  if (!guest) co_return Handled{http::problem(guest.error(), request.path)};
  // As for POST /cart/items: with a claim, the merge's own commit makes the record final.
  std::optional<http::Response> recorded;
  MergeRecordFor record_for;
  if (claim) {
    record_for = [&claim, &recorded](const MergeCommitted& next) {
      recorded = http::Response{};
      recorded->body = merge_answer(next);
      return IdempotencyRecord{claim->record_key(), claim->record_argv(*recorded)};
    };
  }
  auto merged = co_await service_.merge_guest_cart(request.user_id, std::move(*guest),
                                                   request.trace, std::move(record_for));
  if (!merged) co_return Handled{http::problem(merged.error(), request.path)};
  if (merged->user.recorded) co_return Handled{std::move(*recorded), true};
  http::Response response;
  response.body = merge_answer(*merged);
  co_return Handled{std::move(response)};
}

boost::asio::awaitable<Handled> CartHttpApi::add_item_once(http::Request request,
                                                           std::optional<Claim> claim) {
  auto command = parse_add_line(request.body);
  if (!command) co_return Handled{http::problem(command.error(), request.path)};
  // With a claim, the response is rendered from the cart about to be committed and the commit
  // makes the idempotency record final with it (a retry after any crash is then a replay).
  std::optional<http::Response> recorded;
  RecordFor record_for;
  if (claim) {
    record_for = [&claim, &recorded](const Committed& next) {
      recorded = line_response(201, next);
      return IdempotencyRecord{claim->record_key(), claim->record_argv(*recorded)};
    };
  }
  auto committed = co_await service_.add_item(request.user_id, std::move(*command), request.trace,
                                              std::move(record_for));
  if (!committed) co_return Handled{http::problem(committed.error(), request.path)};
  if (committed->recorded) co_return Handled{std::move(*recorded), true};
  co_return Handled{line_response(201, *committed)};
}

// The routes below return a Result: the router answers an error as problem+json.
boost::asio::awaitable<platform::Result<http::Response>> CartHttpApi::remove_item(
    http::Request request) {
  PLATFORM_CO_TRY(auto item_id, item_id_of(request));
  PLATFORM_CO_TRY(auto committed,
                  co_await service_.remove_item(request.user_id, item_id, request.trace));
  co_return view_response(committed);
}

boost::asio::awaitable<platform::Result<http::Response>> CartHttpApi::change_quantity(
    http::Request request) {
  PLATFORM_CO_TRY(auto item_id, item_id_of(request));
  PLATFORM_CO_TRY(auto quantity, parse_quantity_change(request.body));
  PLATFORM_CO_TRY(auto committed, co_await service_.change_quantity(request.user_id, item_id,
                                                                    quantity, request.trace));
  co_return line_response(200, committed);
}

boost::asio::awaitable<platform::Result<http::Response>> CartHttpApi::get_cart(
    http::Request request) {
  PLATFORM_CO_TRY(auto view, co_await service_.view_json(request.user_id));
  http::Response response;
  response.body = std::move(view);
  co_return response;
}

boost::asio::awaitable<platform::Result<http::Response>> CartHttpApi::acknowledge_prices(
    http::Request request) {
  PLATFORM_CO_TRY(auto item_ids, parse_price_acknowledgement(request.body));
  PLATFORM_CO_TRY(auto committed, co_await service_.acknowledge_price_changes(
                                      request.user_id, std::move(item_ids), request.trace));
  co_return view_response(committed);
}

}  // namespace cart

// A guest's cart merged into the user's at sign-in: the pure rule (cart::merge_carts), its
// events, and the request's checks (who may merge whose cart). No I/O.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "cart.hpp"
#include "events.hpp"
#include "http_api.hpp"
#include "warranties.hpp"

namespace cart {
namespace {
namespace json = boost::json;
using std::chrono::seconds;

Product product(std::string sku, std::int64_t price, std::string category = "tv",
                std::vector<std::string> flags = {}) {
  Product p;
  p.sku = std::move(sku);
  p.name = "Produkt " + p.sku;
  p.category = std::move(category);
  p.price = platform::pln(price);
  p.stock = 10;
  p.weight_g = 1000;
  p.dimensions_mm = {100, 200, 300};
  p.flags = std::move(flags);
  return p;
}

const Product kTv = product("TV-1", 329900);
const Product kFridge = product("FR-1", 249900, "fridge", {"large_appliance"});
const Product kCarryIn = product("SRV-CARRY-IN", 9900, "service");
const Product kCable = product("CABLE-1", 4900, "accessory");

// A cart of one owner, filled through the Cart's own add_line (ids "<prefix>-1", "<prefix>-2"...).
struct Filling {
  Cart cart;
  std::string prefix;
  int next = 0;
  Limits limits;

  Filling(std::string user, std::string session, std::string id_prefix)
      : prefix(std::move(id_prefix)) {
    cart.user_id = std::move(user);
    cart.session_id = std::move(session);
  }
  std::string add(const Product& p, std::int64_t quantity, LineType type = LineType::offer,
                  std::optional<std::string> parent = std::nullopt) {
    auto outcome = add_line(cart, AddLine{type, p.sku, quantity, std::move(parent)}, p, limits,
                            [this] { return prefix + "-" + std::to_string(++next); });
    EXPECT_TRUE(outcome) << (outcome ? "" : outcome.error().message);
    cart = outcome->cart;
    return outcome->item_id;
  }
};

struct MergeFixture : ::testing::Test {
  Filling user{"anna", "s-user", "u"};
  Filling guest{"guest-0123456789abcdef0123456789abcdef", "s-guest", "g"};
  Limits limits;
  int next_id = 0;
  IdGenerator ids = [this] {
    return "new-" + std::to_string(++next_id);
  };

  MergeOutcome merge() { return merge_carts(user.cart, guest.cart, limits, ids); }
  static const CartLine* by_sku(const Cart& cart, std::string_view sku,
                                LineType type = LineType::offer) {
    for (const auto& line : cart.lines) {
      if (line.sku == sku && line.type == type) return &line;
    }
    return nullptr;
  }
};

TEST_F(MergeFixture, QuantitiesAddUpOnTheSameProductAndNewProductsBecomeLines) {
  const auto user_tv = user.add(kTv, 1);
  const auto guest_tv = guest.add(kTv, 2);
  const auto guest_fridge = guest.add(kFridge, 1);
  const auto user_version = user.cart.version;
  const auto guest_version = guest.cart.version;

  const auto out = merge();
  const auto& cart = out.user.cart;
  ASSERT_EQ(cart.lines.size(), 2U);
  EXPECT_EQ(cart.find(user_tv)->quantity, 3);
  const auto* fridge = by_sku(cart, "FR-1");
  ASSERT_NE(fridge, nullptr);
  EXPECT_EQ(fridge->item_id, "new-1");
  EXPECT_EQ(fridge->unit_price, platform::pln(249900));
  EXPECT_EQ(fridge->flags, std::vector<std::string>{"large_appliance"});

  ASSERT_EQ(out.user.changes.size(), 2U);
  EXPECT_EQ(out.user.changes[0].kind, ChangeKind::quantity_changed);
  EXPECT_EQ(out.user.changes[0].old_quantity, 1);
  EXPECT_EQ(out.user.changes[1].kind, ChangeKind::added);
  // Two line events and CartMerged after them.
  EXPECT_TRUE(out.announces());
  EXPECT_EQ(cart.version, user_version + 3);
  EXPECT_EQ(cart.session_id, "s-user");

  ASSERT_EQ(out.merged.size(), 2U);
  EXPECT_EQ(out.merged[0], (MergedLine{guest_tv, user_tv, LineType::offer, "TV-1", "Produkt TV-1",
                                       std::nullopt, 2, 2, false}));
  EXPECT_EQ(out.merged[1].from_item_id, guest_fridge);
  EXPECT_EQ(out.merged[1].item_id, "new-1");
  EXPECT_TRUE(out.merged[1].new_line);
  EXPECT_FALSE(out.merged[1].clamped());
  EXPECT_TRUE(out.left_out.empty());

  EXPECT_TRUE(out.guest.cart.lines.empty());
  EXPECT_EQ(out.guest.cart.session_id, "s-guest");
  EXPECT_EQ(out.guest.cart.version, guest_version + 2);
  ASSERT_EQ(out.guest.changes.size(), 2U);
  for (const auto& change : out.guest.changes) EXPECT_EQ(change.kind, ChangeKind::removed);
}

TEST_F(MergeFixture, AQuantityOverTheLimitIsClampedAndSaidSo) {
  limits.max_quantity = 5;
  const auto user_tv = user.add(kTv, 4);
  guest.add(kTv, 3);
  const auto out = merge();
  EXPECT_EQ(out.user.cart.find(user_tv)->quantity, 5);
  ASSERT_EQ(out.merged.size(), 1U);
  EXPECT_EQ(out.merged[0].requested, 3);
  EXPECT_EQ(out.merged[0].added, 1);
  EXPECT_TRUE(out.merged[0].clamped());
}

TEST_F(MergeFixture, ALineAlreadyFullTakesNothingButItsChildrenStillFollowIt) {
  limits.max_quantity = 5;
  const auto user_fridge = user.add(kFridge, 5);
  const auto guest_fridge = guest.add(kFridge, 1);
  guest.add(kCarryIn, 1, LineType::service, guest_fridge);
  const auto out = merge();
  EXPECT_EQ(out.user.cart.find(user_fridge)->quantity, 5);
  ASSERT_EQ(out.merged.size(), 2U);
  EXPECT_EQ(out.merged[0].item_id, user_fridge);
  EXPECT_EQ(out.merged[0].added, 0);
  EXPECT_TRUE(out.merged[0].clamped());
  const auto* carry_in = by_sku(out.user.cart, "SRV-CARRY-IN", LineType::service);
  ASSERT_NE(carry_in, nullptr);
  EXPECT_EQ(carry_in->parent_item_id, user_fridge);
  // Only the carry-in moved: one line event, then CartMerged.
  ASSERT_EQ(out.user.changes.size(), 1U);
  EXPECT_EQ(out.user.cart.version, user.cart.version + 2);
}

TEST_F(MergeFixture, AServiceGoesUnderItsParentsNewLineAndWaitsForTheServicesAgain) {
  const auto guest_fridge = guest.add(kFridge, 1);
  const auto guest_carry = guest.add(kCarryIn, 1, LineType::service, guest_fridge);
  guest.cart.lines[1].validation = Validation::validated;  // the Services had said yes
  const auto out = merge();
  const auto& cart = out.user.cart;
  ASSERT_EQ(cart.lines.size(), 2U);
  const auto* fridge = by_sku(cart, "FR-1");
  const auto* carry_in = by_sku(cart, "SRV-CARRY-IN", LineType::service);
  ASSERT_NE(fridge, nullptr);
  ASSERT_NE(carry_in, nullptr);
  EXPECT_EQ(carry_in->parent_item_id, fridge->item_id);
  EXPECT_NE(carry_in->item_id, guest_carry);
  EXPECT_EQ(carry_in->validation, Validation::not_yet_validated);
  // The parent's event comes first: no consumer sees a child before its parent.
  ASSERT_EQ(out.user.changes.size(), 2U);
  EXPECT_EQ(out.user.changes[0].line.item_id, fridge->item_id);
  EXPECT_EQ(out.user.changes[1].line.item_id, carry_in->item_id);
  EXPECT_EQ(out.merged[1].parent_item_id, fridge->item_id);
}

TEST_F(MergeFixture, AServiceGoesUnderTheUsersLineOfTheSameProduct) {
  const auto user_fridge = user.add(kFridge, 1);
  const auto user_carry = user.add(kCarryIn, 1, LineType::service, user_fridge);
  const auto user_cable = user.add(kCable, 1, LineType::accessory, user_fridge);
  const auto guest_fridge = guest.add(kFridge, 1);
  guest.add(kCarryIn, 1, LineType::service, guest_fridge);
  guest.add(kCable, 2, LineType::accessory, guest_fridge);
  const auto out = merge();
  const auto& cart = out.user.cart;
  ASSERT_EQ(cart.lines.size(), 3U);
  EXPECT_EQ(cart.find(user_fridge)->quantity, 2);
  EXPECT_EQ(cart.find(user_carry)->quantity, 2);
  EXPECT_EQ(cart.find(user_carry)->validation, Validation::not_yet_validated);
  EXPECT_EQ(cart.find(user_cable)->quantity, 3);
  EXPECT_EQ(cart.find(user_cable)->parent_item_id, user_fridge);
}

TEST_F(MergeFixture, AServiceNeverOutnumbersItsLine) {
  limits.max_quantity = 3;
  const auto user_fridge = user.add(kFridge, 3);
  const auto user_carry = user.add(kCarryIn, 2, LineType::service, user_fridge);
  const auto guest_fridge = guest.add(kFridge, 2);
  guest.add(kCarryIn, 2, LineType::service, guest_fridge);
  const auto out = merge();
  EXPECT_EQ(out.user.cart.find(user_fridge)->quantity, 3);
  EXPECT_EQ(out.user.cart.find(user_carry)->quantity, 3);
  ASSERT_EQ(out.merged.size(), 2U);
  EXPECT_EQ(out.merged[1].added, 1);
  EXPECT_TRUE(out.merged[1].clamped());
}

TEST_F(MergeFixture, ACartWithNoRoomLeavesLinesOutWithTheirChildrenButStillEmptiesTheGuest) {
  limits.max_lines = 2;
  user.add(kTv, 1);
  const auto guest_cable = guest.add(kCable, 1);
  const auto guest_fridge = guest.add(kFridge, 1);
  const auto guest_carry = guest.add(kCarryIn, 1, LineType::service, guest_fridge);
  const auto out = merge();
  EXPECT_EQ(out.user.cart.lines.size(), 2U);
  ASSERT_EQ(out.merged.size(), 1U);
  EXPECT_EQ(out.merged[0].from_item_id, guest_cable);
  ASSERT_EQ(out.left_out.size(), 2U);
  EXPECT_EQ(out.left_out[0].from_item_id, guest_fridge);
  EXPECT_EQ(out.left_out[0].reason.code, "too_many_lines");
  EXPECT_EQ(out.left_out[0].quantity, 1);
  EXPECT_EQ(out.left_out[1].from_item_id, guest_carry);
  EXPECT_EQ(out.left_out[1].reason.code, "parent_left_out");
  EXPECT_TRUE(out.guest.cart.lines.empty());
  EXPECT_EQ(out.guest.changes.size(), 3U);
}

TEST_F(MergeFixture, NothingFitsNothingIsAnnouncedForTheUser) {
  limits.max_lines = 1;
  user.add(kTv, 1);
  guest.add(kFridge, 1);
  const auto out = merge();
  EXPECT_FALSE(out.announces());
  EXPECT_TRUE(out.user.changes.empty());
  EXPECT_EQ(out.user.cart, user.cart);
  EXPECT_EQ(out.left_out.size(), 1U);
  EXPECT_TRUE(out.guest.cart.lines.empty());
}

TEST_F(MergeFixture, AServiceTheServicesRefusedThereIsLeftOutWithTheirReason) {
  const auto user_fridge = user.add(kFridge, 1);
  user.cart.service_refusals.push_back(
      ServiceRefusal{user_fridge, "SRV-CARRY-IN", Reason{"method_excluded", "Nie z paczkomatem."}});
  const auto guest_fridge = guest.add(kFridge, 1);
  guest.add(kCarryIn, 1, LineType::service, guest_fridge);
  const auto out = merge();
  EXPECT_EQ(out.user.cart.lines.size(), 1U);
  ASSERT_EQ(out.left_out.size(), 1U);
  EXPECT_EQ(out.left_out[0].reason, (Reason{"method_excluded", "Nie z paczkomatem."}));
}

TEST_F(MergeFixture, WarrantiesAndPromotionsAreLeftToTheirOwners) {
  const auto user_tv = user.add(kTv, 1);
  user.cart.lines[0].warranties.push_back(Warranty{"ext_12m", WarrantyKind::extended, "+1 rok", 12,
                                                   platform::pln(100), 1, platform::pln(100)});
  guest.add(kTv, 1);
  guest.add(kFridge, 1);
  for (auto& line : guest.cart.lines) {
    line.warranties.push_back(Warranty{"theft_12m", WarrantyKind::theft, "Kradzież", 12,
                                       platform::pln(14900), 1, platform::pln(14900)});
    line.promotions.push_back(
        LinePromotion{"p-1", "Wiosna", std::nullopt, platform::pln(1000), std::nullopt});
  }
  const auto out = merge();
  // The user's own line keeps what its owners said of it; the Warranty carries the guest's plan
  // over itself (CartMerged) and publishes it for the user's line.
  EXPECT_EQ(out.user.cart.find(user_tv)->warranties.size(), 1U);
  const auto* fridge = by_sku(out.user.cart, "FR-1");
  ASSERT_NE(fridge, nullptr);
  EXPECT_TRUE(fridge->warranties.empty());
  EXPECT_TRUE(fridge->promotions.empty());
}

TEST_F(MergeFixture, TheGuestEmptiesChildrenFirstEachWithItsParent) {
  const auto guest_fridge = guest.add(kFridge, 1);
  const auto guest_carry = guest.add(kCarryIn, 1, LineType::service, guest_fridge);
  const auto guest_tv = guest.add(kTv, 1);
  const auto out = merge();
  ASSERT_EQ(out.guest.changes.size(), 3U);
  EXPECT_EQ(out.guest.changes[0].line.item_id, guest_carry);
  EXPECT_EQ(out.guest.changes[0].removed_with_parent, guest_fridge);
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_NE(out.guest.changes[i].line.item_id, guest_carry);
    EXPECT_FALSE(out.guest.changes[i].removed_with_parent);
  }
  (void)guest_tv;
}

TEST_F(MergeFixture, ASecondMergeChangesNothing) {
  user.add(kTv, 1);
  guest.add(kTv, 2);
  const auto first = merge();
  const auto second = merge_carts(first.user.cart, first.guest.cart, limits, ids);
  EXPECT_EQ(second.user.cart, first.user.cart);
  EXPECT_EQ(second.guest.cart, first.guest.cart);
  EXPECT_TRUE(second.user.changes.empty());
  EXPECT_TRUE(second.guest.changes.empty());
  EXPECT_TRUE(second.merged.empty());
  EXPECT_TRUE(second.left_out.empty());
}

TEST_F(MergeFixture, CartMergedFollowsTheLineEventsAndMapsEveryMergedLine) {
  const auto user_tv = user.add(kTv, 1);
  const auto guest_tv = guest.add(kTv, 1);
  const auto guest_fridge = guest.add(kFridge, 1);
  const auto before = user.cart.version;
  const auto out = merge();
  const auto trace = platform::TraceContext::generate();
  auto line_events = events_for(out.user, before, trace, platform::TimePoint{});
  const auto merged = merged_event(out, guest.cart, trace, platform::TimePoint{});
  ASSERT_EQ(line_events.size(), 2U);
  EXPECT_EQ(merged.type, "CartMerged");
  EXPECT_EQ(merged.key, "s-user");
  EXPECT_EQ(merged.source, "/checkout/cart");
  const auto data = json::parse(merged.data).as_object();
  EXPECT_EQ(data.at("version").as_int64(), before + 3);
  EXPECT_EQ(json::parse(line_events[1].data).at("version").as_int64(), before + 2);
  EXPECT_EQ(data.at("user_id").as_string(), "anna");
  EXPECT_EQ(data.at("from_session_id").as_string(), "s-guest");
  EXPECT_EQ(data.at("from_user_id").as_string(), guest.cart.user_id);
  EXPECT_EQ(data.at("cart_hash").as_string(), out.user.cart.content_hash());
  const auto& items = data.at("items").as_array();
  ASSERT_EQ(items.size(), 2U);
  EXPECT_EQ(items[0].at("from_item_id").as_string(), guest_tv);
  EXPECT_EQ(items[0].at("item_id").as_string(), user_tv);
  EXPECT_EQ(items[1].at("from_item_id").as_string(), guest_fridge);
  EXPECT_EQ(items[1].at("item_id").as_string(), "new-1");
  EXPECT_EQ(items[1].at("sku").as_string(), "FR-1");
}

TEST(ParseMergeRequest, TakesTheGuestToken) {
  auto token = parse_merge_request(R"({"guest_token":"a.b.c"})");
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(*token, "a.b.c");
  for (const char* body : {"", "{", "nope"}) {
    auto refused = parse_merge_request(body);
    ASSERT_FALSE(refused) << body;
    EXPECT_EQ(refused.error().code, platform::Errc::malformed) << body;
  }
  for (const auto& body : std::vector<std::string>{
           std::string("[1]"), std::string("{}"), std::string(R"({"guest_token":""})"),
           std::string(R"({"guest_token":7})"), std::string(R"({"guest_token":null})"),
           std::string(R"({"guest_token":"a","user":"b"})"),
           R"({"guest_token":")" + std::string(4097, 'a') + R"("})"}) {
    auto refused = parse_merge_request(body);
    ASSERT_FALSE(refused) << body;
    EXPECT_EQ(refused.error().code, platform::Errc::invalid) << body;
  }
}

struct GuestTokens : ::testing::Test {
  platform::http::JwtConfig config = [] {
    platform::http::JwtConfig c;
    c.secret = "merge-test-secret";
    return c;
  }();
  platform::http::JwtVerifier verifier{config};
  std::string guest = "guest-0123456789abcdef0123456789abcdef";

  std::string token(std::string_view sub, seconds ttl = seconds(600)) const {
    return platform::http::issue_token(config, sub, ttl);
  }
};

TEST_F(GuestTokens, AGuestsOwnTokenNamesTheGuest) {
  auto merged = guest_to_merge(verifier, "anna", token(guest));
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(*merged, guest);
}

TEST_F(GuestTokens, AForgedOrExpiredTokenIsRefused) {
  auto other = config;
  other.secret = "someone-elses-secret";
  const std::vector<std::string> bad{platform::http::issue_token(other, guest, seconds(600)),
                                     token(guest, seconds(-3600)), "not-a-jwt", token(guest) + "x"};
  for (const auto& bad_token : bad) {
    auto refused = guest_to_merge(verifier, "anna", bad_token);
    ASSERT_FALSE(refused) << bad_token;
    EXPECT_EQ(refused.error().code, platform::Errc::invalid);
    EXPECT_EQ(refused.error().reason, "guest_token_invalid");
  }
}

TEST_F(GuestTokens, ASignedInUsersTokenOrTheCallersOwnIsNotAGuests) {
  for (const auto* sub : {"bob", "anna"}) {
    auto refused = guest_to_merge(verifier, "anna", token(sub));
    ASSERT_FALSE(refused) << sub;
    EXPECT_EQ(refused.error().code, platform::Errc::invalid);
    EXPECT_EQ(refused.error().reason, "not_a_guest_token");
  }
}

TEST_F(GuestTokens, ACallerWhoIsAGuestCannotMerge) {
  for (const auto& caller : {guest, std::string("guest-ffff")}) {
    auto refused = guest_to_merge(verifier, caller, token(guest));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, platform::Errc::forbidden);
    EXPECT_EQ(refused.error().reason, "guest_cannot_merge");
  }
}

TEST_F(MergeFixture, TheAnswerShowsTheCartAndWhatMovedOrNot) {
  limits.max_lines = 1;
  limits.max_quantity = 3;
  const auto user_tv = user.add(kTv, 2);
  guest.add(kTv, 2);
  guest.add(kFridge, 1);
  const auto out = merge();
  MergeCommitted committed{Committed{out.user.cart, {}, 9, false}, "s-guest", out.merged,
                           out.left_out};
  const auto answer = json::parse(merge_answer(committed)).as_object();
  const auto& cart = answer.at("cart").as_object();
  EXPECT_EQ(cart.at("revision").as_int64(), 9);
  EXPECT_EQ(cart.at("version").as_int64(), out.user.cart.version);
  EXPECT_EQ(json::serialize(answer.at("cart")), view_to_json(out.user.cart, 9));
  EXPECT_EQ(answer.at("from_session_id").as_string(), "s-guest");
  const auto& merged = answer.at("merged").as_array().at(0).as_object();
  EXPECT_EQ(merged.at("item_id").as_string(), user_tv);
  EXPECT_EQ(merged.at("requested").as_int64(), 2);
  EXPECT_EQ(merged.at("added").as_int64(), 1);
  EXPECT_TRUE(merged.at("clamped").as_bool());
  EXPECT_FALSE(merged.at("new_line").as_bool());
  EXPECT_TRUE(merged.at("parent_item_id").is_null());
  const auto& left = answer.at("left_out").as_array().at(0).as_object();
  EXPECT_EQ(left.at("sku").as_string(), "FR-1");
  EXPECT_EQ(left.at("reason").at("code").as_string(), "too_many_lines");
}

}  // namespace
}  // namespace cart

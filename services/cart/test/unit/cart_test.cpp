#include "cart.hpp"

#include <gtest/gtest.h>

#include <random>

#include "events.hpp"
#include "view.hpp"

namespace cart {
namespace {

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

struct CartFixture : ::testing::Test {
  Cart cart{"user-1", "session-1", 0, {}, 0, {}, {}, 0, 0};
  Limits limits;
  int next_id = 0;
  IdGenerator ids = [this] {
    return "item-" + std::to_string(++next_id);
  };

  Outcome add(const Product& p, std::int64_t quantity, LineType type = LineType::offer,
              std::optional<std::string> parent = std::nullopt) {
    auto result = add_line(cart, AddLine{type, p.sku, quantity, parent}, p, limits, ids);
    EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
    cart = result->cart;
    return *result;
  }
};

TEST_F(CartFixture, AddingCreatesALineWithTheCatalogData) {
  auto outcome = add(product("TV-1", 329900), 2);
  ASSERT_EQ(cart.lines.size(), 1U);
  const auto& line = cart.lines[0];
  EXPECT_EQ(line.item_id, "item-1");
  EXPECT_EQ(line.unit_price, platform::pln(329900));
  EXPECT_EQ(line.line_total(), platform::pln(659800));
  EXPECT_EQ(line.enrichment, Enrichment::pending);
  ASSERT_EQ(outcome.changes.size(), 1U);
  EXPECT_EQ(outcome.changes[0].kind, ChangeKind::added);
  EXPECT_EQ(cart.version, 1);
  EXPECT_EQ(cart.item_count(), 2);
  EXPECT_EQ(cart.subtotal(), platform::pln(659800));
}

TEST_F(CartFixture, AddingTheSameSkuMergesQuantities) {
  add(product("TV-1", 1000), 2);
  auto outcome = add(product("TV-1", 1000), 3);
  ASSERT_EQ(cart.lines.size(), 1U);
  EXPECT_EQ(cart.lines[0].quantity, 5);
  EXPECT_EQ(outcome.changes[0].kind, ChangeKind::quantity_changed);
  EXPECT_EQ(outcome.changes[0].old_quantity, 2);
  EXPECT_EQ(outcome.item_id, "item-1");
}

TEST_F(CartFixture, MergingBeyondTheLimitIsRejected) {
  add(product("TV-1", 1000), 90);
  auto result =
      add_line(cart, {LineType::offer, "TV-1", 10, {}}, product("TV-1", 1000), limits, ids);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, platform::Errc::invalid);
}

TEST_F(CartFixture, QuantityOutsideTheLimitsIsRejected) {
  for (std::int64_t q : {0, -1, 100}) {
    auto result = add_line(cart, {LineType::offer, "TV-1", q, {}}, product("TV-1", 1), limits, ids);
    ASSERT_FALSE(result) << q;
    EXPECT_EQ(result.error().reason, "quantity_out_of_range");
  }
}

TEST_F(CartFixture, TooManyLinesAreRejected) {
  limits.max_lines = 2;
  add(product("A-1", 1), 1);
  add(product("A-2", 1), 1);
  auto result = add_line(cart, {LineType::offer, "A-3", 1, {}}, product("A-3", 1), limits, ids);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().reason, "too_many_lines");
}

TEST_F(CartFixture, ServicesNeedAnExistingParentUnlessStandalone) {
  const auto carry_in = product("SRV-CARRY-IN", 9900, "service");
  auto missing = add_line(cart, {LineType::service, carry_in.sku, 1, {}}, carry_in, limits, ids);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().reason, "parent_required");
  auto unknown =
      add_line(cart, {LineType::service, carry_in.sku, 1, "nope"}, carry_in, limits, ids);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().reason, "parent_not_found");

  add(product("FR-1", 250000, "fridge"), 1);
  add(carry_in, 1, LineType::service, "item-1");
  EXPECT_EQ(cart.lines[1].validation, Validation::not_yet_validated);

  const auto sms = product("SRV-SMS", 100, "service", {"standalone"});
  add(sms, 1, LineType::service);
  auto with_parent = add_line(cart, {LineType::service, sms.sku, 1, "item-1"}, sms, limits, ids);
  ASSERT_FALSE(with_parent);
}

TEST_F(CartFixture, LineTypeMustMatchTheProduct) {
  const auto carry_in = product("SRV-CARRY-IN", 9900, "service");
  auto as_offer = add_line(cart, {LineType::offer, carry_in.sku, 1, {}}, carry_in, limits, ids);
  ASSERT_FALSE(as_offer);
  auto tv = product("TV-1", 1);
  auto as_service = add_line(cart, {LineType::service, tv.sku, 1, {}}, tv, limits, ids);
  ASSERT_FALSE(as_service);
}

TEST_F(CartFixture, RemovingAParentRemovesItsChildrenFirst) {
  add(product("FR-1", 250000, "fridge"), 1);
  add(product("SRV-CARRY-IN", 9900, "service"), 1, LineType::service, "item-1");
  add(product("ACC-1", 4900, "accessory"), 1, LineType::accessory, "item-1");
  add(product("TV-1", 1000), 1);
  auto result = remove_line(cart, "item-1");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->changes.size(), 3U);
  EXPECT_EQ(result->changes[0].removed_with_parent, "item-1");
  EXPECT_EQ(result->changes[1].removed_with_parent, "item-1");
  EXPECT_EQ(result->changes[2].line.item_id, "item-1");
  EXPECT_FALSE(result->changes[2].removed_with_parent);
  ASSERT_EQ(result->cart.lines.size(), 1U);
  EXPECT_EQ(result->cart.lines[0].sku, "TV-1");
  EXPECT_EQ(result->cart.version, cart.version + 3);
}

TEST_F(CartFixture, RemovingOrChangingAnUnknownLineIsNotFound) {
  EXPECT_EQ(remove_line(cart, "x").error().code, platform::Errc::not_found);
  EXPECT_EQ(change_quantity(cart, "x", 2, limits).error().code, platform::Errc::not_found);
}

TEST_F(CartFixture, ChangingQuantityToTheSameValueIsANoOp) {
  add(product("TV-1", 1000), 2);
  auto same = change_quantity(cart, "item-1", 2, limits);
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->changes.empty());
  EXPECT_EQ(same->cart.version, cart.version);
  auto changed = change_quantity(cart, "item-1", 4, limits);
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->cart.subtotal(), platform::pln(4000));
}

TEST_F(CartFixture, CatalogPriceChangesRepriceAndRememberTheFirstPrice) {
  add(product("TV-1", 1000), 1);
  auto p = product("TV-1", 1200);
  auto first = apply_catalog(cart, p, 3);
  ASSERT_EQ(first.cart.lines[0].unit_price, platform::pln(1200));
  ASSERT_TRUE(first.cart.lines[0].price_change);
  EXPECT_EQ(first.cart.lines[0].price_change->old_unit_price, platform::pln(1000));
  EXPECT_EQ(first.changes[0].kind, ChangeKind::price_changed);
  EXPECT_EQ(first.changes[0].old_unit_price, platform::pln(1000));

  auto second = apply_catalog(first.cart, product("TV-1", 1100), 3);
  EXPECT_EQ(second.cart.lines[0].price_change->old_unit_price, platform::pln(1000));
  EXPECT_EQ(second.cart.lines[0].price_change->new_unit_price, platform::pln(1100));

  auto back = apply_catalog(second.cart, product("TV-1", 1000), 3);
  EXPECT_FALSE(back.cart.lines[0].price_change) << "back at the price the customer saw";

  auto acknowledged = acknowledge_price_changes(second.cart, {"item-1"});
  ASSERT_TRUE(acknowledged);
  EXPECT_FALSE(acknowledged->lines[0].price_change);
}

// Three lines, the first two repriced: the customer acknowledges lines one by one.
struct Acknowledging : CartFixture {
  void SetUp() override {
    add(product("TV-1", 1000), 1);
    add(product("TV-2", 2000), 1);
    add(product("TV-3", 3000), 1);
    cart = apply_catalog(cart, product("TV-1", 900), 3).cart;
    cart = apply_catalog(cart, product("TV-2", 2100), 3).cart;
    ASSERT_TRUE(cart.lines[0].price_change);
    ASSERT_TRUE(cart.lines[1].price_change);
    ASSERT_FALSE(cart.lines[2].price_change);
  }
};

TEST_F(Acknowledging, ClearsExactlyTheNamedLines) {
  auto acknowledged = acknowledge_price_changes(cart, {"item-2"});
  ASSERT_TRUE(acknowledged) << acknowledged.error().message;
  EXPECT_TRUE(acknowledged->lines[0].price_change) << "not named: still pending";
  EXPECT_FALSE(acknowledged->lines[1].price_change);
  EXPECT_EQ(acknowledged->lines[1].unit_price, platform::pln(2100)) << "the new price stays";
  EXPECT_EQ(acknowledged->version, cart.version) << "no event, no version step";

  auto both = acknowledge_price_changes(cart, {"item-1", "item-2"});
  ASSERT_TRUE(both);
  EXPECT_FALSE(both->lines[0].price_change);
  EXPECT_FALSE(both->lines[1].price_change);
}

TEST_F(Acknowledging, AnUnknownLineIsInvalidAndNamed) {
  auto rejected = acknowledge_price_changes(cart, {"item-1", "no-such-line"});
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, platform::Errc::invalid);
  EXPECT_NE(rejected.error().message.find("no-such-line"), std::string::npos);
}

TEST_F(Acknowledging, ALineWithoutAPendingPriceChangeIsInvalidAndNamed) {
  auto rejected = acknowledge_price_changes(cart, {"item-1", "item-3"});
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, platform::Errc::invalid);
  EXPECT_NE(rejected.error().message.find("item-3"), std::string::npos);
}

TEST_F(CartFixture, EnrichmentSetsStockStatusOnce) {
  add(product("TV-1", 1000), 2);
  auto p = product("TV-1", 1000);
  p.stock = 1;
  auto enriched = apply_catalog(cart, p, 3);
  EXPECT_EQ(enriched.cart.lines[0].enrichment, Enrichment::enriched);
  EXPECT_EQ(enriched.cart.lines[0].stock_status, StockStatus::out_of_stock);
  ASSERT_EQ(enriched.changes.size(), 1U);
  EXPECT_EQ(enriched.changes[0].kind, ChangeKind::stock_changed);
  auto again = apply_catalog(enriched.cart, p, 3);
  EXPECT_TRUE(again.changes.empty());
}

TEST_F(CartFixture, FirstEnrichmentInStockIsRecordedWithoutAnEvent) {
  add(product("TV-1", 1000), 1);
  auto enriched = apply_catalog(cart, product("TV-1", 1000), 3);
  EXPECT_EQ(enriched.cart.lines[0].stock_status, StockStatus::in_stock);
  EXPECT_EQ(enriched.cart.lines[0].enrichment, Enrichment::enriched);
  EXPECT_TRUE(enriched.changes.empty());
  auto sold_out = product("TV-1", 1000);
  sold_out.stock = 0;
  auto later = apply_catalog(enriched.cart, sold_out, 3);
  ASSERT_EQ(later.changes.size(), 1U);
  EXPECT_EQ(later.changes[0].kind, ChangeKind::stock_changed);
}

TEST(StockStatus, ThresholdsAndRequestedQuantity) {
  EXPECT_EQ(stock_status_for(0, 1, 3), StockStatus::out_of_stock);
  EXPECT_EQ(stock_status_for(2, 3, 3), StockStatus::out_of_stock);
  EXPECT_EQ(stock_status_for(3, 1, 3), StockStatus::low_stock);
  EXPECT_EQ(stock_status_for(50, 1, 3), StockStatus::in_stock);
}

TEST_F(CartFixture, ContentHashFollowsContentNotHistory) {
  add(product("A-1", 100), 1);
  add(product("B-1", 200), 1);
  const auto hash = cart.content_hash();
  Cart reordered = cart;
  std::swap(reordered.lines[0], reordered.lines[1]);
  EXPECT_EQ(reordered.content_hash(), hash);
  auto changed = change_quantity(cart, "item-1", 2, limits);
  EXPECT_NE(changed->cart.content_hash(), hash);
}

TEST_F(CartFixture, ContentHashIsFnv1aOfTheSortedLineListing) {
  // Other services key caches by this value: pin it (computed independently with Python).
  add(product("TV-1", 199900), 2);
  add(product("SRV-1", 19900, "service"), 1, LineType::service, "item-1");
  EXPECT_EQ(cart.content_hash(), "76580456b261dd39");
}

TEST_F(CartFixture, ViewRoundTripsEveryField) {
  add(product("FR-1", 250000, "fridge", {"large_appliance"}), 1);
  add(product("SRV-CARRY-IN", 9900, "service"), 1, LineType::service, "item-1");
  cart = apply_catalog(cart, product("FR-1", 240000, "fridge", {"large_appliance"}), 3).cart;
  auto stored = view_from_json(view_to_json(cart, 7));
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->revision, 7);
  EXPECT_EQ(stored->cart, cart);
  EXPECT_EQ(view_to_json(cart, 7).rfind("{\"revision\":7,", 0), 0U);
}

TEST_F(CartFixture, EventsCarryConsecutiveVersionsAndTheSession) {
  add(product("FR-1", 250000, "fridge"), 1);
  add(product("SRV-CARRY-IN", 9900, "service"), 1, LineType::service, "item-1");
  const auto before = cart.version;
  auto outcome = remove_line(cart, "item-1");
  auto events =
      events_for(*outcome, before, platform::TraceContext::generate(), platform::TimePoint{});
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].type, "CartItemRemoved");
  EXPECT_EQ(events[0].key, "session-1");
  EXPECT_NE(events[0].data.find("\"version\":3"), std::string::npos) << events[0].data;
  EXPECT_NE(events[1].data.find("\"version\":4"), std::string::npos);
  EXPECT_NE(events[0].id, events[1].id);
}

TEST_F(CartFixture, AnOrderForTheCurrentSessionEndsItAndEmptiesTheCart) {
  add(product("FR-1", 250000, "fridge"), 1);
  add(product("SRV-CARRY-IN", 9900, "service"), 1, LineType::service, "item-1");
  add(product("TV-1", 1000), 2);
  const auto ended = end_session(cart, "session-1");
  EXPECT_EQ(ended, (Cart{"user-1", "", 0, {}, 0, {}, {}, 0, 0}));
  EXPECT_EQ(ended.item_count(), 0);
  EXPECT_EQ(cart.lines.size(), 3U) << "pure: the given cart is untouched";

  // The next change opens a new session (the service gives it an id) from version 0 again.
  Cart reopened = ended;
  reopened.session_id = "session-2";
  auto added = add_line(reopened, AddLine{LineType::offer, "TV-1", 1, std::nullopt},
                        product("TV-1", 1000), limits, ids);
  ASSERT_TRUE(added);
  EXPECT_EQ(added->cart.version, 1);
  EXPECT_EQ(added->cart.lines.size(), 1U) << "nothing of the closed session is left";
}

TEST_F(CartFixture, AnEmptyCartWithAnOpenSessionStillEndsIt) {
  add(product("TV-1", 1000), 1);
  cart = remove_line(cart, "item-1")->cart;
  EXPECT_EQ(end_session(cart, "session-1"), (Cart{"user-1", "", 0, {}, 0, {}, {}, 0, 0}));
}

TEST_F(CartFixture, AnOrderOfAnotherOrOldSessionChangesNothing) {
  add(product("TV-1", 1000), 2);
  EXPECT_EQ(end_session(cart, "session-0"), cart) << "an old session";
  EXPECT_EQ(end_session(cart, ""), cart);
  const auto ended = end_session(cart, "session-1");
  EXPECT_EQ(end_session(ended, "session-1"), ended) << "a repeated OrderCreated";
  EXPECT_EQ(end_session(ended, ""), ended) << "no session open: nothing to end";
}

// Property: any sequence of operations keeps the invariants the view and counter rely on.
TEST_F(CartFixture, RandomOperationSequencesKeepInvariants) {
  std::mt19937 rng(12345);
  const std::vector<Product> catalog = {product("A-1", 199), product("B-2", 5000),
                                        product("C-3", 123456, "fridge"),
                                        product("S-1", 9900, "service")};
  for (int step = 0; step < 2000; ++step) {
    const auto before = cart;
    const int op = static_cast<int>(rng() % 4);
    platform::Result<Outcome> result = platform::make_error(platform::Errc::invalid, "skip");
    if (op == 0 || cart.lines.empty()) {
      const auto& p = catalog[rng() % catalog.size()];
      std::optional<std::string> parent;
      if (p.is_service() && !cart.lines.empty())
        parent = cart.lines[rng() % cart.lines.size()].item_id;
      result = add_line(cart,
                        {p.is_service() ? LineType::service : LineType::offer, p.sku,
                         static_cast<std::int64_t>(rng() % 5) + 1, parent},
                        p, limits, ids);
    } else if (op == 1) {
      result = remove_line(cart, cart.lines[rng() % cart.lines.size()].item_id);
    } else {
      result = change_quantity(cart, cart.lines[rng() % cart.lines.size()].item_id,
                               static_cast<std::int64_t>(rng() % 120), limits);
    }
    if (!result) {
      EXPECT_EQ(cart, before) << "a rejected operation changes nothing";
      continue;
    }
    cart = result->cart;
    EXPECT_EQ(cart.version, before.version + static_cast<std::int64_t>(result->changes.size()));
    std::int64_t count = 0;
    std::int64_t total = 0;
    for (const auto& line : cart.lines) {
      count += line.quantity;
      total += line.unit_price.amount * line.quantity;
      EXPECT_GE(line.quantity, limits.min_quantity);
      EXPECT_LE(line.quantity, limits.max_quantity);
      if (line.parent_item_id) {
        EXPECT_NE(cart.find(*line.parent_item_id), nullptr);
      }
    }
    EXPECT_EQ(cart.item_count(), count);
    EXPECT_EQ(cart.subtotal().amount, total);
  }
}

// The Services' verdicts (ServiceAvailabilityCalculated) on the cart's service lines.
struct VerdictFixture : CartFixture {
  const Product tv = product("TV-1", 329900);
  const Product carry_in = product("SRV-CARRY-IN", 9900, "service");
  std::int64_t services_version = 0;

  void SetUp() override {
    add(tv, 2);                                     // item-1
    add(carry_in, 1, LineType::service, "item-1");  // item-2
  }

  ServicesVerdict verdict(std::vector<ServiceVerdict> lines,
                          std::vector<ServiceRefusal> refusals = {}) {
    return ServicesVerdict{"session-1", ++services_version, cart.version, std::move(lines),
                           std::move(refusals)};
  }
  static ServiceVerdict allowed(std::string item_id, std::string sku, std::int64_t price,
                                std::int64_t quantity) {
    return {std::move(item_id), std::move(sku), true, platform::pln(price), quantity, {}};
  }
  static ServiceVerdict refused(std::string item_id, std::string sku, std::string code) {
    return {std::move(item_id),
            std::move(sku),
            false,
            platform::pln(0),
            0,
            Reason{std::move(code), "Usługa niedostępna."}};
  }
};

TEST_F(VerdictFixture, AServiceLineWaitsForItsVerdict) {
  EXPECT_EQ(cart.find("item-2")->validation, Validation::not_yet_validated);
  EXPECT_EQ(cart.find("item-1")->validation, Validation::validated);
}

TEST_F(VerdictFixture, AllowedLinesAreValidatedAtTheRulesPrice) {
  const auto before = cart.version;
  auto outcome =
      apply_services_verdict(cart, verdict({allowed("item-2", "SRV-CARRY-IN", 4900, 2)}));
  const auto* line = outcome.cart.find("item-2");
  EXPECT_EQ(line->validation, Validation::validated);
  EXPECT_EQ(line->unit_price, platform::pln(4900));
  EXPECT_EQ(line->quantity, 1) << "the verdict never raises a quantity";
  ASSERT_TRUE(line->price_change);
  EXPECT_EQ(line->price_change->old_unit_price, platform::pln(9900));
  ASSERT_EQ(outcome.changes.size(), 1U);
  EXPECT_EQ(outcome.changes[0].kind, ChangeKind::validated);
  EXPECT_EQ(outcome.changes[0].old_unit_price, platform::pln(9900));
  EXPECT_FALSE(outcome.changes[0].reason);
  EXPECT_EQ(outcome.cart.version, before + 1);
  EXPECT_EQ(outcome.cart.services_version, 1);

  auto events = events_for(outcome, before, platform::TraceContext::generate(), {});
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].type, "CartItemValidated");
  EXPECT_NE(events[0].data.find(R"("validation":"validated")"), std::string::npos);
}

TEST_F(VerdictFixture, AVerdictThatChangesNothingPublishesNothing) {
  cart = apply_services_verdict(cart, verdict({allowed("item-2", "SRV-CARRY-IN", 9900, 2)})).cart;
  auto again = apply_services_verdict(cart, verdict({allowed("item-2", "SRV-CARRY-IN", 9900, 2)}));
  EXPECT_TRUE(again.changes.empty());
  EXPECT_EQ(again.cart.lines, cart.lines);
  EXPECT_EQ(again.cart.services_version, 2);
}

TEST_F(VerdictFixture, TooManyAreCutWithTheReason) {
  cart = change_quantity(cart, "item-2", 2, limits)->cart;
  auto said = allowed("item-2", "SRV-CARRY-IN", 9900, 1);
  said.reason = Reason{"quantity_reduced", "Najwyżej 1."};
  auto outcome = apply_services_verdict(cart, verdict({said}));
  EXPECT_EQ(outcome.cart.find("item-2")->quantity, 1);
  ASSERT_EQ(outcome.changes.size(), 1U);
  EXPECT_EQ(outcome.changes[0].old_quantity, 2);
  EXPECT_EQ(outcome.changes[0].reason->code, "quantity_reduced");
}

TEST_F(VerdictFixture, RefusedLinesAreRemovedWithANotice) {
  const auto before = cart.version;
  auto outcome =
      apply_services_verdict(cart, verdict({refused("item-2", "SRV-CARRY-IN", "method_excluded")}));
  EXPECT_EQ(outcome.cart.find("item-2"), nullptr);
  ASSERT_EQ(outcome.cart.notices.size(), 1U);
  EXPECT_EQ(outcome.cart.notices[0].item_id, "item-2");
  EXPECT_EQ(outcome.cart.notices[0].reason.code, "method_excluded");
  ASSERT_EQ(outcome.changes.size(), 1U);
  EXPECT_EQ(outcome.changes[0].kind, ChangeKind::removed);
  auto events = events_for(outcome, before, platform::TraceContext::generate(), {});
  EXPECT_NE(events[0].data.find(R"("reason":{"code":"method_excluded")"), std::string::npos);
}

TEST_F(VerdictFixture, OldRepeatedOrForeignVerdictsChangeNothing) {
  auto first = verdict({allowed("item-2", "SRV-CARRY-IN", 4900, 1)});
  cart = apply_services_verdict(cart, first).cart;
  const auto held = cart;
  EXPECT_EQ(apply_services_verdict(cart, first).cart, held);
  auto older = first;
  older.lines = {refused("item-2", "SRV-CARRY-IN", "not_applicable")};
  EXPECT_EQ(apply_services_verdict(cart, older).cart, held) << "older than the last applied";
  auto foreign = verdict({refused("item-2", "SRV-CARRY-IN", "not_applicable")});
  foreign.session_id = "session-0";
  EXPECT_EQ(apply_services_verdict(cart, foreign).cart, held);
}

TEST_F(VerdictFixture, AVerdictOnAnOlderCartMovesNoLineButItsRefusalsCount) {
  auto stale = verdict({refused("item-2", "SRV-CARRY-IN", "not_applicable")},
                       {ServiceRefusal{"item-1", "SRV-ASSEMBLY", {"not_applicable", "Nie."}}});
  stale.cart_version -= 1;
  auto outcome = apply_services_verdict(cart, stale);
  EXPECT_TRUE(outcome.changes.empty());
  EXPECT_NE(outcome.cart.find("item-2"), nullptr);
  EXPECT_EQ(outcome.cart.service_refusals.size(), 1U);
}

TEST_F(VerdictFixture, AKnownRefusalRefusesTheAddWithItsReason) {
  const auto assembly = product("SRV-ASSEMBLY", 4900, "service");
  cart =
      apply_services_verdict(
          cart, verdict({}, {ServiceRefusal{
                                "item-1", assembly.sku, {"not_applicable", "Montaż nie dla TV."}}}))
          .cart;
  auto refused_add =
      add_line(cart, {LineType::service, assembly.sku, 1, "item-1"}, assembly, limits, ids);
  ASSERT_FALSE(refused_add);
  EXPECT_EQ(refused_add.error().code, platform::Errc::invalid);
  EXPECT_EQ(refused_add.error().reason, "not_applicable");
  EXPECT_EQ(refused_add.error().message, "Montaż nie dla TV.");
  // Another line is not refused.
  add(tv, 1, LineType::accessory, "item-1");
  EXPECT_TRUE(add_line(cart, {LineType::service, assembly.sku, 1, cart.lines.back().item_id},
                       assembly, limits, ids));
}

TEST_F(VerdictFixture, ReducingAParentCutsItsServices) {
  cart = change_quantity(cart, "item-2", 2, limits)->cart;
  auto outcome = change_quantity(cart, "item-1", 1, limits);
  ASSERT_TRUE(outcome);
  ASSERT_EQ(outcome->changes.size(), 2U);
  EXPECT_EQ(outcome->changes[0].line.item_id, "item-1");
  EXPECT_EQ(outcome->changes[1].line.item_id, "item-2");
  EXPECT_EQ(outcome->cart.find("item-2")->quantity, 1);
  EXPECT_EQ(outcome->cart.find("item-2")->validation, Validation::not_yet_validated);
}

TEST_F(VerdictFixture, AValidatedServiceKeepsTheRulesPriceThroughCatalogChanges) {
  cart = apply_services_verdict(cart, verdict({allowed("item-2", "SRV-CARRY-IN", 4900, 1)})).cart;
  auto repriced = carry_in;
  repriced.price = platform::pln(12900);
  auto outcome = apply_catalog(cart, repriced, 3);
  EXPECT_EQ(outcome.cart.find("item-2")->unit_price, platform::pln(4900));
  EXPECT_TRUE(outcome.changes.empty());
}

TEST_F(VerdictFixture, TheViewKeepsRefusalsAndNotices) {
  cart = apply_services_verdict(
             cart, verdict({refused("item-2", "SRV-CARRY-IN", "method_excluded")},
                           {ServiceRefusal{std::nullopt, "SRV-SMS", {"no_products", "Brak."}}}))
             .cart;
  auto stored = view_from_json(view_to_json(cart, 7));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->cart.service_refusals, cart.service_refusals);
  EXPECT_EQ(stored->cart.notices, cart.notices);
  EXPECT_EQ(stored->cart.services_version, cart.services_version);
}

TEST_F(VerdictFixture, AnEndedSessionForgetsTheServicesWord) {
  cart =
      apply_services_verdict(cart, verdict({refused("item-2", "SRV-CARRY-IN", "method_excluded")}))
          .cart;
  auto ended = end_session(cart, "session-1");
  EXPECT_TRUE(ended.notices.empty());
  EXPECT_EQ(ended.services_version, 0);
}

}  // namespace
}  // namespace cart

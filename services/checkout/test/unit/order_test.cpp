// The orders' saga rules (order.hpp) and finalize's catalog checks (finalize_checks.hpp): pure,
// no infrastructure.
#include "order.hpp"

#include <gtest/gtest.h>

#include "finalize_checks.hpp"

namespace checkout {
namespace {

using S = OrderStatus;
using F = PaymentFact;

OrderStep step(S status, F fact, std::string live = "tx-1", std::string about = "tx-1") {
  return on_payment({status, std::move(live)}, fact, about);
}

TEST(OrderSteps, ASuccessWhileUnpaidPaysTheOrderAndSellsTheHold) {
  for (auto status : {S::awaiting_payment, S::payment_failed}) {
    const auto s = step(status, F::succeeded);
    EXPECT_EQ(s.to, S::paid);
    EXPECT_TRUE(s.sell_stock);
    EXPECT_FALSE(s.adopt_attempt);
  }
  // An older attempt's money still pays the order, and its attempt becomes the order's.
  const auto old = step(S::payment_failed, F::succeeded, "tx-2", "tx-1");
  EXPECT_EQ(old.to, S::paid);
  EXPECT_TRUE(old.adopt_attempt);
}

TEST(OrderSteps, FinalStatusesNeverMove) {
  for (auto status : {S::paid, S::confirmed, S::cancelled}) {
    for (auto fact : {F::initialized, F::pending, F::failed, F::succeeded, F::refunded}) {
      const auto s = step(status, fact);
      EXPECT_FALSE(s.to) << to_string(status);
      EXPECT_FALSE(s.sell_stock);
      EXPECT_FALSE(s.adopt_attempt);
      EXPECT_FALSE(s.cause.empty());
    }
  }
  EXPECT_NE(step(S::cancelled, F::succeeded).cause.find("refunds"), std::string::npos);
}

TEST(OrderSteps, OnlyTheLiveAttemptsFailureCounts) {
  EXPECT_EQ(step(S::awaiting_payment, F::failed).to, S::payment_failed);
  // The first attempt failing after the retry began changes nothing.
  EXPECT_FALSE(step(S::awaiting_payment, F::failed, "tx-2", "tx-1").to);
  // Before the first PaymentInitialized any attempt is the live one.
  EXPECT_EQ(step(S::awaiting_payment, F::failed, "", "tx-1").to, S::payment_failed);
}

TEST(OrderSteps, ARetryAfterAFailureAwaitsItsPaymentAgain) {
  const auto s = step(S::payment_failed, F::initialized, "tx-1", "tx-2");
  EXPECT_EQ(s.to, S::awaiting_payment);
  EXPECT_TRUE(s.adopt_attempt);
  EXPECT_FALSE(step(S::paid, F::initialized, "tx-1", "tx-2").adopt_attempt);
}

TEST(OrderSteps, PendingAndRefundedOnlyWriteHistory) {
  EXPECT_FALSE(step(S::awaiting_payment, F::pending).to);
  EXPECT_FALSE(step(S::paid, F::refunded).to);
}

TEST(OrderSteps, TheHoldLapsesOnlyForUnpaidOrdersAtItsDeadline) {
  EXPECT_FALSE(hold_lapsed(S::awaiting_payment, 1000, 999));
  EXPECT_TRUE(hold_lapsed(S::awaiting_payment, 1000, 1000));
  EXPECT_TRUE(hold_lapsed(S::payment_failed, 1000, 5000));
  EXPECT_FALSE(hold_lapsed(S::paid, 1000, 5000));
  EXPECT_FALSE(hold_lapsed(S::confirmed, 1000, 5000));
}

TEST(OrderSteps, StatusNamesRoundTrip) {
  for (auto status :
       {S::awaiting_payment, S::payment_failed, S::paid, S::confirmed, S::cancelled}) {
    EXPECT_EQ(order_status_from(to_string(status)), status);
  }
  EXPECT_FALSE(order_status_from("shipped"));
  EXPECT_TRUE(is_final(S::cancelled));
  EXPECT_FALSE(is_final(S::payment_failed));
}

TEST(OrderNumbers, AreReadable) {
  EXPECT_EQ(order_number(2026, 123), "ZK-2026-000123");
  EXPECT_EQ(order_number(2026, 12345678), "ZK-2026-12345678");
}

contracts::CartLine line(std::string item, std::string sku, std::int64_t price,
                         std::int64_t quantity = 1, std::string type = "offer") {
  contracts::CartLine out;
  out.item_id = std::move(item);
  out.sku = std::move(sku);
  out.name = "Produkt " + out.sku;
  out.type = std::move(type);
  out.category = out.type == "service" ? "service" : "tv";
  out.unit_price = platform::pln(price);
  out.quantity = quantity;
  return out;
}

contracts::Product product(std::string sku, std::int64_t price) {
  contracts::Product out;
  out.sku = std::move(sku);
  out.price = platform::pln(price);
  out.stock = 5;
  return out;
}

TEST(CatalogChecks, NameEachChangedPriceWithOldAndNewAndEachProductGone) {
  contracts::CartCopy cart;
  cart.lines = {line("it-1", "TV-1", 329900), line("it-2", "ACC-1", 5999, 2, "accessory"),
                line("it-3", "GONE-1", 100)};
  Catalog catalog{{"TV-1", product("TV-1", 299900)}, {"ACC-1", product("ACC-1", 5999)}};
  const auto verdict = check_against_catalog(cart, catalog);
  ASSERT_EQ(verdict.changed.size(), 1U);
  EXPECT_EQ(verdict.changed[0], (ChangedPrice{"it-1", "TV-1", "Produkt TV-1", platform::pln(329900),
                                              platform::pln(299900)}));
  EXPECT_EQ(verdict.unavailable, std::vector<std::string>{"it-3"});
  EXPECT_FALSE(verdict.ok());

  catalog["TV-1"].price = platform::pln(329900);
  catalog.emplace("GONE-1", product("GONE-1", 100));
  EXPECT_TRUE(check_against_catalog(cart, catalog).ok());
}

TEST(CatalogChecks, StockCountsGoodsOncePerSkuAndNoServices) {
  contracts::CartCopy cart;
  cart.lines = {line("it-1", "TV-1", 1, 1), line("it-2", "ACC-1", 1, 2, "accessory"),
                line("it-3", "TV-1", 1, 2), line("it-4", "SRV-1", 1, 1, "service")};
  EXPECT_EQ(stock_items(cart), (std::vector<StockItem>{{"ACC-1", 2}, {"TV-1", 3}}));
  EXPECT_EQ(skus_of(cart), (std::vector<std::string>{"ACC-1", "SRV-1", "TV-1"}));
}

TEST(CatalogChecks, CashOnDeliveryOnlyWithAMethodThatTakesIt) {
  CheckoutView view;
  view.payment.method = PaymentChoice{"cash_on_delivery", std::nullopt, platform::pln(500)};
  view.shipping.method = DeliveryMethod{};
  view.shipping.method->cash_on_delivery_allowed = false;
  EXPECT_TRUE(cash_on_delivery_refused(view));
  view.shipping.method->cash_on_delivery_allowed = true;
  EXPECT_FALSE(cash_on_delivery_refused(view));
  view.shipping.method->cash_on_delivery_allowed = false;
  view.payment.method = PaymentChoice{"blik", "przelewy24", platform::pln(0)};
  EXPECT_FALSE(cash_on_delivery_refused(view));
}

}  // namespace
}  // namespace checkout

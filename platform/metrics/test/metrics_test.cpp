#include "platform/metrics.hpp"

#include <gtest/gtest.h>

using platform::metrics::CounterFamily;
using platform::metrics::Registry;

TEST(Metrics, RendersCountersWithLabels) {
  Registry registry;
  registry.counter("http_requests_total", "Requests", {{"route", "/cart"}, {"status", "200"}})
      .inc(3);
  const auto text = registry.render();
  EXPECT_NE(text.find("# TYPE http_requests_total counter"), std::string::npos);
  EXPECT_NE(text.find("http_requests_total{route=\"/cart\",status=\"200\"} 3"), std::string::npos);
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Registry registry;
  auto& h = registry.histogram("latency_seconds", "Latency", {}, {0.1, 1});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(5);
  const auto text = registry.render();
  EXPECT_NE(text.find("latency_seconds_bucket{le=\"0.10000000000000001\"} 1"), std::string::npos)
      << text;
  EXPECT_NE(text.find("latency_seconds_bucket{le=\"1\"} 2"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_bucket{le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_count 3"), std::string::npos);
}

TEST(Metrics, SameSeriesIsReturnedTwiceAndTypesMustAgree) {
  Registry registry;
  auto& a = registry.counter("c", "x", {{"k", "v"}});
  auto& b = registry.counter("c", "x", {{"k", "v"}});
  EXPECT_EQ(&a, &b);
  EXPECT_THROW(registry.gauge("c", "x"), std::logic_error);
}

TEST(Metrics, CallbackGaugesAreReadAtScrapeTime) {
  Registry registry;
  double backlog = 1;
  registry.gauge_callback("outbox_backlog", "Backlog", {}, [&] { return backlog; });
  backlog = 42;
  EXPECT_NE(registry.render().find("outbox_backlog 42"), std::string::npos);
}

TEST(Metrics, CounterFamilyResolvesEachValueOnceToTheRegistrysSeries) {
  Registry registry;
  CounterFamily ok("consumed_total", "Consumed", "topic", {{"result", "ok"}}, registry);
  auto& a = ok.at("cart-events");
  EXPECT_EQ(&a, &ok.at("cart-events"));
  EXPECT_NE(&a, &ok.at("catalog-events"));
  // The same series as a direct lookup with the label first, then the fixed ones.
  EXPECT_EQ(&a, &registry.counter("consumed_total", "Consumed",
                                  {{"topic", "cart-events"}, {"result", "ok"}}));
  a.inc(2);
  EXPECT_NE(registry.render().find("consumed_total{topic=\"cart-events\",result=\"ok\"} 2"),
            std::string::npos);
}

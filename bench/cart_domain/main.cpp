// The Cart's document work per request, on one core, against Boost.JSON's own parse and
// serialize of the same view measured in the same run (the library floor for this document):
//   read    view_from_json: the stored view into a Cart (every add, every enrichment)
//   write   view_to_json: a Cart into the stored view (every commit)
//   add     read + add_line + events_for + write: the document work of one POST /cart/items
// Prints ns per operation (median of 7 rounds) and the ratio to the baseline.
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "cart.hpp"
#include "contracts/test_product.hpp"
#include "events.hpp"
#include "view.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// Median nanoseconds per call of `work` over 7 rounds of ~100 ms.
double ns_per_op(const std::function<void()>& work) {
  std::size_t per_round = 1;
  for (;;) {  // size a round to about 100 ms
    const auto start = Clock::now();
    for (std::size_t i = 0; i < per_round; ++i) work();
    if (Clock::now() - start > std::chrono::milliseconds(100)) break;
    per_round *= 2;
  }
  std::vector<double> rounds;
  for (int r = 0; r < 7; ++r) {
    const auto start = Clock::now();
    for (std::size_t i = 0; i < per_round; ++i) work();
    const std::chrono::duration<double, std::nano> took = Clock::now() - start;
    rounds.push_back(took.count() / static_cast<double>(per_round));
  }
  std::sort(rounds.begin(), rounds.end());
  return rounds[rounds.size() / 2];
}

// A typical cart: six lines of catalog-like products, one with a service tied to it.
cart::Cart typical_cart() {
  const cart::Limits limits;
  cart::Cart cart;
  cart.user_id = "bench-user-12345";
  cart.session_id = "9e9fde41-fca8-488d-b6ec-8165fcf4c0ce";
  int next = 0;
  const cart::IdGenerator ids = [&next] {
    return "fe374e05-be4d-44ca-95f0-9a93d1" + std::to_string(100000 + ++next);
  };
  const char* skus[] = {"TV-LG-OLED55C3", "FR-SAM-RB38T600", "WM-BOS-WAN2426", "LP-LEN-T14G4",
                        "PH-OPP-RENO105G"};
  for (const char* sku : skus) {
    auto p = contracts::testing::test_product(sku, "tv", 199900, 12, {"large_appliance"});
    p.name = "Telewizor LG OLED55C32LA 55\" 4K, Smart TV, HDMI 2.1 — wersja " + std::string(sku);
    cart = add_line(cart, cart::AddLine{cart::LineType::offer, sku, 1, {}}, p, limits, ids)->cart;
  }
  auto service = contracts::testing::test_product("SRV-INSTALL-TV", "service", 19900, 1000);
  cart =
      add_line(cart, cart::AddLine{cart::LineType::service, service.sku, 1, cart.lines[0].item_id},
               service, limits, ids)
          ->cart;
  return cart;
}

}  // namespace

int main() {
  const auto cart = typical_cart();
  const auto view = cart::view_to_json(cart, 7);
  const auto dom = boost::json::parse(view);
  const auto product = contracts::testing::test_product("AC-HDMI-2M", "accessory", 4900, 50);
  const cart::Limits limits;
  const cart::IdGenerator ids = [] {
    return std::string("a5d1c3e2-7b1f-4c9a-8e2d-0f6b5a4c3d21");
  };
  const auto trace = platform::TraceContext::generate();
  std::size_t sink = 0;

  const double parse_floor =
      ns_per_op([&] { sink += boost::json::parse(view).as_object().size(); });
  const double serialize_floor = ns_per_op([&] { sink += boost::json::serialize(dom).size(); });
  const double read = ns_per_op([&] { sink += cart::view_from_json(view)->cart.lines.size(); });
  const double write = ns_per_op([&] { sink += cart::view_to_json(cart, 7).size(); });
  const double add = ns_per_op([&] {
    auto stored = cart::view_from_json(view);
    auto outcome =
        add_line(stored->cart, cart::AddLine{cart::LineType::accessory, product.sku, 1, {}},
                 product, limits, ids);
    auto events = cart::events_for(*outcome, stored->cart.version, trace, platform::TimePoint{});
    sink += events.size() + cart::view_to_json(outcome->cart, stored->revision + 1).size();
  });

  std::printf("cart view: %zu lines, %zu bytes (checksum %zu)\n", cart.lines.size(), view.size(),
              sink % 10);
  std::printf("%-44s %10s %8s\n", "operation", "ns/op", "ratio");
  std::printf("%-44s %10.0f %8s\n", "baseline: boost::json::parse(view)", parse_floor, "1.00");
  std::printf("%-44s %10.0f %8s\n", "baseline: boost::json::serialize(view DOM)", serialize_floor,
              "1.00");
  std::printf("%-44s %10.0f %8.2f (to parse)\n", "read: view_from_json", read, read / parse_floor);
  std::printf("%-44s %10.0f %8.2f (to serialize)\n", "write: view_to_json", write,
              write / serialize_floor);
  std::printf("%-44s %10.0f %8.2f (to parse + serialize)\n", "add: read, add_line, events, write",
              add, add / (parse_floor + serialize_floor));
  return 0;
}

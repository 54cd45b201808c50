#pragma once
// The Cart's typed configuration, read once at startup from the environment (README lists each).
#include <chrono>
#include <cstdint>
#include <string>

#include "cart.hpp"

namespace cart {

struct CartConfig {
  Limits limits;                         // CART_MIN_QUANTITY 1, CART_MAX_QUANTITY 99,
                                         // CART_MAX_LINES 100
  std::int64_t low_stock_threshold = 3;  // CART_LOW_STOCK_THRESHOLD: at or below is "low_stock"
  int commit_attempts = 16;              // CART_COMMIT_ATTEMPTS: compare-and-set retries
  // CART_TTL_DAYS (30, 0 = never): a cart untouched this long expires (view, counter, stream).
  std::chrono::seconds cart_ttl = std::chrono::hours(24 * 30);
  std::string outbox_stream = "outbox:cart";

  static CartConfig from_env();
};

}  // namespace cart

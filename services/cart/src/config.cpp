#include "config.hpp"

#include <stdexcept>

#include "platform/config.hpp"

namespace cart {

CartConfig CartConfig::from_env() {
  namespace env = platform::config;
  CartConfig config;
  config.limits.min_quantity = env::get_int("CART_MIN_QUANTITY", 1, 1, 1000);
  config.limits.max_quantity = env::get_int("CART_MAX_QUANTITY", 99, 1, 999);
  if (config.limits.max_quantity < config.limits.min_quantity) {
    throw std::invalid_argument("CART_MAX_QUANTITY must be >= CART_MIN_QUANTITY");
  }
  config.limits.max_lines = static_cast<std::size_t>(env::get_int("CART_MAX_LINES", 100, 1, 1000));
  config.low_stock_threshold = env::get_int("CART_LOW_STOCK_THRESHOLD", 3, 0, 1000000);
  config.commit_attempts = static_cast<int>(env::get_int("CART_COMMIT_ATTEMPTS", 16, 1, 1000));
  config.cart_ttl = std::chrono::hours(24 * env::get_int("CART_TTL_DAYS", 30, 0, 3650));
  return config;
}

}  // namespace cart

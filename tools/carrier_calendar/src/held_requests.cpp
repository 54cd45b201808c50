#include "held_requests.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

namespace carrier_sim {
namespace asio = boost::asio;

struct HeldRequests::Waiter {
  explicit Waiter(const asio::any_io_executor& executor) : timer(executor) {}
  asio::steady_timer timer;
};

HeldRequests::HeldRequests() = default;
HeldRequests::~HeldRequests() = default;

asio::awaitable<bool> HeldRequests::hold(std::chrono::milliseconds limit) {
  auto executor = co_await asio::this_coro::executor;
  auto waiter = std::make_shared<Waiter>(executor);
  waiter->timer.expires_after(limit);
  std::uint64_t id = 0;
  {
    const std::lock_guard lock(mutex_);
    if (closed_) co_return false;
    id = next_id_++;
    waiting_.emplace(id, waiter);
  }
  // The cancel of release_all() is posted to this same executor (the connection's strand), so it
  // cannot slip in before the wait has started.
  auto [ec] = co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  {
    const std::lock_guard lock(mutex_);
    waiting_.erase(id);
  }
  co_return !ec;
}

void HeldRequests::release_all() {
  std::vector<std::shared_ptr<Waiter>> waiters;
  {
    const std::lock_guard lock(mutex_);
    for (auto& [id, waiter] : waiting_) waiters.push_back(waiter);
    waiting_.clear();
  }
  for (auto& waiter : waiters) {
    asio::post(waiter->timer.get_executor(), [waiter] { waiter->timer.cancel(); });
  }
}

void HeldRequests::close() {
  {
    const std::lock_guard lock(mutex_);
    closed_ = true;
  }
  release_all();
}

std::size_t HeldRequests::size() const {
  const std::lock_guard lock(mutex_);
  return waiting_.size();
}

}  // namespace carrier_sim

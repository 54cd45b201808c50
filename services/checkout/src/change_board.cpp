#include "change_board.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace checkout {
namespace asio = boost::asio;

struct ChangeBoard::Waiter {
  explicit Waiter(const asio::any_io_executor& executor) : timer(executor) {}
  asio::steady_timer timer;
};

std::uint64_t ChangeBoard::seen(const std::string& session_id) const {
  const std::lock_guard lock(mutex_);
  const auto it = sessions_.find(session_id);
  return it == sessions_.end() ? 0 : it->second.changes;
}

void ChangeBoard::changed(const std::string& session_id) {
  std::vector<std::shared_ptr<Waiter>> wake;
  {
    const std::lock_guard lock(mutex_);
    auto& entry = sessions_[session_id];
    ++entry.changes;
    for (auto& weak : entry.waiters) {
      if (auto waiter = weak.lock()) wake.push_back(std::move(waiter));
    }
    entry.waiters.clear();
    // Sessions nobody waits on are forgotten now and then, so the map stays small.
    if (sessions_.size() > 10000) {
      std::erase_if(sessions_, [](const auto& item) { return item.second.waiters.empty(); });
    }
  }
  for (auto& waiter : wake) {
    asio::post(waiter->timer.get_executor(), [waiter] { waiter->timer.cancel(); });
  }
}

asio::awaitable<void> ChangeBoard::wait(std::string session_id, std::uint64_t after,
                                        std::chrono::milliseconds slice) {
  auto waiter = std::make_shared<Waiter>(co_await asio::this_coro::executor);
  waiter->timer.expires_after(slice);
  {
    const std::lock_guard lock(mutex_);
    auto& entry = sessions_[session_id];
    if (entry.changes > after) co_return;
    std::erase_if(entry.waiters, [](const auto& weak) { return weak.expired(); });
    entry.waiters.push_back(waiter);
  }
  // Cancelled by changed() (or the slice passed): either way the caller reads again.
  (void)co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace checkout

#pragma once
// Waits for an asynchronous effect by observing it: polls `condition` until it holds or the
// deadline passes (never a fixed sleep).
#include <chrono>
#include <thread>

namespace platform::testing {

template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(20),
                std::chrono::milliseconds interval = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(interval);
  }
  return condition();
}

}  // namespace platform::testing

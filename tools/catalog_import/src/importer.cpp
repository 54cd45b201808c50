#include "importer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "catalog_changes.hpp"

namespace catalog_import {
namespace {
namespace asio = boost::asio;

// Bounds one script's size and how long it holds Redis.
constexpr std::size_t kBatch = 100;
constexpr int kAttempts = 5;

}  // namespace

CatalogImporter::CatalogImporter(CatalogStore& store, const platform::Clock& clock)
    : store_(store), clock_(clock) {}

asio::awaitable<platform::Result<ImportSummary>> CatalogImporter::import(
    std::vector<contracts::Product> products) {
  const EventContext context{platform::format_rfc3339(clock_.now()),
                             platform::TraceContext::generate()};
  ImportSummary summary;
  for (std::size_t begin = 0; begin < products.size(); begin += kBatch) {
    std::vector<const contracts::Product*> pending;
    for (std::size_t i = begin; i < std::min(products.size(), begin + kBatch); ++i) {
      pending.push_back(&products[i]);
    }
    for (int attempt = 1; !pending.empty(); ++attempt) {
      if (attempt > kAttempts) {
        co_return platform::make_error(
            platform::Errc::conflict,
            "catalog:product:{" + pending.front()->sku + "} keeps changing during the import");
      }
      std::vector<std::string> skus;
      for (const auto* p : pending) skus.push_back(p->sku);
      PLATFORM_CO_TRY(auto stored, co_await store_.load(std::move(skus)));

      std::vector<ProductWrite> writes;
      std::vector<const contracts::Product*> written;
      std::vector<ChangeKind> kinds;
      for (std::size_t i = 0; i < pending.size(); ++i) {
        auto change = plan_change(*pending[i], stored[i], context);
        if (change.kind == ChangeKind::unchanged) {
          ++summary.unchanged;
          continue;
        }
        kinds.push_back(change.kind);
        written.push_back(pending[i]);
        writes.push_back({pending[i]->sku, std::move(stored[i]), std::move(change.json),
                          std::move(change.events)});
      }
      std::vector<std::size_t> event_counts;
      for (const auto& w : writes) event_counts.push_back(w.events.size());
      PLATFORM_CO_TRY(auto applied, co_await store_.write(std::move(writes)));

      pending.clear();
      for (std::size_t i = 0; i < applied.size(); ++i) {
        if (!applied[i]) {
          pending.push_back(written[i]);
          continue;
        }
        ++(kinds[i] == ChangeKind::added ? summary.added : summary.updated);
        summary.events += event_counts[i];
      }
    }
  }
  co_return summary;
}

asio::awaitable<platform::Status> CountingPublisher::publish(platform::CloudEvent event) {
  auto status = co_await inner_.publish(std::move(event));
  if (status) ++published_;
  co_return status;
}

asio::awaitable<platform::Status> wait_until_drained(CatalogStore& store,
                                                     std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (true) {
    // A failed XLEN (Redis blip) is retried until the deadline like a non-empty stream.
    auto length = co_await store.outbox_length();
    if (length && *length == 0) co_return platform::Status{};
    if (std::chrono::steady_clock::now() >= deadline) {
      co_return platform::make_error(
          platform::Errc::timeout,
          length ? std::to_string(*length) + " outbox entries still unpublished"
                 : "outbox length unknown: " + length.error().message);
    }
    timer.expires_after(std::chrono::milliseconds(100));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace catalog_import

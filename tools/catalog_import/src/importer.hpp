#pragma once
// The import use case: writes each new or changed product with its events (CatalogStore), then,
// separately, waits until the outbox relay has published the outbox stream.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <vector>

#include "catalog_store.hpp"
#include "contracts/catalog_product.hpp"
#include "platform/clock.hpp"
#include "platform/outbox/publisher.hpp"

namespace catalog_import {

struct ImportSummary {
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
  std::size_t events = 0;  // appended to the outbox by this import
};

class CatalogImporter {
 public:
  CatalogImporter(CatalogStore& store, const platform::Clock& clock);

  // Products are compared and written in batches; a product whose record changed between load
  // and write (a concurrent import) is compared again, a few times, before giving up (conflict).
  [[nodiscard]] boost::asio::awaitable<platform::Result<ImportSummary>> import(
      std::vector<contracts::Product> products);

 private:
  CatalogStore& store_;
  const platform::Clock& clock_;
};

// Forwards to the broker and counts what was published (the summary's "events published").
class CountingPublisher final : public platform::outbox::EventPublisher {
 public:
  explicit CountingPublisher(platform::outbox::EventPublisher& inner) : inner_(inner) {}
  boost::asio::awaitable<platform::Status> publish(platform::CloudEvent event) override;
  std::size_t published() const { return published_.load(); }

 private:
  platform::outbox::EventPublisher& inner_;
  std::atomic<std::size_t> published_{0};
};

// Polls the outbox length until it is 0 (ok) or `timeout` passes (Errc::timeout). The relay that
// empties it runs elsewhere.
[[nodiscard]] boost::asio::awaitable<platform::Status> wait_until_drained(
    CatalogStore& store, std::chrono::milliseconds timeout);

}  // namespace catalog_import

#pragma once
// The consumer's bookkeeping (src/consumer.cpp), pure so that its unit tests need no broker.
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace platform::kafka {

namespace detail {

// The lane of a message: by a hash of the key, or by partition when the key is empty.
std::size_t lane_of(std::string_view key, std::int32_t partition, std::size_t lanes);

// Offsets dispatched and not yet finished, per partition, and what may be committed: the lowest
// offset in flight, or the one after the highest dispatched when none is. reset() starts a new
// generation (on every assignment change); begin() and finish() of an older generation change
// nothing. Not thread-safe: the consumer holds a mutex around it.
class InFlightOffsets {
 public:
  using Partition = std::pair<std::string, std::int32_t>;  // topic, partition

  std::uint64_t generation() const { return generation_; }
  // Forgets every partition; returns the new generation.
  std::uint64_t reset();
  // Records a message handed to a lane; false (nothing recorded) for an older generation.
  bool begin(const Partition& partition, std::int64_t offset, std::uint64_t generation);
  // Records it handled (ok or dead-lettered).
  void finish(const Partition& partition, std::int64_t offset, std::uint64_t generation);
  // The offset to commit for each partition whose committable offset moved since the last call
  // (nothing before a partition's first finished message).
  std::vector<std::pair<Partition, std::int64_t>> take_commits();

 private:
  struct Progress {
    std::set<std::int64_t> in_flight;
    std::int64_t next = 0;       // highest dispatched + 1
    std::int64_t committed = 0;  // last returned by take_commits, or the first dispatched
  };
  std::map<Partition, Progress> partitions_;
  std::uint64_t generation_ = 0;
};

}  // namespace detail

}  // namespace platform::kafka

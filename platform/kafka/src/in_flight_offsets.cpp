#include "in_flight_offsets.hpp"

#include <algorithm>
#include <functional>

namespace platform::kafka {

namespace detail {

std::size_t lane_of(std::string_view key, std::int32_t partition, std::size_t lanes) {
  if (lanes <= 1) return 0;
  if (key.empty()) return static_cast<std::size_t>(partition) % lanes;
  return std::hash<std::string_view>{}(key) % lanes;
}

std::uint64_t InFlightOffsets::reset() {
  partitions_.clear();
  return ++generation_;
}

bool InFlightOffsets::begin(const Partition& partition, std::int64_t offset,
                            std::uint64_t generation) {
  if (generation != generation_) return false;
  auto [it, added] = partitions_.try_emplace(partition);
  auto& progress = it->second;
  if (added) {
    // Where this owner started: the group's committed offset, or what reading from it skipped.
    progress.committed = offset;
    progress.next = offset;
  }
  progress.in_flight.insert(offset);
  progress.next = std::max(progress.next, offset + 1);
  return true;
}

void InFlightOffsets::finish(const Partition& partition, std::int64_t offset,
                             std::uint64_t generation) {
  if (generation != generation_) return;
  if (auto it = partitions_.find(partition); it != partitions_.end()) {
    it->second.in_flight.erase(offset);
  }
}

std::vector<std::pair<InFlightOffsets::Partition, std::int64_t>> InFlightOffsets::take_commits() {
  std::vector<std::pair<Partition, std::int64_t>> out;
  for (auto& [partition, progress] : partitions_) {
    const auto committable =
        progress.in_flight.empty() ? progress.next : *progress.in_flight.begin();
    if (committable > progress.committed) {
      progress.committed = committable;
      out.emplace_back(partition, committable);
    }
  }
  return out;
}

}  // namespace detail

}  // namespace platform::kafka

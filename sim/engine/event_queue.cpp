#include "sim/engine/event_queue.hpp"

#include <bit>
#include <cassert>
#include <limits>

namespace sim::engine {

EventQueue::EventQueue() {
  for (auto& b : buckets_) b.reserve(16);
}

int EventQueue::bucket_of(std::uint64_t time, std::uint64_t last) {
  return 64 - std::countl_zero(time ^ last);
}

void EventQueue::push(const QueuedEvent& e) {
  assert(e.time >= last_);
  const int b = bucket_of(e.time, last_);
  buckets_[static_cast<std::size_t>(b)].push_back(e);
  if (b > 0) nonempty_ |= std::uint64_t{1} << (b - 1);
  ++size_;
}

std::uint64_t EventQueue::min_of(int b) const {
  std::uint64_t m = std::numeric_limits<std::uint64_t>::max();
  for (const QueuedEvent& e : buckets_[static_cast<std::size_t>(b)]) m = e.time < m ? e.time : m;
  return m;
}

std::uint64_t EventQueue::earliest_time() const {
  assert(!empty());
  if (head0_ < buckets_[0].size()) return last_;
  return min_of(std::countr_zero(nonempty_) + 1);
}

void EventQueue::refill(int b, std::uint64_t m) {
  auto& src = buckets_[static_cast<std::size_t>(b)];
  last_ = m;
  nonempty_ &= ~(std::uint64_t{1} << (b - 1));
  for (const QueuedEvent& e : src) {
    const int nb = bucket_of(e.time, m);
    buckets_[static_cast<std::size_t>(nb)].push_back(e);
    if (nb > 0) nonempty_ |= std::uint64_t{1} << (nb - 1);
  }
  src.clear();
}

bool EventQueue::pop_not_after(std::uint64_t limit, QueuedEvent& out) {
  auto& b0 = buckets_[0];
  if (head0_ == b0.size()) {
    if (size_ == 0) return false;
    b0.clear();
    head0_ = 0;
    const int b = std::countr_zero(nonempty_) + 1;
    const std::uint64_t m = min_of(b);
    if (m > limit) return false;
    refill(b, m);
  } else if (last_ > limit) {
    return false;
  }
  out = b0[head0_++];
  --size_;
  return true;
}

void EventQueue::clear() {
  for (auto& b : buckets_) b.clear();
  head0_ = 0;
  nonempty_ = 0;
  size_ = 0;
  last_ = 0;
}

} // namespace sim::engine

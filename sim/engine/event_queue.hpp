// The pending-event set: a monotone radix heap keyed by time, FIFO among equal times.
//
// Why a radix heap: a simulation never schedules before the current time, so keys only grow
// and a radix heap applies. Entries sit in 65 buckets by the highest bit in which their time
// differs from the last time taken out; taking out an entry touches memory sequentially, so the
// cost per event depends on the spread of pending times (about one move per bit), not on the
// number of pending events — 10^3 and 10^7 pending events cost about the same per event,
// where a binary heap's cache misses grow with log N.
//
// FIFO among equal times: entries with equal times always share a bucket, buckets keep
// insertion order when redistributed, and bucket 0 (entries equal to the last time) is
// consumed front to back, so equal times come out in insertion order.
//
// Cancellation is the caller's business (Simulation marks entries stale through a slot
// generation); the queue only stores and orders entries. No allocation once the buckets have
// grown to the working-set size (vectors are cleared, never shrunk).
#pragma once

#include "sim/engine/action.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sim::engine {

struct QueuedEvent {
  std::uint64_t time = 0;   ///< ns since the start of the run
  Action action;
  EventTag tag;
  std::uint32_t slot = 0;   ///< 0: not cancellable; else index into the cancellation slots
  std::uint32_t generation = 0;
};

class EventQueue {
public:
  EventQueue();

  /// Adds an entry. Precondition: e.time >= the time of the last entry taken out.
  void push(const QueuedEvent& e);

  /// Takes out the earliest entry (FIFO among equal times) if its time is <= limit.
  /// Returns false, changing nothing, when the queue is empty or the earliest is later.
  bool pop_not_after(std::uint64_t limit, QueuedEvent& out);

  /// Time of the earliest entry; the queue must not be empty. Does not change the queue.
  std::uint64_t earliest_time() const;

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  /// The time of the last entry taken out (0 before the first).
  std::uint64_t last_time() const { return last_; }

  /// Drops every entry (keeps capacity) and starts over at time 0.
  void clear();

private:
  static constexpr int bucket_count = 65;
  static int bucket_of(std::uint64_t time, std::uint64_t last);
  std::uint64_t min_of(int bucket) const;
  void refill(int bucket, std::uint64_t min_time);

  std::array<std::vector<QueuedEvent>, bucket_count> buckets_;
  std::size_t head0_ = 0;        // next entry to take from bucket 0
  std::uint64_t nonempty_ = 0;   // bit (i-1) set when bucket i (1..64) is non-empty
  std::uint64_t last_ = 0;
  std::size_t size_ = 0;
};

} // namespace sim::engine

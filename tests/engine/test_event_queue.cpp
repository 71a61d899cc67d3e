#include "sim/engine/event_queue.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

using sim::engine::EventQueue;
using sim::engine::QueuedEvent;

namespace {

QueuedEvent ev(std::uint64_t time, std::uint64_t id) {
  QueuedEvent e;
  e.time = time;
  e.action.arg = id;
  return e;
}

constexpr std::uint64_t no_limit = std::numeric_limits<std::uint64_t>::max();

} // namespace

TEST_CASE("the queue returns entries in time order", "[engine][queue]") {
  EventQueue q;
  for (std::uint64_t t : {50u, 10u, 40u, 20u, 30u}) q.push(ev(t, t));
  std::vector<std::uint64_t> out;
  QueuedEvent e;
  while (q.pop_not_after(no_limit, e)) out.push_back(e.time);
  CHECK(out == std::vector<std::uint64_t>{10, 20, 30, 40, 50});
  CHECK(q.empty());
}

TEST_CASE("equal times come out in insertion order, also across redistribution", "[engine][queue]") {
  EventQueue q;
  // Entries at time 1000 pushed before and after the queue has advanced to 500: they sit in
  // different buckets at first and must still come out in insertion order.
  q.push(ev(1000, 1));
  q.push(ev(500, 0));
  q.push(ev(1000, 2));
  QueuedEvent e;
  REQUIRE(q.pop_not_after(no_limit, e));
  CHECK(e.action.arg == 0);
  q.push(ev(1000, 3));
  q.push(ev(500, 4));  // equal to the current time: after everything already due at 500
  std::vector<std::uint64_t> ids;
  while (q.pop_not_after(no_limit, e)) ids.push_back(e.action.arg);
  CHECK(ids == std::vector<std::uint64_t>{4, 1, 2, 3});
}

TEST_CASE("pop_not_after leaves later entries in place", "[engine][queue]") {
  EventQueue q;
  q.push(ev(100, 1));
  q.push(ev(300, 2));
  QueuedEvent e;
  REQUIRE(q.pop_not_after(200, e));
  CHECK(e.time == 100);
  CHECK_FALSE(q.pop_not_after(200, e));
  CHECK(q.size() == 1);
  CHECK(q.earliest_time() == 300);
  q.push(ev(250, 3));  // still allowed: the queue has not moved past 100
  REQUIRE(q.pop_not_after(no_limit, e));
  CHECK(e.time == 250);
}

TEST_CASE("a random hold workload matches a stable sort by (time, insertion)", "[engine][queue]") {
  std::mt19937_64 rng(7);
  std::exponential_distribution<double> gap(1.0 / 1e6);
  EventQueue q;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> reference;  // (time, id) in pop order
  std::vector<std::pair<std::uint64_t, std::uint64_t>> pending;
  std::uint64_t id = 0, now = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t t = static_cast<std::uint64_t>(gap(rng)) / 1000 * 1000;  // many ties
    q.push(ev(t, id));
    pending.emplace_back(t, id++);
  }
  std::vector<std::pair<std::uint64_t, std::uint64_t>> popped;
  QueuedEvent e;
  for (int i = 0; i < 100000; ++i) {
    REQUIRE(q.pop_not_after(no_limit, e));
    popped.emplace_back(e.time, e.action.arg);
    now = e.time;
    const std::uint64_t t = now + static_cast<std::uint64_t>(gap(rng)) / 1000 * 1000;
    q.push(ev(t, id++));
  }
  // The popped sequence must be non-decreasing in time and FIFO (ids increasing) within a time.
  for (std::size_t i = 1; i < popped.size(); ++i) {
    REQUIRE(popped[i - 1].first <= popped[i].first);
    if (popped[i - 1].first == popped[i].first) REQUIRE(popped[i - 1].second < popped[i].second);
  }
  CHECK(q.size() == 1000);
}

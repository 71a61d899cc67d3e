// sim/runner/parallel.hpp (ordered_parallel) and sim/runner/progress.hpp (Progress): results are
// consumed in index order on the calling thread whatever the thread count and whichever item
// finishes first, at most `window` items run ahead of the consumer, the first exception stops the
// pool and is rethrown; the progress bar's text is exact and a disabled bar writes nothing.
#include "sim/runner/parallel.hpp"
#include "sim/runner/progress.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using sim::runner::ordered_parallel;
using sim::runner::Progress;
using namespace std::chrono_literals;

namespace {

std::vector<std::uint64_t> iota(std::uint64_t n) {
  std::vector<std::uint64_t> v(n);
  for (std::uint64_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

} // namespace

// -------------------------------------------------------------------------------------------
// ordered_parallel

TEST_CASE("ordered_parallel consumes in index order on the calling thread, later items finishing first") {
  const unsigned threads = GENERATE(1u, 2u, 4u);
  CAPTURE(threads);
  constexpr std::uint64_t n = 24;
  const auto caller = std::this_thread::get_id();
  std::mutex mu;
  std::vector<std::uint64_t> finished;  // the order in which work items returned
  std::vector<std::uint64_t> consumed;
  bool consumer_on_caller = true;
  ordered_parallel(
      n, threads, 8,
      [&](std::uint64_t i) {
        // Small indices take longest: with several threads, later items finish first.
        std::this_thread::sleep_for(std::chrono::milliseconds(2 * (n - i)));
        std::lock_guard lock(mu);
        finished.push_back(i);
        return i * i + 1;
      },
      [&](std::uint64_t i, std::uint64_t result) {
        consumer_on_caller = consumer_on_caller && std::this_thread::get_id() == caller;
        CHECK(result == i * i + 1);
        consumed.push_back(i);
      });
  CHECK(consumed == iota(n));
  CHECK(consumer_on_caller);
  REQUIRE(finished.size() == n);
  if (threads > 1) CHECK(finished != iota(n));  // the test did reorder the items
  else CHECK(finished == iota(n));
}

TEST_CASE("ordered_parallel keeps at most `window` items ahead of the consumer") {
  const unsigned threads = GENERATE(2u, 4u);
  const std::uint64_t window = GENERATE(4u, 8u);
  CAPTURE(threads, window);
  constexpr std::uint64_t n = 60;
  std::mutex mu;
  std::uint64_t started = 0, produced = 0, consumed = 0;
  std::uint64_t max_ahead = 0;    // started but not yet consumed (in flight or waiting)
  std::uint64_t max_waiting = 0;  // produced but not yet consumed (results held in memory)
  ordered_parallel(
      n, threads, window,
      [&](std::uint64_t i) {
        {
          std::lock_guard lock(mu);
          ++started;
          max_ahead = std::max(max_ahead, started - consumed);
        }
        // Fast work, slow consumer: without the window the workers would run far ahead.
        if (i % 7 == 0) std::this_thread::sleep_for(1ms);
        std::lock_guard lock(mu);
        ++produced;
        max_waiting = std::max(max_waiting, produced - consumed);
        return i;
      },
      [&](std::uint64_t i, std::uint64_t result) {
        CHECK(result == i);
        std::this_thread::sleep_for(1ms);
        std::lock_guard lock(mu);
        ++consumed;
      });
  CHECK(consumed == n);
  CHECK(max_waiting <= window);
  CHECK(max_ahead <= window);
  CHECK(max_ahead >= 2);  // the workers did run ahead
}

TEST_CASE("ordered_parallel raises a window smaller than the thread count to the thread count") {
  constexpr unsigned threads = 4;
  std::mutex mu;
  std::uint64_t started = 0, consumed = 0, max_ahead = 0;
  std::vector<std::uint64_t> order;
  ordered_parallel(
      40, threads, 1,
      [&](std::uint64_t i) {
        {
          std::lock_guard lock(mu);
          ++started;
          max_ahead = std::max(max_ahead, started - consumed);
        }
        std::this_thread::sleep_for(1ms);
        return i;
      },
      [&](std::uint64_t i, std::uint64_t) {
        order.push_back(i);
        std::lock_guard lock(mu);
        ++consumed;
      });
  CHECK(order == iota(40));
  CHECK(max_ahead <= threads);
}

TEST_CASE("an exception from work item k is rethrown and no item at k + window or beyond is started") {
  const unsigned threads = GENERATE(1u, 2u, 4u);
  CAPTURE(threads);
  constexpr std::uint64_t n = 200, k = 10, window = 4;
  std::mutex mu;
  std::uint64_t max_started = 0;
  std::vector<std::uint64_t> consumed;
  CHECK_THROWS_WITH(ordered_parallel(
                        n, threads, window,
                        [&](std::uint64_t i) -> std::uint64_t {
                          {
                            std::lock_guard lock(mu);
                            max_started = std::max(max_started, i);
                          }
                          if (i == k) {
                            // Let the other workers run into the window before failing.
                            if (threads > 1) std::this_thread::sleep_for(20ms);
                            throw std::runtime_error("item 10 failed");
                          }
                          return i;
                        },
                        [&](std::uint64_t i, std::uint64_t) { consumed.push_back(i); }),
                    "item 10 failed");
  if (threads == 1) CHECK(max_started == k);  // inline: nothing after the failing item
  else CHECK(max_started < k + window);
  CHECK(max_started >= k);
  // Whatever was consumed is a prefix of the items before k.
  CHECK(consumed.size() <= k);
  CHECK(consumed == iota(consumed.size()));
}

TEST_CASE("an exception from consume is rethrown and nothing is consumed after it") {
  const unsigned threads = GENERATE(1u, 2u, 4u);
  CAPTURE(threads);
  std::vector<std::uint64_t> consumed;
  std::atomic<std::uint64_t> max_started{0};
  CHECK_THROWS_WITH(ordered_parallel(
                        100, threads, 4,
                        [&](std::uint64_t i) {
                          std::uint64_t m = max_started.load();
                          while (i > m && !max_started.compare_exchange_weak(m, i)) {}
                          return i;
                        },
                        [&](std::uint64_t i, std::uint64_t) {
                          consumed.push_back(i);
                          if (i == 5) throw std::logic_error("consume 5");
                        }),
                    "consume 5");
  CHECK(consumed == iota(6));
  CHECK(max_started.load() < 5 + std::max<std::uint64_t>(4, threads) + 1);
}

TEST_CASE("ordered_parallel with n = 0 calls nothing and with n = 1 calls each once") {
  const unsigned threads = GENERATE(1u, 2u, 4u);
  CAPTURE(threads);
  std::atomic<int> works{0};
  int consumes = 0;
  ordered_parallel(
      0, threads, 8, [&](std::uint64_t) { return ++works; }, [&](std::uint64_t, int) { ++consumes; });
  CHECK(works == 0);
  CHECK(consumes == 0);

  std::vector<std::uint64_t> seen;
  ordered_parallel(
      1, threads, 8,
      [&](std::uint64_t i) {
        ++works;
        return i + 40;
      },
      [&](std::uint64_t i, std::uint64_t r) {
        seen.push_back(i);
        CHECK(r == 40);
      });
  CHECK(works == 1);
  CHECK(seen == std::vector<std::uint64_t>{0});
}

TEST_CASE("ordered_parallel moves move-only results to the consumer") {
  const unsigned threads = GENERATE(1u, 3u);
  std::vector<int> values;
  ordered_parallel(
      10, threads, 4, [](std::uint64_t i) { return std::make_unique<int>(static_cast<int>(i) * 3); },
      [&](std::uint64_t, std::unique_ptr<int> p) { values.push_back(*p); });
  CHECK(values == std::vector<int>{0, 3, 6, 9, 12, 15, 18, 21, 24, 27});
}

// -------------------------------------------------------------------------------------------
// Progress

TEST_CASE("Progress::render gives the bar, the count, the rate and the ETA") {
  CHECK(Progress::render(0, 10, 0, "replications", 10) == "[----------] 0/10 replications  0.0/s  ETA --");
  CHECK(Progress::render(5, 10, 10, "replications", 10) == "[#####-----] 5/10 replications  0.5/s  ETA 10s");
  CHECK(Progress::render(10, 10, 4, "replications", 10) == "[##########] 10/10 replications  2.5/s  ETA 0s");
  // The bar rounds down: 2 of 3 is 6.67 of 10 characters.
  CHECK(Progress::render(2, 3, 1, "runs", 10) == "[######----] 2/3 runs  2.0/s  ETA 1s");
  // Minutes and hours; beyond 99h59m59s the ETA is unknown.
  CHECK(Progress::render(1, 1000, 1, "replications") ==
        "[------------------------------] 1/1000 replications  1.0/s  ETA 16m39s");
  CHECK(Progress::render(1, 10000, 1, "replications", 4) == "[----] 1/10000 replications  1.0/s  ETA 2h46m");
  CHECK(Progress::render(1, 1000000, 1, "replications", 4) == "[----] 1/1000000 replications  1.0/s  ETA --");
  // Nothing to do is a full bar.
  CHECK(Progress::render(0, 0, 0, "replications", 4) == "[####] 0/0 replications  0.0/s  ETA --");
}

TEST_CASE("a disabled Progress writes nothing, an enabled one draws and clears its line") {
  {
    std::ostringstream out;
    {
      Progress p(out, 10, "replications", false);
      for (std::uint64_t i = 1; i <= 10; ++i) p.update(i);
      p.finish();
    }
    CHECK(out.str().empty());
  }
  {
    // Enabled but nothing to count: disabled too.
    std::ostringstream out;
    {
      Progress p(out, 0, "replications", true);
      p.update(0);
    }
    CHECK(out.str().empty());
  }
  {
    std::ostringstream out;
    {
      Progress p(out, 4, "replications", true);
      p.update(1);
      const std::string first = out.str();
      CHECK(first.rfind("\r[", 0) == 0);
      CHECK(first.find(" 1/4 replications ") != std::string::npos);
      CHECK(first.substr(first.size() - 3) == "\x1b[K");
      p.update(4);  // the last item is always drawn
      CHECK(out.str().find(" 4/4 replications ") != std::string::npos);
      p.finish();
      CHECK(out.str().substr(out.str().size() - 4) == "\r\x1b[K");
    }
    // finish() cleared the line already: the destructor adds nothing.
    CHECK(out.str().substr(out.str().size() - 4) == "\r\x1b[K");
    CHECK(out.str().find("\r\x1b[K\r\x1b[K") == std::string::npos);
  }
}

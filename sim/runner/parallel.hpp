// Ordered parallel map: work items run on a pool of threads, their results are consumed on the
// calling thread strictly in index order.
//
// ordered_parallel(n, threads, window, work, consume) calls work(i) for every i in [0, n) on
// `threads` worker threads (threads <= 1: inline, no thread is started) and consume(i, result)
// on the calling thread for i = 0, 1, 2, ... in order, as soon as result i is ready (a reorder
// buffer). Workers take the next index when they are free but never run more than `window`
// items ahead of the consumer, so at most `window` results wait in memory however large n is.
// work must not touch state shared with other items except through its own arguments; consume
// may. The first exception thrown by work or consume stops the workers (items in progress
// finish, no new one starts) and is rethrown from ordered_parallel on the calling thread.
// Results therefore never depend on the thread count or on which item finishes first.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace sim::runner {

template <class Work, class Consume>
void ordered_parallel(std::uint64_t n, unsigned threads, std::uint64_t window, Work work, Consume consume) {
  using Result = decltype(work(std::uint64_t{0}));
  if (threads <= 1 || n <= 1) {
    for (std::uint64_t i = 0; i < n; ++i) consume(i, work(i));
    return;
  }
  if (window < threads) window = threads;
  std::mutex mu;
  std::condition_variable ready_cv;  // the consumer waits for result `next_out`
  std::condition_variable room_cv;   // workers wait for room in the window
  std::map<std::uint64_t, Result> ready;
  std::uint64_t next_in = 0, next_out = 0;
  std::exception_ptr error;
  bool stop = false;

  auto worker = [&] {
    for (;;) {
      std::uint64_t i;
      {
        std::unique_lock lock(mu);
        room_cv.wait(lock, [&] { return stop || next_in >= n || next_in < next_out + window; });
        if (stop || next_in >= n) return;
        i = next_in++;
      }
      try {
        Result r = work(i);
        std::lock_guard lock(mu);
        ready.emplace(i, std::move(r));
      } catch (...) {
        std::lock_guard lock(mu);
        if (!error) error = std::current_exception();
        stop = true;
      }
      ready_cv.notify_one();
      room_cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);

  while (next_out < n) {
    std::optional<Result> r;
    {
      std::unique_lock lock(mu);
      ready_cv.wait(lock, [&] { return stop || ready.contains(next_out); });
      if (stop) break;
      auto it = ready.find(next_out);
      r.emplace(std::move(it->second));
      ready.erase(it);
    }
    try {
      consume(next_out, std::move(*r));
    } catch (...) {
      std::lock_guard lock(mu);
      if (!error) error = std::current_exception();
      stop = true;
    }
    {
      std::lock_guard lock(mu);
      ++next_out;
    }
    room_cv.notify_all();
    if (stop) break;
  }
  {
    std::lock_guard lock(mu);
    stop = true;
  }
  room_cv.notify_all();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

} // namespace sim::runner

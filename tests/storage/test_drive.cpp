// Drive: service times, FIFO classes, the background share, withdraw, extents and statistics.
// Every time asserted here is exact: constant latencies and transfer sizes chosen so that
// size x 1e9 / rate is a whole number of nanoseconds unless the rounding itself is under test.
#include "sim/storage/drive.hpp"

#include "sim/engine/task.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using namespace sim::base::size_literals;
using sim::base::Bytes;
using sim::base::Duration;
using sim::base::Rate;
using sim::base::Time;
using sim::engine::Action;
using sim::engine::Distribution;
using sim::engine::Simulation;
using sim::engine::spawn;
using sim::engine::Task;
using sim::storage::Drive;
using sim::storage::DriveModel;
using sim::storage::DriveStats;
using sim::storage::Extent;
using sim::storage::IoClass;
using sim::storage::IoKind;
using sim::storage::IoRequest;
using sim::storage::IoStatus;

namespace {

Time at(Duration d) { return Time{d}; }

DriveModel make_model(Rate bandwidth, Duration read_latency, Duration write_latency, Bytes capacity = 1_TiB) {
  DriveModel m;
  m.name = "test";
  m.capacity = capacity;
  m.bandwidth = bandwidth;
  m.read_latency = Distribution::constant(read_latency);
  m.write_latency = Distribution::constant(write_latency);
  return m;
}

DriveModel make_model(Rate bandwidth, Duration latency) { return make_model(bandwidth, latency, latency); }

IoRequest foreground(Bytes size, IoKind kind = IoKind::Read) {
  IoRequest r;
  r.kind = kind;
  r.io_class = IoClass::Foreground;
  r.size = size;
  return r;
}

IoRequest background(Bytes size, std::uint8_t priority = 0) {
  IoRequest r;
  r.kind = IoKind::Write;
  r.io_class = IoClass::Background;
  r.priority = priority;
  r.size = size;
  return r;
}

/// Records (request id, time) for every on_complete call.
struct Completions {
  Simulation* sim;
  std::vector<std::pair<std::uint64_t, Time>> seen;
  void note(std::uint64_t id) { seen.emplace_back(id, sim->now()); }
  Action action(std::uint64_t id) { return Action::member<Completions, &Completions::note>(this, id); }
};

/// A closed-loop submitter: one request outstanding, resubmitted from its own on_complete
/// (a client with zero think time, or a job keeping one chunk outstanding per drive).
struct ClosedLoop {
  Drive* drive;
  IoRequest req;
  std::uint64_t limit = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t completed = 0;
  std::vector<Time> times;

  ClosedLoop(Drive& d, IoRequest r, std::uint64_t max_requests = std::numeric_limits<std::uint64_t>::max())
      : drive(&d), req(r), limit(max_requests) {
    req.on_complete = Action::member<ClosedLoop, &ClosedLoop::done>(this);
  }
  ClosedLoop(const ClosedLoop&) = delete;
  ClosedLoop& operator=(const ClosedLoop&) = delete;

  void start() { drive->submit(req); }
  void done(std::uint64_t) {
    REQUIRE(req.status == IoStatus::Ok);
    ++completed;
    times.push_back(req.completed);
    if (completed < limit) drive->submit(req);
  }
};

/// Counts completions of requests it is attached to.
struct Counter {
  std::uint64_t n = 0;
  void done(std::uint64_t) { ++n; }
  Action action() { return Action::member<Counter, &Counter::done>(this); }
};

} // namespace

// -- service times ---------------------------------------------------------------------------

TEST_CASE("a foreground request takes latency + size / bandwidth, exactly", "[storage][drive]") {
  Simulation sim;
  const DriveModel model = make_model(Rate{100'000'000}, 2ms);  // 100 MB/s
  Drive drive(sim, "d0", model, 1);
  Completions log{&sim, {}};
  IoRequest r = foreground(1_MiB);
  r.on_complete = log.action(7);
  sim.run_until(at(3ms));
  drive.submit(r);
  CHECK(r.status == IoStatus::Pending);
  CHECK(drive.busy());
  sim.run();
  // 1 MiB at 100 MB/s = 1048576 x 1e9 / 1e8 ns = 10485760 ns.
  const Duration service = 2ms + Duration{10'485'760};
  CHECK(r.status == IoStatus::Ok);
  CHECK(r.submitted == at(3ms));
  CHECK(r.started == at(3ms));
  CHECK(r.completed == at(3ms + service));
  REQUIRE(log.seen.size() == 1);
  CHECK(log.seen[0] == std::pair{std::uint64_t{7}, at(3ms + service)});  // on_complete sees now() == completed
  CHECK_FALSE(drive.busy());
  CHECK(drive.queue_length() == 0);
}

TEST_CASE("reads and writes draw their latency from their own laws", "[storage][drive]") {
  Simulation sim;
  const DriveModel model = make_model(Rate::unlimited(), 3ms, 5ms);
  Drive drive(sim, "d0", model, 1);
  IoRequest w = foreground(4_KiB, IoKind::Write);
  IoRequest r = foreground(4_KiB, IoKind::Read);
  drive.submit(w);
  drive.submit(r);
  sim.run();
  CHECK(w.completed == at(5ms));
  CHECK(r.started == at(5ms));
  CHECK(r.completed == at(8ms));
}

TEST_CASE("requests of one class are served one at a time in FIFO order", "[storage][drive]") {
  Simulation sim;
  const DriveModel model = make_model(Rate{100'000'000}, 2ms);
  Drive drive(sim, "d0", model, 1);
  Completions log{&sim, {}};
  std::deque<IoRequest> reqs;
  for (std::uint64_t i = 0; i < 4; ++i) {
    reqs.push_back(foreground(1_MiB));
    reqs.back().on_complete = log.action(i);
    drive.submit(reqs.back());
  }
  CHECK(drive.queue_length() == 4);
  sim.run();
  const Duration s = 2ms + Duration{10'485'760};
  REQUIRE(log.seen.size() == 4);
  for (std::uint64_t i = 0; i < 4; ++i) {
    const auto k = static_cast<std::int64_t>(i);
    CHECK(log.seen[i] == std::pair{i, at(s * (k + 1))});
    CHECK(reqs[i].submitted == at(0ms));
    CHECK(reqs[i].started == at(s * k));
  }
}

TEST_CASE("with unlimited bandwidth a foreground request takes its latency only", "[storage][drive]") {
  Simulation sim;
  const DriveModel model = make_model(Rate::unlimited(), 2ms);
  Drive drive(sim, "d0", model, 1);
  IoRequest a = foreground(1_GiB);
  IoRequest b = foreground(0_B);
  drive.submit(a);
  drive.submit(b);
  sim.run();
  CHECK(a.completed == at(2ms));
  CHECK(b.completed == at(4ms));
}

TEST_CASE("a background chunk takes size / bandwidth only, without the latency", "[storage][drive]") {
  Simulation sim;
  const DriveModel model = make_model(Rate{100'000'000}, 2ms);
  Drive drive(sim, "d0", model, 1);
  IoRequest c1 = background(64_MiB, 3);
  IoRequest c2 = background(64_MiB, 3);
  drive.submit(c1);
  drive.submit(c2);
  sim.run();
  // 64 MiB at 100 MB/s = 67108864 x 10 ns.
  CHECK(c1.completed == at(Duration{671'088'640}));
  CHECK(c2.started == c1.completed);
  CHECK(c2.completed == at(Duration{1'342'177'280}));
}

TEST_CASE("back-to-back transfers carry the rounding remainder, so their total is ceil(bytes x 1e9 / rate)",
          "[storage][drive]") {
  Simulation sim;
  const DriveModel model = make_model(Rate{3}, 0ms);  // 3 B/s: one byte is 333333333.33 ns
  Drive drive(sim, "d0", model, 1);

  SECTION("queued together") {
    std::deque<IoRequest> reqs(3, background(1_B));
    for (IoRequest& r : reqs) drive.submit(r);
    sim.run();
    CHECK(reqs[0].completed == at(Duration{333'333'334}));
    CHECK(reqs[1].completed == at(Duration{666'666'667}));
    CHECK(reqs[2].completed == at(1s));  // ceil(3 x 1e9 / 3), not 3 x 333333334
  }

  SECTION("one chunk outstanding, the next submitted from on_complete (a background job)") {
    ClosedLoop job(drive, background(1_B), 3);
    job.start();
    sim.run();
    CHECK(job.times == std::vector<Time>{at(Duration{333'333'334}), at(Duration{666'666'667}), at(1s)});
  }

  SECTION("foreground transfers carry too") {
    std::deque<IoRequest> reqs(3, foreground(1_B));
    for (IoRequest& r : reqs) drive.submit(r);
    sim.run();
    CHECK(reqs[2].completed == at(1s));
  }

  SECTION("the carry restarts when the drive goes idle") {
    std::deque<IoRequest> reqs(2, background(1_B));
    for (IoRequest& r : reqs) drive.submit(r);
    sim.run();
    CHECK(reqs[1].completed == at(Duration{666'666'667}));  // a remainder of 1 left over
    sim.run_until(at(5s));
    IoRequest late = background(1_B);
    drive.submit(late);
    sim.run();
    // A fresh start pays the full rounding: 333333334 ns, not the 333333333 the carry would give.
    CHECK(late.completed == at(5s + Duration{333'333'334}));
  }
}

// -- background share ------------------------------------------------------------------------
//
// Both classes continuously backlogged, every service exactly 1 ms: foreground = 500 us latency
// + 500 B at 1 MB/s, background chunk = 1000 B at 1 MB/s. The background chunk is submitted
// first at t = 0, so it starts alone (no contention: counters not charged); from t = 1 ms on
// both classes always wait and every decision follows drive.cpp's rule with w = p + 1:
//   serve background iff served_bg x (16 - w) < served_fg x w     (ties to the foreground)
// Counting in ms, with f, b the services charged to each class since the contention began:
//   p = 15 (w = 16): b x 0 < 16 f  holds once f >= 1: one foreground service (the tie at
//                    f = b = 0), then background for ever.        N ms -> fg 1, bg N - 1
//   p = 7  (w = 8):  8 b < 8 f: strict alternation fg, bg, fg, ...  from t = 1 ms.
//                    N = 1600 -> services 2..1600: 800 fg, 799 bg; plus the first bg: 800 / 800
//   p = 0  (w = 1):  15 b < f: fg, bg, then (15 fg, 1 bg) repeated, i.e. the j-th contended
//                    service (j >= 1) is background iff j = 2 (mod 16). With N = 1600 services,
//                    j = 1..1599 holds floor((1599 - 2) / 16) + 1 = 100 background ones; plus
//                    the first: bg 101, fg 1499.
// In every case bg / N -> (p + 1) / 16.
TEST_CASE("when both classes wait, background gets (p + 1) / 16 of the service time, ties to foreground",
          "[storage][drive]") {
  const int p = GENERATE(0, 7, 15);
  const bool job_style = GENERATE(true, false);
  CAPTURE(p, job_style);
  Simulation sim;
  const DriveModel model = make_model(Rate{1'000'000}, 500us);
  Drive drive(sim, "d0", model, 1);
  constexpr std::int64_t n = 1600;  // services in the window [0, 1600 ms]

  // Background: either a job keeping one chunk outstanding (resubmitted from on_complete), or
  // a deep queue of chunks submitted at t = 0. Same counts either way.
  ClosedLoop job(drive, background(1000_B, static_cast<std::uint8_t>(p)));
  std::deque<IoRequest> backlog;
  Counter backlog_done;
  if (job_style) {
    job.start();
  } else {
    for (std::int64_t i = 0; i < n + 10; ++i) {
      backlog.push_back(background(1000_B, static_cast<std::uint8_t>(p)));
      backlog.back().on_complete = backlog_done.action();
      drive.submit(backlog.back());
    }
  }
  ClosedLoop client(drive, foreground(500_B));
  client.start();

  sim.run_until(at(std::chrono::milliseconds{n}));
  const std::uint64_t bg = job_style ? job.completed : backlog_done.n;
  const std::uint64_t fg = client.completed;
  CHECK(fg + bg == n);  // never idle, every service 1 ms
  const DriveStats st = drive.stats();
  CHECK(st.busy == std::chrono::milliseconds{n});
  CHECK(st.completed[0] == fg);
  CHECK(st.completed[1] == bg);
  switch (p) {
    case 0: CHECK(bg == 101); CHECK(fg == 1499); break;
    case 7: CHECK(bg == 800); CHECK(fg == 800); break;
    case 15: CHECK(bg == 1599); CHECK(fg == 1); break;
    default: FAIL("unexpected priority");
  }
}

TEST_CASE("alone, either class uses the whole drive", "[storage][drive]") {
  Simulation sim;
  const DriveModel model = make_model(Rate{1'000'000}, 500us);
  Drive drive(sim, "d0", model, 1);
  const bool fg_class = GENERATE(true, false);
  CAPTURE(fg_class);
  ClosedLoop loop(drive, fg_class ? foreground(500_B) : background(1000_B, 0));
  loop.start();
  sim.run_until(at(1000ms));
  CHECK(loop.completed == 1000);
  CHECK(drive.stats().utilization == 1.0);
}

// -- withdraw --------------------------------------------------------------------------------

TEST_CASE("withdraw takes a queued request out as Cancelled without calling on_complete, and refuses "
          "the request in service",
          "[storage][drive]") {
  Simulation sim;
  const DriveModel model = make_model(Rate::unlimited(), 10ms);
  Drive drive(sim, "d0", model, 1);
  Completions log{&sim, {}};
  IoRequest a = foreground(4_KiB);
  IoRequest b = foreground(4_KiB);
  IoRequest c = foreground(4_KiB);
  IoRequest d = background(4_KiB);
  IoRequest never_submitted = foreground(4_KiB);
  a.on_complete = log.action(0);
  b.on_complete = log.action(1);
  c.on_complete = log.action(2);
  d.on_complete = log.action(3);
  drive.submit(a);
  drive.submit(b);
  drive.submit(c);
  drive.submit(d);
  CHECK(drive.queue_length() == 4);
  sim.run_until(at(4ms));

  CHECK_FALSE(drive.withdraw(a));  // in service
  CHECK(a.status == IoStatus::Pending);
  CHECK(drive.withdraw(b));
  CHECK(b.status == IoStatus::Cancelled);
  CHECK(b.completed == at(4ms));
  CHECK_FALSE(drive.withdraw(b));  // no longer queued
  CHECK(drive.withdraw(d));        // the background class too
  CHECK(d.status == IoStatus::Cancelled);
  CHECK_FALSE(drive.withdraw(never_submitted));
  CHECK(drive.queue_length() == 2);

  sim.run();
  REQUIRE(log.seen.size() == 2);
  CHECK(log.seen[0] == std::pair{std::uint64_t{0}, at(10ms)});
  CHECK(log.seen[1] == std::pair{std::uint64_t{2}, at(20ms)});  // c moved up behind a
  CHECK(a.status == IoStatus::Ok);
  CHECK(c.status == IoStatus::Ok);
  const DriveStats st = drive.stats();
  CHECK(st.completed[0] == 2);
  CHECK(st.completed[1] == 0);
}

TEST_CASE("withdrawing the tail request keeps the queue usable", "[storage][drive]") {
  Simulation sim;
  const DriveModel model = make_model(Rate::unlimited(), 10ms);
  Drive drive(sim, "d0", model, 1);
  IoRequest a = foreground(4_KiB);
  IoRequest b = foreground(4_KiB);
  IoRequest c = foreground(4_KiB);
  drive.submit(a);
  drive.submit(b);
  CHECK(drive.withdraw(b));  // b was head and tail of the waiting list
  drive.submit(c);           // appended after the removed tail: must still be found
  sim.run();
  CHECK(a.completed == at(10ms));
  CHECK(c.completed == at(20ms));
  CHECK(b.status == IoStatus::Cancelled);
}

// -- extents ---------------------------------------------------------------------------------

TEST_CASE("extents are allocated first fit across holes, in several pieces, and freed by owner or from "
          "the tail",
          "[storage][drive]") {
  Simulation sim;
  const DriveModel model = make_model(Rate::unlimited(), 1ms, 1ms, 100_B);
  Drive drive(sim, "d0", model, 1);
  CHECK(drive.used_bytes() == 0_B);
  CHECK(drive.free_bytes() == 100_B);

  std::vector<Extent> pieces;
  REQUIRE(drive.allocate(30_B, 1, &pieces));  // [0, 30)
  REQUIRE(drive.allocate(20_B, 2));           // [30, 50)
  REQUIRE(drive.allocate(10_B, 3));           // [50, 60)
  REQUIRE(drive.allocate(20_B, 4));           // [60, 80)
  REQUIRE(drive.allocate(10_B, 7));           // [80, 90)
  REQUIRE(pieces.size() == 1);
  CHECK(pieces[0].offset == 0);
  CHECK(pieces[0].size == 30_B);
  CHECK(pieces[0].owner == 1);
  CHECK(drive.used_bytes() == 90_B);
  CHECK(drive.free_bytes() == 10_B);

  // Holes: [30, 50) and [60, 80) after freeing owners 2 and 4, plus [90, 100) at the end.
  CHECK(drive.free_owner(2) == 20_B);
  CHECK(drive.free_owner(4) == 20_B);
  CHECK(drive.free_owner(4) == 0_B);  // nothing left
  CHECK(drive.used_bytes() == 50_B);

  SECTION("a request larger than the free space allocates nothing") {
    const std::vector<Extent> before = drive.extents();
    std::vector<Extent> none;
    CHECK_FALSE(drive.allocate(51_B, 5, &none));
    CHECK(none.empty());
    CHECK(drive.extents().size() == before.size());
    CHECK(drive.used_bytes() == 50_B);
    CHECK(drive.free_bytes() == 50_B);
    CHECK(drive.owned_by(5) == 0_B);
  }

  SECTION("first fit fills the lowest holes first, in pieces, in offset order") {
    pieces.clear();
    REQUIRE(drive.allocate(45_B, 5, &pieces));
    REQUIRE(pieces.size() == 3);
    CHECK(pieces[0].offset == 30);
    CHECK(pieces[0].size == 20_B);
    CHECK(pieces[1].offset == 60);
    CHECK(pieces[1].size == 20_B);
    CHECK(pieces[2].offset == 90);
    CHECK(pieces[2].size == 5_B);
    CHECK(drive.owned_by(5) == 45_B);
    CHECK(drive.used_bytes() == 95_B);
    CHECK(drive.free_bytes() == 5_B);

    // extents() stays in offset order: 0:1, 30:5, 50:3, 60:5, 80:7, 90:5
    const std::vector<Extent>& e = drive.extents();
    REQUIRE(e.size() == 6);
    for (std::size_t i = 1; i < e.size(); ++i) CHECK(e[i - 1].offset + e[i - 1].size.value <= e[i].offset);
    CHECK(e[1].owner == 5);
    CHECK(e[2].owner == 3);

    // The remaining 5 bytes exactly fit; then the drive is full.
    REQUIRE(drive.allocate(5_B, 6));
    CHECK(drive.free_bytes() == 0_B);
    CHECK_FALSE(drive.allocate(1_B, 7));

    // free_tail takes the highest offsets first: 5 B at 90, then 20 B at 60, then 3 B of [30, 50).
    CHECK(drive.free_tail(5, 28_B) == 28_B);
    CHECK(drive.owned_by(5) == 17_B);
    CHECK(drive.used_bytes() == 72_B);
    bool found = false;
    for (const Extent& x : drive.extents()) {
      CHECK_FALSE((x.owner == 5 && x.offset >= 60));
      if (x.owner == 5) {
        found = true;
        CHECK(x.offset == 30);
        CHECK(x.size == 17_B);
      }
    }
    CHECK(found);
    // Asking for more than is owned frees what there is.
    CHECK(drive.free_tail(5, 100_B) == 17_B);
    CHECK(drive.owned_by(5) == 0_B);
    CHECK(drive.owned_by(1) == 30_B);
    CHECK(drive.owned_by(3) == 10_B);
    CHECK(drive.free_owner(1) == 30_B);
    CHECK(drive.used_bytes() == 25_B);  // owners 3 (10), 7 (10) and 6 (5)
    CHECK(drive.free_bytes() == 75_B);
  }
}

// -- statistics and the awaiter --------------------------------------------------------------

TEST_CASE("stats give busy time, utilization and the time-weighted mean queue length", "[storage][drive]") {
  Simulation sim;
  const DriveModel model = make_model(Rate::unlimited(), 10ms);
  Drive drive(sim, "d0", model, 1);
  IoRequest a = foreground(4_KiB);
  IoRequest b = foreground(8_KiB);
  drive.submit(a);
  drive.submit(b);

  sim.run_until(at(5ms));  // mid-service: 5 ms busy out of 5, two in the system all along
  DriveStats st = drive.stats();
  CHECK(st.busy == 5ms);
  CHECK(st.utilization == 1.0);
  CHECK(st.mean_queue_length == 2.0);

  sim.run_until(at(40ms));
  st = drive.stats();
  CHECK(st.busy == 20ms);
  CHECK(st.utilization == 0.5);
  CHECK(st.mean_queue_length == 0.75);  // (2 x 10 ms + 1 x 10 ms) / 40 ms
  CHECK(st.max_queue_length == 2);
  CHECK(st.completed[0] == 2);
  CHECK(st.completed[1] == 0);
  CHECK(st.bytes[0] == 12_KiB);

  drive.reset_stats();
  sim.run_until(at(50ms));
  st = drive.stats();
  CHECK(st.busy == 0ms);
  CHECK(st.utilization == 0.0);
  CHECK(st.mean_queue_length == 0.0);
  CHECK(st.completed[0] == 0);
}

namespace {

struct AwaitResult {
  IoRequest req;
  Time resumed{};
};

Task<> await_io(Simulation& sim, Drive& drive, AwaitResult& out) {
  co_await sim.delay(3ms);
  out.req = co_await drive.io(IoKind::Write, 1_MiB);  // copied: the awaiter is a temporary
  out.resumed = sim.now();
}

} // namespace

TEST_CASE("co_await drive.io(...) resumes at the completion time with status Ok", "[storage][drive]") {
  Simulation sim;
  const DriveModel model = make_model(Rate{100'000'000}, 1ms, 2ms);
  Drive drive(sim, "d0", model, 1);
  AwaitResult got;
  spawn(sim, await_io(sim, drive, got));
  sim.run();
  const Time done = at(3ms + 2ms + Duration{10'485'760});
  CHECK(got.resumed == done);
  CHECK(got.req.status == IoStatus::Ok);
  CHECK(got.req.kind == IoKind::Write);
  CHECK(got.req.submitted == at(3ms));
  CHECK(got.req.completed == done);
  CHECK(sim.live_processes() == 0);
}

namespace {

/// Random submissions, withdrawals, failures, replacements, outages, statistics resets and
/// replication resets on a few drives, each action at a time that often coincides with a
/// service end; after each, the totals must equal the sums over the drives.
/// `requests` must outlive the simulation's run: the drives complete them after the churn ends.
Task<> churn(Simulation& sim, std::deque<Drive>& drives, sim::storage::DriveTotals& totals,
             std::deque<IoRequest>& requests, std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  std::vector<std::size_t> drive_of;
  std::uint32_t replaced = 0, withdrawn = 0;
  bool all_joined = false;  // the last drive joins half-way
  auto check = [&] {
    std::int64_t busy = 0;
    std::uint64_t completed[2] = {0, 0}, bytes[2] = {0, 0}, queue = 0;
    std::uint32_t longest = 0;
    for (std::size_t k = 0; k < drives.size() - (all_joined ? 0 : 1); ++k) {
      const DriveStats s = drives[k].stats();
      busy += s.busy.count();
      for (std::size_t c : {0u, 1u}) {
        completed[c] += s.completed[c];
        bytes[c] += s.bytes[c].value;
      }
      queue += drives[k].queue_length();
      longest = std::max(longest, drives[k].queue_length());
    }
    REQUIRE(static_cast<std::int64_t>(totals.busy(sim.now())) == busy);
    REQUIRE(totals.completed(IoClass::Foreground) == completed[0]);
    REQUIRE(totals.completed(IoClass::Background) == completed[1]);
    REQUIRE(totals.bytes(IoClass::Foreground) == bytes[0]);
    REQUIRE(totals.bytes(IoClass::Background) == bytes[1]);
    REQUIRE(totals.queue_sum() == queue);
    REQUIRE(totals.queue_max() == longest);
  };
  for (int step = 0; step < 3000; ++step) {
    co_await sim.delay(Duration{500'000 * static_cast<std::int64_t>(pick(4))});  // 0 to 1.5 ms
    if (step == 1500) {
      drives.back().join(totals);  // with requests queued and served already
      all_joined = true;
    }
    const std::size_t k = pick(drives.size());
    Drive& d = drives[k];
    const std::size_t action = pick(100);
    if (action < 60) {
      for (std::size_t n = 1 + pick(3); n > 0; --n) {
        requests.push_back(pick(3) == 0 ? background(64_KiB, static_cast<std::uint8_t>(pick(16)))
                                        : foreground(4_KiB, pick(2) == 0 ? IoKind::Read : IoKind::Write));
        drive_of.push_back(k);
        d.submit(requests.back());
      }
    } else if (action < 75 && !requests.empty()) {
      const std::size_t r = requests.size() - 1 - pick(std::min<std::size_t>(requests.size(), 8));  // recent: queued
      if (drives[drive_of[r]].withdraw(requests[r])) ++withdrawn;
    } else if (action < 80) {
      d.fail();
    } else if (action < 88) {
      if (d.state() == sim::storage::DriveState::Failed) d.replace(d.name() + "#" + std::to_string(++replaced));
    } else if (action < 93) {
      if (d.state() == sim::storage::DriveState::Offline) d.come_online();
      else d.go_offline();
    } else if (action < 97) {
      d.reset_stats();
    } else if (action < 99) {
      d.reset(d.name());
    }
    check();
  }
  CHECK(withdrawn > 0);
}

} // namespace

TEST_CASE("DriveTotals are the sums of the drives' statistics and queue lengths, at every instant",
          "[storage][drive]") {
  const std::uint32_t seed = GENERATE(1u, 2u, 3u);
  Simulation sim(seed);
  const DriveModel exact = make_model(Rate::unlimited(), 1ms);  // services end on the churn's times
  DriveModel random = make_model(Rate{100'000'000}, 1ms);
  random.read_latency = Distribution::exponential(700us);
  sim::storage::DriveTotals totals;
  std::deque<Drive> drives;
  for (std::uint32_t k = 0; k < 5; ++k) {
    drives.emplace_back(sim, "d" + std::to_string(k), k % 2 == 0 ? exact : random, k + 1);
    if (k + 1 < 5) drives.back().join(totals);
  }
  std::deque<IoRequest> requests;
  spawn(sim, churn(sim, drives, totals, requests, seed));
  sim.run();
  CHECK(totals.queue_sum() == 0);
  CHECK(totals.queue_max() == 0);
}

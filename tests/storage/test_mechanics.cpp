// Position-aware drives (mechanics.hpp): a hard disk's seek curve, rotation, zones and
// sequential streaming, and a flash drive's write buffer. The datasheet figures here are the
// hdd-7200 preset's (sim/scenario/presets.cpp): 7,200 rpm (8.333 ms a turn), 16 zones from
// 285 MB/s outer to 135 MB/s inner, seeks 0.23 ms track to track, 8.0 ms average, 17.1 ms full
// stroke, writes 0.6 ms longer.
#include "sim/storage/drive.hpp"
#include "sim/storage/mechanics.hpp"

#include "sim/engine/task.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

using namespace std::chrono_literals;
using namespace sim::base::size_literals;
using sim::base::Bytes;
using sim::base::Duration;
using sim::base::Rate;
using sim::base::Time;
using sim::engine::Distribution;
using sim::engine::Simulation;
using sim::engine::Task;
using sim::storage::DiskMechanics;
using sim::storage::DiskMechanicsSpec;
using sim::storage::Drive;
using sim::storage::DriveModel;
using sim::storage::IoKind;

namespace {

constexpr std::uint64_t capacity = 24'000'000'000'000ULL;

DiskMechanicsSpec nearline() {
  DiskMechanicsSpec s;
  s.capacity = Bytes{capacity};
  s.rpm = 7200;
  s.zones = 16;
  s.outer = Rate{285'000'000};
  s.inner = Rate{135'000'000};
  s.average_seek = 8ms;
  s.track_to_track = 230us;
  s.full_stroke = 17100us;
  s.write_settle = 600us;
  return s;
}

DriveModel disk_model() {
  auto [m, why] = DiskMechanics::make(nearline());
  REQUIRE(m);
  DriveModel d;
  d.name = "hdd";
  d.capacity = Bytes{capacity};
  d.read_latency = d.write_latency = Distribution::constant(Duration::zero());
  d.mechanics = std::make_shared<const DiskMechanics>(std::move(*m));
  return d;
}

/// A 1 TB flash drive without latency whose writes go through a 100 MB buffer drained at
/// 100 MB/s; reads at `bandwidth`.
DriveModel flash_model(Rate bandwidth) {
  DriveModel model;
  model.name = "ssd";
  model.capacity = 1_TB;
  model.bandwidth = bandwidth;
  model.write_buffer = sim::storage::WriteBuffer{Bytes{100'000'000}, Rate{100'000'000}};
  model.read_latency = model.write_latency = Distribution::constant(Duration::zero());
  return model;
}

/// `n` requests of `size` at QD1, one after the other; offsets from `offset_of(k)`. Returns the
/// time the last completes.
Task<> serial(Simulation& sim, Drive& d, IoKind kind, Bytes size, std::uint64_t n, std::uint64_t (*offset_of)(std::uint64_t, sim::engine::RandomStream&),
              Time* end) {
  sim::engine::RandomStream rng(7);
  for (std::uint64_t k = 0; k < n; ++k) (void)co_await d.io_at(kind, size, offset_of(k, rng));
  *end = sim.now();
}

double seconds(Time t) { return static_cast<double>(t.time_since_epoch().count()) * 1e-9; }

} // namespace

TEST_CASE("the seek curve passes through track-to-track, full stroke and, on average over random offsets, the "
          "average seek", "[storage][mechanics]") {
  auto [m, why] = DiskMechanics::make(nearline());
  REQUIRE(m);
  CHECK(m->seek(0, false) == Duration::zero());
  CHECK(m->seek(1, false) == 17100us);
  CHECK(m->seek(1, true) == 17700us);
  CHECK(m->seek(1e-18, false) == 230us);  // the shortest move: a track-to-track seek
  // Calibrated by quadrature: the mean is the average given, to the nanosecond's rounding.
  CHECK(std::llabs(m->mean_seek().count() - 8'000'000) <= 1);
  // Rising everywhere.
  Duration last{};
  for (int i = 1; i <= 1000; ++i) {
    const Duration t = m->seek(i / 1000.0, false);
    CHECK(t >= last);
    last = t;
  }
  CHECK(m->rotation() == Duration(8'333'333));  // 60 s / 7200, to the ns
  // Zones: 285 MB/s outermost, 135 MB/s innermost, equal bytes.
  CHECK(m->zone_rate(0).bytes_per_second == 285'000'000);
  CHECK(m->zone_rate(15).bytes_per_second == 135'000'000);
  CHECK(m->zone(0) == 0);
  CHECK(m->zone(capacity - 1) == 15);
  CHECK(m->radius(0) == 0.0);
  CHECK(m->radius(capacity) == Approx(1.0));
  // The outer zone is radially thinner than the inner one (it holds more per track).
  CHECK(m->radius(m->zone_bytes()) < 1.0 / 16);
}

TEST_CASE("datasheet figures that no rising seek curve can have are refused, naming the range", "[storage][mechanics]") {
  DiskMechanicsSpec s = nearline();
  s.average_seek = 15ms;
  auto [m, why] = DiskMechanics::make(s);
  CHECK(!m);
  CHECK(why.starts_with("average_seek 15.000 ms cannot be the mean of a rising seek curve from track_to_track 0.230 ms "
                        "to full_stroke 17.100 ms on this drive: it must lie from "));
  s = nearline();
  s.full_stroke = 100us;
  CHECK(DiskMechanics::make(s).second == "full_stroke (0.100 ms) must be longer than track_to_track (0.230 ms)");
  s = nearline();
  s.curve = {{0.5, 5ms}, {0.4, 6ms}};
  CHECK(DiskMechanics::make(s).second == "the seek curve's distances must increase within (0, 1]");
  s.curve = {{0.1, 5ms}, {0.4, 4ms}};
  CHECK(DiskMechanics::make(s).second == "the seek curve must not fall (a longer seek cannot be faster)");
  s = nearline();
  s.zones = 0;
  CHECK(DiskMechanics::make(s).second == "zones must be from 1 to 1024");
  s = nearline();
  s.capacity = Bytes{10};
  CHECK(DiskMechanics::make(s).second == "the capacity must hold at least one byte per zone");
  s = nearline();
  s.curve = {{1.0, Duration::zero()}};  // all zero, and an average to scale it to
  CHECK(DiskMechanics::make(s).second == "a seek curve of zero times cannot be scaled to an average");
  s.curve.assign(1025, {1.0, 1ms});
  CHECK(DiskMechanics::make(s).second == "the seek curve has more than 1024 points");
}

TEST_CASE("a seek curve given as points is linear between them and scaled to the average given",
          "[storage][mechanics]") {
  DiskMechanicsSpec s = nearline();
  s.full_stroke.reset();
  s.track_to_track = Duration::zero();
  s.average_seek.reset();
  s.curve = {{0.5, 10ms}, {1.0, 20ms}};
  auto [m, why] = DiskMechanics::make(s);
  REQUIRE(m);
  CHECK(m->seek(0.25, false) == 5ms);
  CHECK(m->seek(0.75, false) == 15ms);
  s.average_seek = 4ms;
  auto [scaled, why2] = DiskMechanics::make(s);
  REQUIRE(scaled);
  CHECK(std::llabs(scaled->mean_seek().count() - 4'000'000) <= 2);
  CHECK(static_cast<double>(scaled->seek(0.5, false).count()) ==
        Approx(static_cast<double>(m->seek(0.5, false).count()) * 4e6 / static_cast<double>(m->mean_seek().count())).margin(1));
}

TEST_CASE("sequential 1 MiB reads stream at the media rate of the zone they read, within 5 %", "[storage][mechanics]") {
  // After the first request (which seeks and waits), each next one starts where the previous
  // ended: transfer only. 200 MiB in the outermost zone, then 200 MiB in the innermost.
  for (const std::uint64_t start : {std::uint64_t{0}, capacity - (std::uint64_t{256} << 20)}) {
    Simulation sim;
    const DriveModel model = disk_model();
    Drive d(sim, "d0", model, 1);
    static std::uint64_t base;
    base = start;
    Time end{};
    sim::engine::spawn(sim, serial(sim, d, IoKind::Read, 1_MiB, 200,
                                   [](std::uint64_t k, sim::engine::RandomStream&) -> std::uint64_t { return base + (k << 20); }, &end));
    sim.run();
    const double rate = 200.0 * (1 << 20) / seconds(end);
    const double zone_rate = static_cast<double>(model.mechanics->zone_rate(model.mechanics->zone(start)).bytes_per_second);
    INFO("start " << start << ": " << rate / 1e6 << " MB/s against the zone's " << zone_rate / 1e6);
    // The first request's positioning (at most a full stroke and a turn, 26 ms) is the only
    // difference: 200 MiB take 0.74 s outer, 1.55 s inner.
    CHECK(rate == Approx(zone_rate).epsilon(0.05));
    CHECK(rate <= zone_rate);
  }
}

TEST_CASE("random 4 KiB reads at queue depth 1 over uniform offsets give 1 / (average seek + half a rotation + "
          "transfer) IOPS, within 5 %", "[storage][mechanics]") {
  // Expected service: 8.0 ms + 4.1667 ms + 4096 B at the mean zone rate (~0.02 ms) = 12.19 ms:
  // 82.0 IOPS. n = 20,000: a request's time has a standard deviation of about 4.5 ms (seek
  // about 3.7 ms, rotational wait 8.33 / sqrt(12) = 2.4 ms), so the mean of 20,000 has a
  // standard error of 0.032 ms, 0.26 % of the mean: 5 % is 19 standard errors.
  Simulation sim;
  const DriveModel model = disk_model();
  Drive d(sim, "d0", model, 1);
  Time end{};
  constexpr std::uint64_t n = 20000;
  sim::engine::spawn(sim, serial(sim, d, IoKind::Read, 4_KiB, n,
                                 [](std::uint64_t, sim::engine::RandomStream& rng) {
                                   return rng.below(capacity / 4096) * 4096;
                                 },
                                 &end));
  sim.run();
  const double iops = static_cast<double>(n) / seconds(end);
  double transfer = 0;  // the mean over zones of 4096 B at the zone's rate
  for (std::uint32_t z = 0; z < model.mechanics->zones(); ++z)
    transfer += 4096.0 / static_cast<double>(model.mechanics->zone_rate(z).bytes_per_second) / model.mechanics->zones();
  const double expected = 1.0 / (8.0e-3 + 0.5 * 60.0 / 7200 + transfer);
  INFO(iops << " IOPS against " << expected);
  CHECK(iops == Approx(expected).epsilon(0.05));
}

TEST_CASE("a flash write buffer: writes at the burst rate while they fit, at the sustained rate beyond, and it "
          "drains at the sustained rate", "[storage][mechanics]") {
  DriveModel model = flash_model(Rate{2'000'000'000});
  model.write_bandwidth = Rate{1'000'000'000};
  Simulation sim;
  Drive d(sim, "d0", model, 1);
  Time end{};
  // One 300 MB write from empty: 100 MB at 1 GB/s (0.1 s), 200 MB at 100 MB/s (2 s).
  sim::engine::spawn(sim, serial(sim, d, IoKind::Write, Bytes{300'000'000}, 1,
                                 [](std::uint64_t, sim::engine::RandomStream&) { return std::uint64_t{0}; }, &end));
  sim.run();
  CHECK(end == Time{2100ms});
  // The buffer filled during that write and the rest went through it at the rate it drains: it
  // is full at 2.1 s. So the next 100 MB go at 100 MB/s: 1 s. A read goes at the read bandwidth,
  // 2 GB/s.
  Time end2{};
  sim::engine::spawn(sim, serial(sim, d, IoKind::Write, Bytes{100'000'000}, 1,
                                 [](std::uint64_t, sim::engine::RandomStream&) { return std::uint64_t{0}; }, &end2));
  sim.run();
  CHECK(end2 == Time{3100ms});
  Time end3{};
  sim::engine::spawn(sim, serial(sim, d, IoKind::Read, Bytes{200'000'000}, 1,
                                 [](std::uint64_t, sim::engine::RandomStream&) { return std::uint64_t{0}; }, &end3));
  sim.run();
  CHECK(end3 == Time{3200ms});
  // Then 150 MB: the buffer, full at 3.1 s, drained 0.1 s x 100 MB/s = 10 MB: 10 MB fit
  // (0.01 s), 140 MB go at 100 MB/s (1.4 s).
  Time end4{};
  sim::engine::spawn(sim, serial(sim, d, IoKind::Write, Bytes{150'000'000}, 1,
                                 [](std::uint64_t, sim::engine::RandomStream&) { return std::uint64_t{0}; }, &end4));
  sim.run();
  CHECK(end4 == Time{4610ms});
}

TEST_CASE("back-to-back writes through a flash write buffer settle at the sustained rate", "[storage][mechanics]") {
  // Buffer 100 MB, 1 GB/s into it, 100 MB/s sustained; 20 writes of 50 MB at queue depth 1:
  // the 1st fits (0.05 s; 50 MB buffered), the 2nd too (45 + 50 = 95 MB after 5 MB drained),
  // the 3rd fills it (90 MB after draining: 10 MB fit in 0.01 s, 40 MB at 100 MB/s in 0.4 s),
  // and each of the other 17 takes 50 MB / 100 MB/s = 0.5 s: the last ends at 0.51 + 8.5 s.
  const DriveModel model = flash_model(Rate{1'000'000'000});
  Simulation sim;
  Drive d(sim, "d0", model, 1);
  Time end{};
  sim::engine::spawn(sim, serial(sim, d, IoKind::Write, Bytes{50'000'000}, 20,
                                 [](std::uint64_t k, sim::engine::RandomStream&) -> std::uint64_t { return k * 50'000'000; },
                                 &end));
  sim.run();
  CHECK(end == Time{9010ms});
}

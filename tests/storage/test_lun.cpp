#include "sim/storage/lun.hpp"

#include <catch2/catch.hpp>

#include <deque>
#include <memory>

using namespace std::chrono_literals;
using sim::base::Bytes;
using sim::base::Time;
using sim::engine::Simulation;
using sim::engine::Task;
using namespace sim::storage;

namespace {

constexpr Bytes KiB{1024};

struct Fixture {
  Simulation sim{3};
  DriveModel model;
  std::deque<Drive> drives;
  std::unique_ptr<Lun> lun;

  Fixture(RaidLevel level, std::uint32_t n, Bytes size) {
    model.capacity = Bytes{1ULL << 40};
    model.bandwidth = sim::base::Rate::unlimited();
    model.read_latency = sim::engine::Distribution::constant(2ms);
    model.write_latency = sim::engine::Distribution::constant(3ms);
    std::vector<Drive*> members;
    for (std::uint32_t i = 0; i < n; ++i) {
      drives.emplace_back(sim, "d" + std::to_string(i), model, i + 1);
      members.push_back(&drives.back());
    }
    const auto g = plan(level, size, n);
    REQUIRE(g);
    std::vector<Bytes> bytes(n, g->member_extent);
    for (auto* d : members) REQUIRE(d->allocate(g->member_extent, 1));
    lun = std::make_unique<Lun>(1, "lun", *g, members, bytes, std::vector<std::uint64_t>(n, 0));
  }

  std::uint64_t completed_on_drives() const {
    std::uint64_t n = 0;
    for (const Drive& d : drives) n += d.stats().completed[0];
    return n;
  }
};

Task<> one_io(Lun& lun, IoKind kind, std::uint64_t offset, Bytes size, LunIoResult& out, Time& when, Simulation& sim) {
  out = co_await lun.io(kind, offset, size);
  when = sim.now();
}

Task<> write_stream(Simulation& sim, Lun& lun, int count, Bytes size) {
  auto rng = sim.stream("writer");
  const std::uint64_t units = lun.size().value / size.value;
  for (int i = 0; i < count; ++i) (void)co_await lun.io(IoKind::Write, rng.below(units) * size.value, size);
}

} // namespace

TEST_CASE("a small write on RAID-5 costs 2 reads and 2 writes: read phase, then write phase", "[storage][lun]") {
  Fixture f(RaidLevel::Raid5, 4, Bytes{30 * 64 * KiB.value});
  LunIoResult r;
  Time when{};
  sim::engine::spawn(f.sim, one_io(*f.lun, IoKind::Write, 4 * KiB.value, 4 * KiB, r, when, f.sim));
  f.sim.run();
  CHECK(r.status == IoStatus::Ok);
  CHECK(r.member_reads == 2);
  CHECK(r.member_writes == 2);
  CHECK(when == Time{2ms + 3ms});  // reads in parallel (2 ms), then writes in parallel (3 ms)
}

TEST_CASE("a small-write stream on RAID-5 puts 4 drive operations per write on the members", "[storage][lun]") {
  Fixture f(RaidLevel::Raid5, 5, Bytes{400 * 64 * KiB.value});
  sim::engine::spawn(f.sim, write_stream(f.sim, *f.lun, 1000, 4 * KiB));
  f.sim.run();
  CHECK(f.lun->member_reads() == 2000);
  CHECK(f.lun->member_writes() == 2000);
  CHECK(f.completed_on_drives() == 4000);
}

TEST_CASE("a small write on RAID-6 costs 3 reads and 3 writes", "[storage][lun]") {
  Fixture f(RaidLevel::Raid6, 6, Bytes{40 * 64 * KiB.value});
  sim::engine::spawn(f.sim, write_stream(f.sim, *f.lun, 100, 4 * KiB));
  f.sim.run();
  CHECK(f.lun->member_reads() == 300);
  CHECK(f.lun->member_writes() == 300);
}

TEST_CASE("a full-stripe write on RAID-5 writes data and parity without reading", "[storage][lun]") {
  Fixture f(RaidLevel::Raid5, 4, Bytes{30 * 64 * KiB.value});
  LunIoResult r;
  Time when{};
  sim::engine::spawn(f.sim, one_io(*f.lun, IoKind::Write, 3 * 64 * KiB.value, 3 * 64 * KiB, r, when, f.sim));
  f.sim.run();
  CHECK(r.member_reads == 0);
  CHECK(r.member_writes == 4);
  CHECK(when == Time{3ms});
}

TEST_CASE("mirrors write every copy and read one", "[storage][lun]") {
  Fixture f(RaidLevel::Mirror, 3, Bytes{1 << 20});
  LunIoResult w, r;
  Time tw{}, tr{};
  sim::engine::spawn(f.sim, one_io(*f.lun, IoKind::Write, 0, 4 * KiB, w, tw, f.sim));
  f.sim.run();
  sim::engine::spawn(f.sim, one_io(*f.lun, IoKind::Read, 0, 4 * KiB, r, tr, f.sim));
  f.sim.run();
  CHECK(w.member_writes == 3);
  CHECK(w.member_reads == 0);
  CHECK(r.member_reads == 1);
  CHECK(r.member_writes == 0);
}

TEST_CASE("a read spanning two stripe units reads both members in parallel", "[storage][lun]") {
  Fixture f(RaidLevel::Stripe, 4, Bytes{16 * 64 * KiB.value});
  LunIoResult r;
  Time when{};
  sim::engine::spawn(f.sim, one_io(*f.lun, IoKind::Read, 60 * KiB.value, 8 * KiB, r, when, f.sim));
  f.sim.run();
  CHECK(r.member_reads == 2);
  CHECK(when == Time{2ms});
  CHECK(f.drives[0].stats().completed[0] == 1);
  CHECK(f.drives[1].stats().completed[0] == 1);
}

TEST_CASE("I/O beyond the end of the LUN is refused", "[storage][lun]") {
  Fixture f(RaidLevel::Stripe, 2, Bytes{2 * 64 * KiB.value});
  LunIoResult r;
  Time when{};
  sim::engine::Process p =
      sim::engine::spawn(f.sim, one_io(*f.lun, IoKind::Read, 2 * 64 * KiB.value - 1, Bytes{2}, r, when, f.sim));
  CHECK_THROWS_AS(f.sim.run(), std::out_of_range);
  CHECK(p.failed());
}

// Degraded mode (lun.hpp): member 1 of a 4-member RAID-5 is down. Unit u of stripe 0 lives on
// member (parity + 1 + k) mod 4 with parity of stripe 0 on member 3: unit 1 is on member 1.
TEST_CASE("a degraded RAID-5 reads a unit on the missing member from every survivor of the stripe") {
  Fixture f(RaidLevel::Raid5, 4, Bytes{3 * 64 * 1024 * 16});
  REQUIRE(locate_unit(f.lun->geometry(), 1).member == 1);
  f.lun->set_member_down(1, true);
  CHECK(f.lun->members_down() == 1);
  LunIoResult r;
  Time when{};
  sim::engine::spawn(f.sim, one_io(*f.lun, IoKind::Read, 64 * 1024, 4 * KiB, r, when, f.sim));
  f.sim.run();
  CHECK(r.status == IoStatus::Ok);
  CHECK(r.member_reads == 3);  // members 0, 2 and 3 (data + parity): reconstruction
  CHECK(f.drives[1].stats().completed[0] == 0);
  CHECK(when == Time{2ms});    // in parallel
  SECTION("a unit on a surviving member is read from it alone") {
    LunIoResult r2;
    sim::engine::spawn(f.sim, one_io(*f.lun, IoKind::Read, 0, 4 * KiB, r2, when, f.sim));
    f.sim.run();
    CHECK(r2.member_reads == 1);
  }
  SECTION("writes to the missing member are dropped; parity still gets them") {
    LunIoResult w;
    sim::engine::spawn(f.sim, one_io(*f.lun, IoKind::Write, 64 * 1024, 4 * KiB, w, when, f.sim));
    f.sim.run();
    // RMW: old data (on the down member: reconstructed from 3 survivors) + old parity; then the
    // parity write only (the data write to member 1 is dropped).
    CHECK(w.member_writes == 1);
    CHECK(f.drives[1].stats().completed[0] == 0);
  }
  SECTION("back up: normal mapping again") {
    f.lun->set_member_down(1, false);
    LunIoResult r3;
    sim::engine::spawn(f.sim, one_io(*f.lun, IoKind::Read, 64 * 1024, 4 * KiB, r3, when, f.sim));
    f.sim.run();
    CHECK(r3.member_reads == 1);
    CHECK(f.drives[1].stats().completed[0] == 1);
  }
}

TEST_CASE("a degraded mirror and RAID-10 read the surviving copy, a lost LUN fails host I/O at once") {
  Fixture m(RaidLevel::Mirror, 2, Bytes{1 << 20});
  m.lun->set_member_down(0, true);
  LunIoResult r;
  Time when{};
  sim::engine::spawn(m.sim, one_io(*m.lun, IoKind::Read, 0, 4 * KiB, r, when, m.sim));
  m.sim.run();
  CHECK(r.member_reads == 1);
  CHECK(m.drives[1].stats().completed[0] == 1);
  CHECK(m.drives[0].stats().completed[0] == 0);

  Fixture t(RaidLevel::Raid10, 4, Bytes{1 << 20});
  t.lun->set_member_down(2, true);  // pair (2, 3): unit 1 is primary on member 2
  REQUIRE(locate_unit(t.lun->geometry(), 1).member == 2);
  sim::engine::spawn(t.sim, one_io(*t.lun, IoKind::Read, 64 * 1024, 4 * KiB, r, when, t.sim));
  t.sim.run();
  CHECK(t.drives[3].stats().completed[0] == 1);
  CHECK(t.drives[2].stats().completed[0] == 0);

  t.lun->set_lost(true);
  LunIoResult lost;
  sim::engine::spawn(t.sim, one_io(*t.lun, IoKind::Read, 0, 4 * KiB, lost, when, t.sim));
  const Time before = t.sim.now();
  t.sim.run();
  CHECK(lost.status == IoStatus::DeviceFailed);
  CHECK(lost.member_reads == 0);
  CHECK(when == before);
}

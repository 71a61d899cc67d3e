// Shared builder for storage::Array tests: one Simulation, one DriveModel, one Array with N
// drives named "d0".."dN-1" (enclosure 0), and a RecordingEvents listener that logs every
// ArrayEvents callback as "<seconds> <what> <names>", so a test can compare exact sequences.
//
// Defaults make every rebuild time exact: drives of 1 GiB at 100 MiB/s, 64 MiB chunks, so a
// chunk takes exactly 0.64 s to read or write. Override fields with designated initialisers:
//
//   ArrayFixture f{{.drives = 8}};
//   Lun& lun = f.make_lun(RaidLevel::Raid5, {0, 1, 2, 3}, 768_MiB);
//   f.fail_at(1s, 1);
//   f.sim.run();
//   CHECK(f.events.matching("rebuild_ended") == std::vector<std::string>{...});
#pragma once

#include "sim/base/size.hpp"
#include "sim/base/time.hpp"
#include "sim/engine/distribution.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/storage/array.hpp"

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sim::testing {

inline const char* to_string(storage::RecoveryResult r) {
  switch (r) {
    case storage::RecoveryResult::Healthy: return "healthy";
    case storage::RecoveryResult::Lost: return "lost";
    case storage::RecoveryResult::NoTarget: return "no_target";
  }
  return "unknown";
}

/// ArrayEvents test double: one line per callback, drives by their name at the time of the
/// call ("1.000000000 spare_taken d5 for d1"). `unreachable` holds the enclosures that
/// enclosure_reachable() reports out.
class RecordingEvents final : public storage::ArrayEvents {
public:
  RecordingEvents(const engine::Simulation& sim, const storage::Array& array) : sim_(&sim), array_(&array) {}

  std::vector<std::string> log;
  std::set<std::int16_t> unreachable;

  /// The lines whose event word (after the time) is `what`, in order.
  std::vector<std::string> matching(std::string_view what) const {
    std::vector<std::string> out;
    for (const std::string& line : log) {
      const std::size_t word = line.find(' ') + 1, end = word + what.size();
      if (line.compare(word, what.size(), what) == 0 && (line.size() == end || line[end] == ' ')) out.push_back(line);
    }
    return out;
  }
  /// The whole log, one line each (for INFO).
  std::string text() const {
    std::string out;
    for (const std::string& line : log) out += line + "\n";
    return out;
  }
  /// The LUN's condition changes ("<seconds> <condition>"), from Healthy at its creation:
  /// repeated reports of the same condition are not changes.
  std::vector<std::string> condition_changes(const std::string& lun) const {
    std::vector<std::string> out;
    std::string last = "healthy";
    const std::string prefix = "condition " + lun + " ";
    for (const std::string& line : log) {
      const std::size_t word = line.find(' ') + 1;
      if (line.compare(word, prefix.size(), prefix) != 0) continue;
      const std::string c = line.substr(word + prefix.size());
      if (c != last) out.push_back(line.substr(0, word) + c);
      last = c;
    }
    return out;
  }

  void drive_failed(std::uint32_t slot) override { add("drive_failed " + name(slot)); }
  void drive_offline(std::uint32_t slot) override { add("drive_offline " + name(slot)); }
  void drive_online(std::uint32_t slot) override { add("drive_online " + name(slot)); }
  void spare_added(std::uint32_t slot) override { add("spare_added " + name(slot)); }
  void spare_taken(std::uint32_t slot, std::uint32_t failed) override {
    add("spare_taken " + name(slot) + " for " + name(failed));
  }
  void drive_leaving(std::uint32_t slot) override { add("drive_leaving " + name(slot)); }
  void drive_replaced(std::uint32_t slot, const std::string& predecessor) override {
    add("drive_replaced " + name(slot) + " was " + predecessor);
  }
  void rebuild_started(storage::Lun& lun, std::uint32_t member, storage::Drive& target) override {
    add("rebuild_started " + lun.name() + " member " + std::to_string(member) + " on " + target.name());
  }
  void rebuild_ended(storage::Lun& lun, std::uint32_t member, storage::Drive& target) override {
    add("rebuild_ended " + lun.name() + " member " + std::to_string(member) + " on " + target.name());
  }
  void condition(storage::Lun& lun, storage::LunCondition c) override {
    add("condition " + lun.name() + " " + storage::to_string(c));
  }
  void sectors_lost(storage::Lun& lun, std::uint64_t sectors) override {
    add("sectors_lost " + lun.name() + " " + std::to_string(sectors));
  }
  void restored(storage::Lun& lun) override { add("restored " + lun.name()); }
  void recovery_finished(storage::Lun& lun, storage::RecoveryResult r) override {
    add("recovery_finished " + lun.name() + " " + to_string(r));
  }
  bool enclosure_reachable(std::int16_t enclosure) const override { return unreachable.count(enclosure) == 0; }

private:
  std::string name(std::uint32_t slot) const { return array_->drive(slot).name(); }
  void add(const std::string& what) { log.push_back(base::format_seconds(sim_->now()) + " " + what); }
  const engine::Simulation* sim_;
  const storage::Array* array_;
};

/// Parameters of an ArrayFixture (an aggregate: use designated initialisers).
struct ArraySetup {
  std::size_t drives = 6;                 ///< "d0".."dN-1" in enclosure 0; 0: add them yourself
  base::Bytes capacity{1ULL << 30};       ///< 1 GiB per drive
  base::Rate bandwidth{100ULL << 20};     ///< 100 MiB/s
  base::Bytes chunk_size{64ULL << 20};    ///< 64 MiB: 0.64 s per chunk at 100 MiB/s
  std::uint64_t seed = 0;
  std::uint64_t replication = 0;
};

struct ArrayFixture {
  explicit ArrayFixture(ArraySetup s = {})
      : setup(s), sim(setup.seed, setup.replication), model(make_model(setup)), array(sim, "a", setup.chunk_size),
        events(sim, array) {
    array.set_events(&events);
    for (std::size_t i = 0; i < setup.drives; ++i) add_drive("d" + std::to_string(i), 0);
  }
  ArrayFixture(const ArrayFixture&) = delete;
  ArrayFixture& operator=(const ArrayFixture&) = delete;

  ArraySetup setup;
  engine::Simulation sim;
  storage::DriveModel model;
  storage::Array array;
  RecordingEvents events;

  /// Adds a drive of the fixture's model as the next slot; marks the Simulation (so reset()
  /// keeps the drives' entity numbers).
  storage::Drive& add_drive(std::string name, std::int16_t enclosure) {
    storage::Drive& d = array.add_drive(std::move(name), model, enclosure);
    sim.mark();
    return d;
  }
  storage::Drive& drive(std::uint32_t slot) { return array.drive(slot); }

  /// A LUN of `level` and `size` (storage::plan) on the drives of `slots` in member order, every
  /// member holding the geometry's extent; ids 1, 2, ... and names "lun1", "lun2", ...
  storage::Lun& make_lun(storage::RaidLevel level, std::initializer_list<std::uint32_t> slots, base::Bytes size,
                         std::uint8_t rebuild_priority = 0) {
    const auto g = storage::plan(level, size, static_cast<std::uint32_t>(slots.size()));
    if (!g) throw std::invalid_argument("ArrayFixture::make_lun: no geometry");
    std::vector<storage::Drive*> members;
    for (const std::uint32_t s : slots) members.push_back(&array.drive(s));
    const std::uint32_t id = ++luns_made_;
    return array.create_lun(id, "lun" + std::to_string(id), *g, std::move(members),
                            std::vector<base::Bytes>(slots.size(), g->member_extent), storage::default_stripe_unit,
                            rebuild_priority);
  }

  /// Runs every event up to `t` (inclusive), then fails the drive of `slot` at `t`.
  void fail_at(base::Duration t, std::uint32_t slot) {
    run_until(t);
    array.fail_drive(slot);
  }
  /// Runs every event up to `t` (inclusive), then takes the drive offline (or back) at `t`.
  void offline_at(base::Duration t, std::uint32_t slot, bool offline) {
    run_until(t);
    array.set_drive_offline(slot, offline);
  }
  void run_until(base::Duration t) { sim.run_until(base::at(t)); }
  /// A new replication of the same seed: Simulation::reset, then Array::reset; the log is
  /// cleared and LUN ids start again from 1.
  void reset() {
    sim.reset(setup.seed, setup.replication);
    array.reset();
    events.log.clear();
    luns_made_ = 0;
  }

  /// Member drive names of a LUN in member order.
  static std::vector<std::string> member_names(const storage::Lun& lun) {
    std::vector<std::string> out;
    for (const storage::Drive* d : lun.members()) out.push_back(d->name());
    return out;
  }
  /// Time to move `b` bytes at the fixture's bandwidth.
  base::Duration transfer(base::Bytes b) const { return b / setup.bandwidth; }

private:
  static storage::DriveModel make_model(const ArraySetup& s) {
    storage::DriveModel m;
    m.name = "test-drive";
    m.capacity = s.capacity;
    m.bandwidth = s.bandwidth;
    m.read_latency = engine::Distribution::constant(std::chrono::milliseconds(5));
    m.write_latency = engine::Distribution::constant(std::chrono::milliseconds(5));
    return m;
  }
  std::uint32_t luns_made_ = 0;
};

} // namespace sim::testing

// The machinery under storage::Array (array.hpp, whose header says what it does): the drives and
// their slots, the redundancy groups, and the failure and repair flow that ties DriveIndex,
// FailureProcesses, SparePool and RebuildEngine together. Internal to sim/storage.
#pragma once

#include "sim/engine/random.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/storage/array.hpp"
#include "sim/storage/lifetimes.hpp"
#include "sim/storage/placement.hpp"
#include "sim/storage/rebuild.hpp"
#include "sim/storage/spares.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sim::storage {

class ArrayImpl final : private RebuildEngine::Listener, private FailureProcesses::Listener {
public:
  ArrayImpl(engine::Simulation& sim, std::string name, base::Bytes chunk_size);
  ArrayImpl(const ArrayImpl&) = delete;
  ArrayImpl& operator=(const ArrayImpl&) = delete;

  Drive& add_drive(std::string name, const DriveModel& model, std::int16_t enclosure);
  const DriveIndex& index() const { return index_; }
  std::uint32_t generation(std::uint32_t slot) const { return slots_[slot].generation; }
  const DriveTotals& drive_totals() const { return totals_; }

  Lun& create_lun(std::uint32_t id, std::string name, const Geometry& g, std::vector<Drive*> members,
                  std::vector<base::Bytes> member_bytes, base::Bytes stripe_unit, std::uint8_t rebuild_priority);
  void remove_lun(Lun& lun);
  MemberState member_state(const Lun& lun, std::uint32_t m) const { return group(lun).member[m]; }
  base::Duration degraded_time(const Lun& lun, base::Time now) const;
  std::uint32_t losses(const Lun& lun) const { return group(lun).losses; }

  void set_events(ArrayEvents* e) { events_ = e != nullptr ? e : &silent_; }
  void set_repair(RepairConfig c) { repair_ = std::move(c); }
  const RepairConfig& repair() const { return repair_; }
  void set_hot_spare(std::uint32_t slot, bool on) { spares_.set(index_, slot, on); }
  void set_lifetime(std::uint32_t slot, const Lifetime* law) { processes_.set_lifetime(slot, law); }
  void set_latent_errors(std::uint32_t slot, const LatentErrorLaw* law) { processes_.set_latent_errors(slot, law); }
  void fail_drive(std::uint32_t slot);
  void set_drive_offline(std::uint32_t slot, bool offline);
  void request_recovery(Lun& lun) { ++group(lun).recoveries; }
  void recover(Lun& lun);
  void set_failure_biasing(FailureBiasing b) {
    biasing_ = b;
    processes_.enable_biasing();
  }
  void settle_weights() { processes_.settle(); }
  const ReliabilityStats& stats() const { return stats_; }
  std::uint32_t rebuilds_running() const { return rebuilds_.running(); }
  engine::EventTag repair_tag(std::uint32_t entity) override;
  void reset();
  static std::size_t slot_bytes() {
    return sizeof(Slot) + FailureProcesses::slot_bytes() + DriveIndex::slot_bytes();
  }

private:
  /// A LUN and its repair state.
  struct Group {
    template <class... A>
    explicit Group(A&&... lun_args) : lun(std::forward<A>(lun_args)...) {}
    Lun lun;
    std::vector<MemberState> member;
    std::vector<bool> read_exposed;    // per member: its rebuild already read the survivors with no
                                       // redundancy left (sectors lost then count once, not per restart)
    std::vector<std::uint32_t> queue;  // Waiting members in order (policy sequential)
    std::vector<Rebuild*> rebuilds;    // running
    std::uint32_t recoveries = 0;      // requested and not finished
    base::Time degraded_since = base::never;
    base::Duration degraded_total{};
    std::uint32_t losses = 0;
    std::uint8_t priority = 0;
    // failure biasing
    double log_weight = 0;             // log likelihood ratio of its drives' paths while members
    double bias_rate = 0;              // per second, for each survivor while exposed (0: none)
    std::vector<std::uint32_t> biased; // the survivors' slots biased for it now
  };
  /// A drive slot's repair state (its drive and laws are the index's and the processes').
  struct Slot {
    std::uint32_t generation = 1;  // k of the drive in the slot now ("NAME#k"; 1: NAME)
    bool waiting = false;          // in spares_.waiting()
    engine::EventId replace;       // the replacement of a failed drive
    engine::EventId offline_timer; // an offline drive declared failed
    std::vector<std::pair<Group*, std::uint32_t>> held;  // LUN members on the drive (group, member)
  };

  Group& group(const Lun& lun) { return groups_[lun.tag()]; }
  const Group& group(const Lun& lun) const { return groups_[lun.tag()]; }
  void hold(std::uint32_t slot, Group& g, std::uint32_t m) { slots_[slot].held.emplace_back(&g, m); }
  void unhold(std::uint32_t slot, Group& g, std::uint32_t m) { std::erase(slots_[slot].held, std::pair{&g, m}); }
  void unhold_all(Group& g);
  bool has_orphans(const Slot& slot) const;  // members on it with no target yet (Failed)

  // FailureProcesses::Listener, RebuildEngine::Listener
  void lifetime_ended(std::uint32_t slot) override { fail_drive(slot); }
  void weight(std::uint32_t slot, double log_ratio) override;
  void rebuild_done(Rebuild& r) override;
  // failure biasing
  void rebias(Group& g);
  double slot_bias(std::uint32_t slot) const;  // the largest rate of the exposed LUNs it survives in
  double exposure_seconds(const Group& g) const;

  void degrade(Group& g, std::uint32_t m);
  void lose(Group& g);
  void restore(Group& g);
  void update_condition(Group& g);
  void make_spare(std::uint32_t slot);
  bool take_spare(std::uint32_t failed);
  void move_members(std::uint32_t from, std::uint32_t to, bool to_spare);
  void serve_waiting();
  void replace_now(std::uint32_t slot);
  void on_replace(std::uint64_t slot);
  void on_offline_timeout(std::uint64_t slot);
  void enqueue(Group& g, std::uint32_t m);
  void start_rebuilds(Group& g);
  void start_rebuild(Group& g, std::uint32_t m);
  void stop(Rebuild& r);  // rebuild_ended, then released
  void abort_rebuilds(Group& g, const Drive* involving);
  void pause_rebuilds(Group& g, const Drive& d);
  void sector_losses(Group& g, std::uint32_t m);
  void finish_recovery(Group& g, RecoveryResult r);

  engine::Simulation* sim_;
  std::string name_;
  ArrayEvents silent_;
  ArrayEvents* events_ = &silent_;
  RepairConfig repair_;
  std::optional<FailureBiasing> biasing_;
  ReliabilityStats stats_;
  engine::RandomStream repair_rng_;  // URE and rebuild-duration draws
  std::uint32_t repair_kind_ = UINT32_MAX;  // registered on first use (trace kinds stay put)
  DriveTotals totals_;  // before the drives, which point to it
  std::deque<Drive> drives_;
  DriveIndex index_;
  std::vector<Slot> slots_;
  std::deque<Group> groups_;
  SparePool spares_;
  FailureProcesses processes_;
  RebuildEngine rebuilds_;
};

} // namespace sim::storage

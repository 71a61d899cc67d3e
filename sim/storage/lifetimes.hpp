// The random failure processes of an array's drive slots: lifetimes and latent sector errors.
//
// Lifetime: a slot given a law (set_lifetime) draws its drive's failure time from the stream
// "life/<drive name>" — the first drive conditionally on having survived the law's `age`, a
// replacement new — and the listener's lifetime_ended(slot) is called then. Draws beyond the
// time range (≈292 years) mean "never". A replacement drive keeps the slot's law.
// Latent sector errors: a slot given a law (set_latent_errors) accumulates errors at offsets
// uniform over the drive, with gaps drawn from the law's interval (stream "latent/<drive
// name>"); each is removed by the scrub after a draw from the law's `scrub` (same stream, drawn
// when the error appears). An array reads them when a rebuild starts with no redundancy left.
// Both processes stop when the drive fails and start anew on the replacement drive (renew).
// Events carry `tag(drive entity)`.
//
// Failure biasing (importance sampling; enable_biasing before any law is set). A slot's hazard
// can be replaced by a constant rate c (bias(slot, c); 0: back to its law). Every lifetime draw
// then comes from the slot's own stream "life/<drive name>", kept for the drive's whole life: a
// biased residual life is exponential with rate c, a natural one the law's residual at the
// drive's age (its age at the start plus the time since). The likelihood ratio of the drive's
// lifetime process (true law over biased) is reported to the listener as it accrues, as log
// ratios: a biased window of ages [a0, a1] lasting dt gives -(H(a1) - H(a0)) + c dt, a failure
// under bias at age a gives ln h(a) - ln c (H, h: the law's cumulative hazard and hazard). A
// failure that does not come from the law (stop: injected, declared) ends the window with its
// survival part only. Without biasing nothing of this exists and the draws are as above.
#pragma once

#include "sim/engine/random.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/storage/placement.hpp"
#include "sim/storage/repair.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace sim::storage {

class FailureProcesses {
public:
  class Listener {
  public:
    virtual ~Listener() = default;
    /// The drive of `slot` reached the end of its life now.
    virtual void lifetime_ended(std::uint32_t slot) = 0;
    /// The tag of events about the drive with entity number `entity`.
    virtual engine::EventTag repair_tag(std::uint32_t entity) = 0;
    /// Failure biasing: the drive of `slot` adds `log_ratio` to the log likelihood ratio.
    virtual void weight(std::uint32_t /*slot*/, double /*log_ratio*/) {}
  };

  /// `index` (the slots' drives) and `listener` must outlive this; latent errors are counted in
  /// `stats` (not owned).
  FailureProcesses(engine::Simulation& sim, const DriveIndex& index, Listener& listener, ReliabilityStats& stats);
  ~FailureProcesses();
  FailureProcesses(const FailureProcesses&) = delete;
  FailureProcesses& operator=(const FailureProcesses&) = delete;

  /// Room for the slot just added to the index.
  void add_slot();
  /// Gives the slot a lifetime law (not owned; null: immortal) and draws its drive's failure.
  void set_lifetime(std::uint32_t slot, const Lifetime* law);
  /// Gives the slot a latent-error law (not owned; null: none) and starts the errors.
  void set_latent_errors(std::uint32_t slot, const LatentErrorLaw* law);
  /// The drive of the slot failed: its failure, latent errors and scrubs are cancelled.
  void stop(std::uint32_t slot);
  /// A new drive is in the slot: its lifetime is drawn (new, not conditioned on an age) and its
  /// latent errors start from none.
  void renew(std::uint32_t slot);
  /// Latent errors present now on the drive of `slot` at offsets in [lo, hi).
  std::uint64_t latent_errors_in(std::uint32_t slot, std::uint64_t lo, std::uint64_t hi) const;
  /// True once some slot has a latent-error law.
  bool any_latent_errors() const { return any_latent_; }

  /// Turns failure biasing on (see the header); call before the first set_lifetime.
  void enable_biasing() { biasing_ = true; }
  bool biasing() const { return biasing_; }
  /// The drive of `slot` fails at the constant rate `per_second` from now on (0: its law's
  /// hazard again). No effect on a slot without a lifetime law or whose drive failed.
  void bias(std::uint32_t slot, double per_second);
  /// The rate the slot is biased to now (0: none).
  double bias_rate(std::uint32_t slot) const;
  /// Reports the likelihood ratio of every biased window still open, up to now (the windows go
  /// on from now).
  void settle();
  /// Every law and process forgotten (after Simulation::reset), slots kept.
  void reset();
  /// Bytes kept per slot (its record; latent-error state is out of line, where there is a law).
  static std::size_t slot_bytes();

private:
  struct Latent;
  struct LatentErrors;
  struct Slot;
  struct Biased;
  void arm(std::uint32_t slot, bool first);
  void close_window(std::uint32_t slot, bool failed);  // biasing: the LR of the window up to now
  void start_latent(std::uint32_t slot);
  void schedule_latent(std::uint32_t slot);
  void on_lifetime(std::uint64_t slot);
  void on_latent(std::uint64_t slot);
  void on_scrub(std::uint64_t slot_and_id);

  engine::Simulation* sim_;
  const DriveIndex* index_;
  Listener* listener_;
  ReliabilityStats* stats_;
  std::vector<Slot> slots_;
  bool any_latent_ = false;
  bool biasing_ = false;
};

} // namespace sim::storage

// The rebuild engine: re-creates one member of a redundancy group on its target drive.
//
// Modes (RepairConfig::mode):
//   io      reads every source (a mirror: the one copy given) and writes the target through the
//           drive queues, chunk by chunk (the array's chunk size): one read per source and one
//           write outstanding, pipelined — chunk k + 1 is read while chunk k is written. All
//           background class, at the group's rebuild priority, so rebuilds contend with host
//           I/O and provisioning for the same drives.
//   coarse  the time that pipeline takes on idle drives, as one event: for k equal chunks of
//           read time a (the slowest source) and write time b, the last write starts at
//           a + (k - 1) max(a, b) and ends b later; a shorter last chunk follows the same rule.
//   law     one event after a draw from RepairConfig::rebuild_duration.
// A rebuild is acquired (its fields set, nothing scheduled) then begun, so the caller can say it
// started before its first request or timer exists. It ends by calling the listener's
// rebuild_done (once, when the target holds the whole member), or is released early (stopped:
// queued requests withdrawn, the timer cancelled; a request already in service completes later
// and only then is the object reused). Rebuild objects are pooled: a rebuild allocates nothing
// once the pool has held as many at once.
#pragma once

#include "sim/engine/random.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/storage/drive.hpp"
#include "sim/storage/repair.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

namespace sim::storage {

class RebuildEngine;

/// One rebuild of one member onto its target drive. The fields up to `priority` are the
/// caller's (read-only once begun); the rest is the engine's.
struct Rebuild {
  void* group = nullptr;          ///< the caller's redundancy group (opaque here)
  std::uint32_t member = 0;
  Drive* target = nullptr;
  std::uint64_t base = 0;         ///< the member's extent on the target
  std::uint64_t total = 0;        ///< bytes to rebuild
  std::vector<Drive*> sources;    ///< members read (mode io; coarse uses their bandwidth)
  std::vector<std::uint64_t> source_base;
  std::uint8_t priority = 0;      ///< background share (p + 1) / 16

  bool active() const { return active_; }

private:
  friend class RebuildEngine;
  RebuildEngine* owner_ = nullptr;
  std::vector<IoRequest> reads_;  // one per source (mode io)
  IoRequest write_;
  std::uint64_t read_issued_ = 0; // bytes whose reads were issued
  std::uint64_t written_ = 0;
  std::uint64_t reading_ = 0;     // size of the chunk being read
  std::uint64_t ready_ = 0;       // size of the chunk read and not yet written (0: none)
  std::uint32_t reads_pending_ = 0;
  std::uint32_t outstanding_ = 0; // requests in drive queues
  bool writing_ = false;
  bool active_ = false;
  engine::EventId timer_;         // modes coarse and law

  static void on_read(void* self, std::uint64_t);
  static void on_write(void* self, std::uint64_t);
  static void on_timer(void* self, std::uint64_t);
};

class RebuildEngine {
public:
  class Listener {
  public:
    virtual ~Listener() = default;
    /// `r` has written its whole member (it is still active: the listener releases it).
    virtual void rebuild_done(Rebuild& r) = 0;
  };

  /// `config` (mode, rebuild_duration), `chunk_size`, `rng` (law draws) and `listener` are not
  /// owned and must outlive the engine; `rng` may be shared with the caller's own draws (their
  /// order is then the order of the calls).
  RebuildEngine(engine::Simulation& sim, const RepairConfig& config, base::Bytes chunk_size,
                engine::RandomStream& rng, Listener& listener);
  RebuildEngine(const RebuildEngine&) = delete;
  RebuildEngine& operator=(const RebuildEngine&) = delete;

  /// A pooled rebuild with every field cleared: fill the caller's fields, then begin().
  Rebuild& acquire();
  /// Starts `r` (counted as running from here): schedules its end (coarse, law) or submits its
  /// first requests (io), with `tag` on its timer.
  void begin(Rebuild& r, engine::EventTag tag);
  /// Stops an active rebuild now (no effect on an inactive one; rebuild_done is not called).
  void release(Rebuild& r);
  /// Rebuilds begun and not yet released.
  std::uint32_t running() const { return running_; }
  /// Every rebuild forgotten (after Simulation::reset): the pool is kept, every object free.
  void reset();

private:
  friend struct Rebuild;
  void step(Rebuild& r);
  void read_done(Rebuild& r);
  void write_done(Rebuild& r);
  void finished(Rebuild& r);
  void give_back(Rebuild& r);  // free once inactive with no request outstanding

  engine::Simulation* sim_;
  const RepairConfig* config_;
  base::Bytes chunk_;
  engine::RandomStream* rng_;
  Listener* listener_;
  std::deque<std::unique_ptr<Rebuild>> pool_;
  std::vector<Rebuild*> free_;
  std::uint32_t running_ = 0;
};

} // namespace sim::storage

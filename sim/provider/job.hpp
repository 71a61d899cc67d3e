// A provider job (internal to sim/provider): the state of one asynchronous create, extend or
// shrink between its call and its completion. See subsystem.hpp for the time model and
// faults.hpp for the behaviours a job can carry.
#pragma once

#include "sim/provider/subsystem.hpp"

#include <optional>
#include <memory>
#include <vector>

namespace sim::provider {

struct Subsystem::Job {
  enum class Kind { Create, Extend, Shrink };
  Subsystem* owner = nullptr;
  Kind kind = Kind::Create;
  LunObject* lun = nullptr;
  AsyncHandle* handle = nullptr;
  std::vector<storage::Drive*> drives;       // one per member
  std::vector<base::Bytes> added;            // bytes reserved per member by this job
  std::vector<base::Bytes> remaining;        // bytes still to initialise per member
  std::vector<std::uint64_t> next_offset;    // where the next chunk goes, per member
  std::vector<storage::IoRequest> chunks;    // the outstanding chunk of each member
  base::Bytes total{};
  base::Bytes done{};
  storage::Geometry geometry;                // the LUN's geometry once the job succeeds
  std::vector<base::Bytes> member_bytes;
  engine::EventId latency_timer{};
  bool finished = false;
  std::optional<std::size_t> fault;          // the errant-provider fault this job carries
  std::vector<std::uint64_t> first_offset;   // where each member's new extent starts (restarts)
  std::uint32_t restarts = 0;                // restart_loop restarts done
  bool regressed = false;                    // percent_regresses applied

  static void on_latency(void* self, std::uint64_t) {
    auto* j = static_cast<Job*>(self);
    j->owner->start_job(*j);
  }
  static void on_chunk(void* self, std::uint64_t member) {
    auto* j = static_cast<Job*>(self);
    j->owner->job_chunk_done(*j, static_cast<std::size_t>(member));
  }
};

/// A drive slot: the drive in it now and its failure and repair state. Kept small (a
/// subsystem may hold hundreds of thousands): latent-error state lives out of line, only
/// where `repair.latent_interval` makes latent errors happen.
struct Subsystem::Slot {
  struct Latent {
    std::uint64_t offset = 0;  // byte on the drive
    std::uint32_t id = 0;
    engine::EventId scrub;
  };
  struct LatentErrors {
    std::vector<Latent> present;      // latent errors present now
    engine::EventId next;             // the next latent sector error
    std::uint32_t next_id = 0;
    engine::RandomStream rng{0};
  };
  std::string base_name;            // the first drive's name; replacements are base#k
  std::uint32_t generation = 1;     // k of the drive in the slot now
  bool waiting = false;             // in Subsystem::waiting_
  const Lifetime* lifetime = nullptr;
  engine::EventId life;             // the failure of the drive in the slot now
  engine::EventId replace;          // the replacement of a failed drive
  engine::EventId offline_timer;    // an offline drive declared failed
  std::vector<std::pair<LunObject*, std::uint32_t>> held;  // LUN members on the drive (LUN, member index)
  std::unique_ptr<LatentErrors> latent;  // created by start_latent_errors
};

/// One rebuild of one LUN member onto its target drive.
struct Rebuild {
  Subsystem* owner = nullptr;
  LunObject* lun = nullptr;
  std::uint32_t member = 0;
  storage::Drive* target = nullptr;
  std::vector<storage::Drive*> sources;  // surviving members read
  std::vector<std::uint64_t> source_base;
  std::vector<storage::IoRequest> reads;  // one per source (mode io)
  storage::IoRequest write;
  std::uint64_t base = 0;                 // the member's extent on the target
  std::uint64_t total = 0;                // bytes to rebuild
  std::uint64_t read_issued = 0;          // bytes whose reads were issued
  std::uint64_t written = 0;
  std::uint64_t reading = 0;              // size of the chunk being read
  std::uint64_t ready = 0;                // size of the chunk read and not yet written (0: none)
  std::uint32_t reads_pending = 0;
  std::uint32_t outstanding = 0;          // requests in drive queues
  bool writing = false;
  bool active = false;
  engine::EventId timer;                  // modes coarse and law

  static void on_read(void* self, std::uint64_t) {
    auto* r = static_cast<Rebuild*>(self);
    r->owner->rebuild_read_done(*r);
  }
  static void on_write(void* self, std::uint64_t) {
    auto* r = static_cast<Rebuild*>(self);
    r->owner->rebuild_write_done(*r);
  }
  static void on_timer(void* self, std::uint64_t) {
    auto* r = static_cast<Rebuild*>(self);
    r->owner->finish_rebuild(*r);
  }
};

} // namespace sim::provider

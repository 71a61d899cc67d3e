// A provider job (internal to sim/provider): the state of one asynchronous create, extend or
// shrink between its call and its completion. See subsystem.hpp for the time model and
// faults.hpp for the behaviours a job can carry.
#pragma once

#include "sim/provider/subsystem.hpp"

#include <optional>
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

} // namespace sim::provider

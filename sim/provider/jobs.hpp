// The provider's job runner: the asynchronous create, extend and shrink of LUNs between their
// call and their completion.
//
// Time model, exact with idle drives and constant latencies: the management latency (a draw
// from the subsystem's law), then every new member extent is written (initialised) through its
// drive's background class in chunks (the subsystem's chunk size, one chunk outstanding per
// drive per job, priority = the subsystem's provisioning priority), so jobs and foreground I/O
// contend for the same drives. `init: none` skips the writing (thin).
//   1 TB RAID-5 on 6 drives at 200 MB/s with 100 ms latency: 100 ms + 2e11 B / 2e8 B/s = 1000.1 s.
// Percent follows the bytes written (0 during the management latency). Create and extend cancel
// by rolling back (extents freed; VDS_E_OPERATION_CANCELED, percent 0); shrink cannot be
// cancelled (VDS_E_NOT_SUPPORTED). A job writing to a drive that fails or goes offline fails
// with VDS_E_LUN_DISK_FAILED and rolls back, whatever the RAID level (lunsim never finishes a
// creation degraded). Completion: the handle is signalled with the job's HRESULT (for a create,
// the LUN as payload) when the last chunk is written; an errant fault (fault_points.hpp) may
// change the latency, the progress, the completion and the output at their named points.
#pragma once

#include "sim/base/size.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/provider/async.hpp"
#include "sim/provider/fault_points.hpp"
#include "sim/storage/drive.hpp"
#include "sim/storage/raid.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

namespace sim::provider {

class Subsystem;
class LunObject;

class JobRunner {
public:
  enum class Kind : std::uint8_t { Create, Extend, Shrink };

  /// What a job writes and leaves behind: per member of `drives`, `added` bytes newly reserved
  /// from `first_offset` (to be initialised) and `member_bytes` once it succeeds, with the LUN's
  /// new `geometry`.
  struct Plan {
    Kind kind = Kind::Create;
    LunObject* lun = nullptr;
    std::vector<storage::Drive*> drives;
    std::vector<base::Bytes> added;
    std::vector<std::uint64_t> first_offset;
    std::vector<base::Bytes> member_bytes;
    storage::Geometry geometry;
  };

  /// `owner` must outlive the runner.
  explicit JobRunner(Subsystem& owner);
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  /// Starts a job (the management latency first) that completes `handle`, carrying `fault`.
  /// Create and extend jobs can be cancelled through the handle.
  void start(Plan plan, AsyncHandle& handle, const CallFault& fault);
  /// Every running job writing to `d` fails now (VDS_E_LUN_DISK_FAILED) and rolls back.
  void fail_jobs_on(const storage::Drive& d);
  std::uint32_t running() const { return running_; }
  /// Every job forgotten (after Simulation::reset).
  void reset();

private:
  struct Job;
  void on_latency(std::uint64_t job);
  void on_chunk(std::uint64_t job_and_member);
  void write(Job& job);     // the first chunk of every member
  void chunk_done(Job& job, std::size_t member);
  void finish(Job& job, HResult result);
  HResult cancel(Job& job);
  void roll_back(Job& job);

  Subsystem* owner_;
  std::deque<std::unique_ptr<Job>> jobs_;
  std::uint32_t running_ = 0;
  std::uint32_t kind_;
};

} // namespace sim::provider

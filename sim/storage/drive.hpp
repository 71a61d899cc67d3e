// A drive: capacity, a two-class FIFO request queue, a latency model and an extent allocator.
//
// Service model (DESIGN.md, "Storage model"):
//   foreground request  service = latency draw (read or write law) + size / bandwidth
//   background chunk    service = size / bandwidth (sequential transfer, no positioning cost)
// Transfer times are exact: bytes x 1e9 / rate rounded up, with the rounding remainder carried
// to the next transfer while the drive stays busy, so back-to-back transfers take exactly
// ceil(total bytes x 1e9 / rate) ns — a job's time is `bytes / bandwidth`, not that plus one
// ns per chunk. `unlimited` bandwidth makes transfers free (pure latency, as queueing tests need).
//
// Scheduling: one request in service at a time. Within a class, FIFO. When both classes wait,
// the background class receives a share (p + 1) / 16 of the service time, p being the priority
// (0..15) of the background request at the head, by deficit round robin on service time
// within the contention period (counters restart whenever a class runs dry); ties go to the
// foreground. Alone, either class uses the whole drive.
//
// Requests stay in the submitter's memory (a coroutine frame, a job object) until their
// completion; the drive queues a pointer with the size and kind beside it, in rings that
// allocate only when a backlog is longer than any before, and reads or writes the request only
// when it is submitted and when it completes (a large closed loop's frames stay out of the way
// of the drive's choice of the next request). An idle drive's queues, scheduling state and
// statistics are not allocated until its first request. Completion: the drive's
// completion event fires at the completion time, fills status and times, then calls
// on_complete inline (so now() == completed), and only then chooses the next request: a
// request submitted from on_complete competes as if it had been waiting.
//
// Statistics are per drive (stats()); the owner of many drives (storage::Array) also has them
// keep a DriveTotals up to date as they change, so that sums over 10^6 drives cost O(1) to read.
#pragma once

#include "sim/base/int128.hpp"
#include "sim/base/size.hpp"
#include "sim/base/time.hpp"
#include "sim/engine/action.hpp"
#include "sim/engine/distribution.hpp"
#include "sim/engine/random.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/storage/mechanics.hpp"

#include <algorithm>
#include <coroutine>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sim::storage {

/// Parameters shared by every drive of one model. Drives keep a pointer: the model must
/// outlive them.
///
/// Service of a request (mechanics.hpp for the position-aware parts):
///   mechanics set      latency draw (the command overhead, foreground only) + seek + rotational
///                      wait + transfer at the zone's media rate; a request that starts where the
///                      previous one ended streams (transfer only); `bandwidth` is not used
///   otherwise          latency draw (foreground only) + size / bandwidth, where a write goes at
///                      write_bandwidth when set, and through write_buffer when set
struct DriveModel {
  std::string name;
  base::Bytes capacity;
  base::Rate bandwidth = base::Rate::unlimited();
  engine::Distribution read_latency;
  engine::Distribution write_latency;
  std::shared_ptr<const DiskMechanics> mechanics;  ///< a hard disk's positioning; null: none
  std::optional<base::Rate> write_bandwidth;       ///< writes' rate; none: bandwidth
  std::optional<WriteBuffer> write_buffer;         ///< flash write buffer; none: none
  /// Service depends on the requests' offsets (a load then draws offsets for drive targets too).
  bool position_aware() const { return mechanics != nullptr; }
  /// The rates of a long sequential transfer, for estimates that take no queue (coarse rebuilds,
  /// failure biasing): a disk's mean media rate over its zones; a flash drive's write rate once
  /// its buffer is full (its sustained rate) or its write bandwidth; else `bandwidth`.
  base::Rate read_stream_rate() const { return mechanics ? mechanics->mean_rate() : bandwidth; }
  base::Rate write_stream_rate() const {
    if (mechanics) return mechanics->mean_rate();
    const base::Rate w = write_bandwidth.value_or(bandwidth);
    return write_buffer ? std::min(w, write_buffer->sustained) : w;
  }
};

/// Drive states; the provider maps them to VDS_DRIVE_STATUS.
enum class DriveState : std::uint8_t { Online, NotReady, Offline, Failed, Removed };
enum class IoKind : std::uint8_t { Read, Write };
enum class IoClass : std::uint8_t { Foreground, Background };
enum class IoStatus : std::uint8_t { Pending, Ok, DeviceFailed, Cancelled };

const char* to_string(DriveState s);
const char* to_string(IoKind k);
const char* to_string(IoClass c);
const char* to_string(IoStatus s);

struct IoRequest {
  IoKind kind = IoKind::Read;
  IoClass io_class = IoClass::Foreground;
  std::uint8_t priority = 0;  ///< background share (p + 1) / 16, p in 0..15
  // Filled by the drive: submitted when queued, the rest when it completes (before on_complete).
  IoStatus status = IoStatus::Pending;
  base::Bytes size;
  std::uint64_t offset = 0;   ///< byte offset on the drive (informational: no seek model)
  engine::Action on_complete; ///< called inline from the completion event; may be empty
  base::Time submitted{};
  base::Time started{};
  base::Time completed{};
};

/// A piece of a drive allocated to an owner (a LUN's member extent, or a piece of one).
struct Extent {
  std::uint64_t offset = 0;
  base::Bytes size;
  std::uint32_t owner = 0;
};

/// Sums over a set of drives (an Array's), kept by the drives as they change (Drive::join), so
/// a sampler reads the set's busy time, completions and queue lengths in O(1) instead of visiting
/// every drive: each figure is exactly the sum (or the maximum) of the drives' own, stats() and
/// queue_length(), at the same instant.
class DriveTotals {
public:
  /// The sum of stats().busy at `now` (the simulation's current time), in ns.
  base::Int128 busy(base::Time now) const {
    // A service in progress counts up to now only: take off what is still ahead of each.
    return busy_ - (ends_ - static_cast<base::Int128>(serving_) * base::since_start(now).count());
  }
  std::uint64_t completed(IoClass c) const { return completed_[c == IoClass::Foreground ? 0 : 1]; }
  std::uint64_t bytes(IoClass c) const { return bytes_[c == IoClass::Foreground ? 0 : 1]; }
  /// The sum and the largest of queue_length().
  std::uint64_t queue_sum() const { return queue_sum_; }
  std::uint32_t queue_max() const { return queue_max_; }

private:
  friend class Drive;
  void queue_changed(std::uint32_t from, std::uint32_t to);

  base::Int128 busy_ = 0;      // sum of the drives' busy time, each service counted in full at its start
  base::Int128 ends_ = 0;      // sum of the service ends of the drives with a request in service
  std::uint64_t serving_ = 0;  // those drives
  std::uint64_t completed_[2] = {0, 0};
  std::uint64_t bytes_[2] = {0, 0};
  std::uint64_t queue_sum_ = 0;
  std::uint32_t queue_max_ = 0;
  std::vector<std::uint32_t> at_length_;  // at_length_[q]: the drives with queue_length() q, for q >= 1
};

/// Counters since the start of the run (or the last reset_stats()).
struct DriveStats {
  base::Duration busy{};                ///< time with a request in service
  std::uint64_t completed[2] = {0, 0};  ///< per IoClass
  base::Bytes bytes[2] = {};            ///< per IoClass
  double mean_queue_length = 0;         ///< time-weighted, waiting + in service
  std::uint32_t max_queue_length = 0;
  double utilization = 0;               ///< busy / elapsed
};

class Drive {
public:
  /// `entity` tags the drive's events (stable per drive); its random stream is
  /// sim.stream("drive/" + name).
  Drive(engine::Simulation& sim, std::string name, const DriveModel& model, std::uint32_t entity);
  Drive(const Drive&) = delete;
  Drive& operator=(const Drive&) = delete;
  Drive(Drive&&) noexcept = default;
  Drive& operator=(Drive&&) = delete;

  const std::string& name() const { return name_; }
  const DriveModel& model() const { return *model_; }
  base::Bytes capacity() const { return model_->capacity; }
  std::uint32_t entity() const { return entity_; }

  DriveState state() const { return state_; }
  void set_state(DriveState s) { state_ = s; }
  /// The drive fails now: its state becomes Failed; the request in service and every queued
  /// request complete with DeviceFailed, each through its own event at the current time (in
  /// service first, then foreground, then background, each in FIFO order); a request submitted
  /// to a failed drive completes the same way. Extents stay until replace(). No effect if the
  /// drive already failed.
  void fail();
  /// The drive becomes unreachable (its enclosure is out): state Offline; requests in service
  /// and queued complete with DeviceFailed as for fail(), and so do requests submitted while it
  /// is offline. Extents stay. No effect unless the drive is Online.
  void go_offline();
  /// Back from Offline to Online (no effect in any other state).
  void come_online();
  /// A new physical drive takes this slot: named `name` (its random stream is "drive/" + name),
  /// Online, empty (every extent freed), not a hot spare. Statistics continue. Precondition:
  /// the drive has failed (so nothing is queued).
  void replace(std::string name);
  /// Back to a new drive named `name` at the current time (a new replication after
  /// Simulation::reset): nothing queued or in service, Online, empty, not a spare, statistics
  /// from zero. Requests that were queued are forgotten, not completed.
  void reset(const std::string& name);
  bool hot_spare() const { return hot_spare_; }
  /// An index for the drive's owner (the provider's slot number); not used by the drive.
  std::uint32_t tag() const { return tag_; }
  void set_tag(std::uint32_t tag) { tag_ = tag; }
  /// The flag only: a provider that keeps a spare pool sets it through its own API
  /// (provider::Subsystem::set_hot_spare), which indexes it.
  void set_hot_spare(bool on) { hot_spare_ = on; }

  /// Queues `r`. Precondition: r is not queued elsewhere and stays alive until on_complete. Its
  /// kind, class, priority and size are read here (later changes to them are not seen).
  void submit(IoRequest& r);
  /// Takes a queued request out before it starts (it completes as Cancelled, at once, without
  /// calling on_complete). False if it is in service or not queued here. O(queue length).
  bool withdraw(IoRequest& r);

  /// Awaitable I/O for coroutines: `IoRequest r = co_await drive.io(IoKind::Read, 64_KiB);`
  class IoAwaiter {
  public:
    IoAwaiter(Drive& d, IoRequest r) : d_(&d), r_(r) {}
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h);
    IoRequest await_resume() const noexcept { return r_; }

  private:
    Drive* d_;
    IoRequest r_;
  };
  IoAwaiter io(IoKind kind, base::Bytes size, IoClass c = IoClass::Foreground, std::uint8_t priority = 0) {
    IoRequest r;
    r.kind = kind;
    r.size = size;
    r.io_class = c;
    r.priority = priority;
    return IoAwaiter(*this, r);
  }
  /// A foreground request at byte `offset` of the drive (a trace's, or a LUN's member extent).
  IoAwaiter io_at(IoKind kind, base::Bytes size, std::uint64_t offset) {
    IoRequest r;
    r.kind = kind;
    r.size = size;
    r.offset = offset;
    return IoAwaiter(*this, r);
  }

  /// Requests waiting plus the one in service.
  std::uint32_t queue_length() const { return queued() + (busy() ? 1u : 0u); }
  bool busy() const { return act_ && act_->in_service != nullptr; }
  DriveStats stats() const;
  void reset_stats();
  /// Counts the drive in `totals` from now on (once; its figures so far are added).
  void join(DriveTotals& totals);

  // -- extents --
  base::Bytes used_bytes() const { return used_; }
  base::Bytes free_bytes() const { return capacity() - used_; }
  /// Allocates `size` bytes to `owner`, first fit, in as few pieces as the free space allows
  /// (pieces are appended to *pieces in offset order). Nothing is allocated and false is
  /// returned when free space is short.
  bool allocate(base::Bytes size, std::uint32_t owner, std::vector<Extent>* pieces = nullptr);
  /// Frees every extent of `owner`; returns the bytes freed.
  base::Bytes free_owner(std::uint32_t owner);
  /// Frees `size` bytes of `owner`'s extents from its end (highest offsets first).
  base::Bytes free_tail(std::uint32_t owner, base::Bytes size);
  /// Bytes held by `owner` on this drive.
  base::Bytes owned_by(std::uint32_t owner) const;
  /// Allocated extents in offset order.
  const std::vector<Extent>& extents() const { return extents_; }
  /// Called (inline) after every change of used_bytes(): allocate, free_owner, free_tail,
  /// replace. For an owner that indexes drives by usage; empty: none.
  void on_usage_change(engine::Action a) { on_usage_ = a; }

private:
  /// A queued request as the drive needs it to choose and start it: starting a request never
  /// reads the submitter's memory (in a large closed loop, a coroutine frame long out of cache).
  struct Queued {
    IoRequest* request;
    base::Bytes size;
    std::uint64_t offset;
    IoKind kind;
    std::uint8_t priority;
  };
  /// A FIFO of Queued in a ring of power-of-two capacity that doubles when full: no allocation
  /// once it has held its longest backlog.
  class Ring {
  public:
    bool empty() const { return count_ == 0; }
    std::uint32_t size() const { return count_; }
    const Queued& front() const { return slots_[head_]; }
    void push_back(const Queued& q) {
      if (count_ == capacity()) grow();
      slots_[(head_ + count_) & mask_] = q;
      ++count_;
    }
    Queued pop_front() {
      const Queued q = slots_[head_];
      head_ = (head_ + 1) & mask_;
      --count_;
      return q;
    }
    /// Position of `r` from the front; size() when it is not queued.
    std::uint32_t find(const IoRequest* r) const;
    /// Removes the entry at `i` (< size()), keeping the others in order.
    void erase_at(std::uint32_t i);
    void clear() { head_ = count_ = 0; }

  private:
    std::uint32_t capacity() const { return slots_ ? mask_ + 1 : 0; }
    void grow();
    std::unique_ptr<Queued[]> slots_;
    std::uint32_t mask_ = 0;  // capacity - 1 (a power of two)
    std::uint32_t head_ = 0;
    std::uint32_t count_ = 0;
  };
  /// What a drive keeps only once it has had a request: queues, scheduling state, statistics
  /// and random stream. Made at the first submit(), so an idle drive of a large model carries
  /// one pointer instead; kept (cleared) by reset().
  struct Activity {
    Ring queue[2];                      // per IoClass
    IoRequest* in_service = nullptr;
    base::Time started{};               // of the request in service
    base::Duration served[2] = {};      // deficit round robin, per class, in the contention period
    std::uint64_t carry = 0;            // transfer rounding remainder, in byte-nanoseconds per second
    std::optional<engine::RandomStream> rng;  // sim.stream("drive/" + name), at the first foreground service
    std::uint64_t head = 0;             // mechanics: where the last request ended (byte offset)
    bool streaming = false;             // mechanics: a request has ended at `head`
    double buffered = 0;                // write buffer: bytes in it at buffer_at
    base::Time buffer_at{};
    // statistics since stats_start_
    base::Time last_change{};
    base::Duration busy{};              // services started, counted in full
    base::Time service_end{};           // end of the service in progress
    double queue_area = 0;              // integral of queue_length() dt, in ns
    std::uint32_t max_queue = 0;
    std::uint64_t completed[2] = {0, 0};
    base::Bytes bytes[2] = {};
  };

  Activity& activity();
  std::uint32_t queued() const { return act_ ? act_->queue[0].size() + act_->queue[1].size() : 0; }
  void start_next();
  void stop(DriveState s);  // fail() and go_offline(): every request out with DeviceFailed
  void finish(std::uint64_t epoch);
  void reject(IoRequest& r);
  static void on_rejected(void* request, std::uint64_t);
  base::Duration transfer(base::Bytes size);
  base::Duration positioned(Activity& a, const Queued& q, base::Time at);  // mechanics: seek, wait, transfer
  base::Duration written(Activity& a, base::Bytes size);  // a write at write_bandwidth / through the buffer
  void account_queue(Activity& a);  // the queue-length integral up to now
  void queue_changed(std::uint32_t from) {  // queue_length() was `from` before the change just made
    if (totals_ != nullptr) totals_->queue_changed(from, queue_length());
  }
  void service_ended(const Activity& a);  // for totals_: the request in service leaves it

  engine::Simulation* sim_;
  const DriveModel* model_;
  std::string name_;
  std::unique_ptr<Activity> act_;
  DriveTotals* totals_ = nullptr;
  std::uint32_t entity_;
  std::uint32_t complete_kind_;
  std::uint32_t epoch_ = 0;
  std::uint32_t tag_ = 0;  // bumped by fail(): a completion event of an older epoch is void
  DriveState state_ = DriveState::Online;
  bool hot_spare_ = false;
  base::Time stats_start_{};
  // extents
  base::Bytes used_{};
  engine::Action on_usage_;
  std::vector<Extent> extents_;
};

} // namespace sim::storage

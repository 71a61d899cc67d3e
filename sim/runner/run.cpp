#include "sim/runner/run.hpp"

#include "sim/runner/check.hpp"
#include "sim/runner/interrupt.hpp"

#include "sim/base/int128.hpp"
#include "sim/engine/completion.hpp"
#include "sim/engine/task.hpp"
#include "sim/provider/provider.hpp"
#include "sim/scenario/world.hpp"
#include "sim/trace/trace.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <ostream>
#include <coroutine>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>

namespace sim::runner {

std::ostream& operator<<(std::ostream& os, OpStatus s) { return os << to_string(s); }

namespace {

using base::Duration;
using base::Time;
using engine::Op;
using engine::Simulation;
using engine::Task;
using scenario::OpKind;

class Collector final : public provider::NotificationSink, public engine::TraceSink {
public:
  std::vector<EventRecord>* events = nullptr;
  std::vector<TraceRecord>* trace = nullptr;
  void notify(const provider::Notification& n) override {
    events->push_back(EventRecord{n.time, to_string(n.event), to_string(n.object_type), n.object, n.id.to_string(),
                                  n.detail});
  }
  void on_event(Time t, engine::EventTag tag) override { trace->push_back(TraceRecord{t, tag.kind, tag.entity}); }
};

struct Target {
  std::string name;
  storage::Lun* lun = nullptr;
  storage::Drive* drive = nullptr;
  provider::LunObject* lun_object = nullptr;
  base::Bytes size;
  std::size_t record[2] = {SIZE_MAX, SIZE_MAX};  // IoRecord index per IoKind, made on first use
};

/// Where the sampler's rows go (RunOptions::series): the sink, the RunResult, or nowhere.
struct SeriesOut {
  SeriesSink* sink = nullptr;
  RunResult* keep = nullptr;  // null: dropped
  void add(TimeseriesRow&& row) {
    if (sink != nullptr) sink->add(row);
    else if (keep != nullptr) keep->timeseries.push_back(std::move(row));
  }
  void add(IoTimeseriesRow&& row) {
    if (sink != nullptr) sink->add(row);
    else if (keep != nullptr) keep->io_timeseries.push_back(std::move(row));
  }
};

/// The accumulators of io_timeseries.csv (IoTimeseriesRow): per load and direction it issues,
/// the completions of two sampling intervals, in the slot of the interval index's parity.
/// Interval k holds the completions at times t with (k - 1) dt < t <= k dt (interval 1 also
/// t = 0). The sampler's tick at k dt closes interval k - 1: every completion at or before
/// (k - 1) dt has been added by then (those at exactly (k - 1) dt that fired after the previous
/// tick too), and interval k + 1, which takes that slot next, cannot have begun. Interval k
/// itself stays open while events at k dt may still fire; the run closes the last tick's
/// interval once it is over (finish). Completions after the last tick (a horizon between two
/// ticks) are in no row, as timeseries.csv has no sample for them.
///
/// Nothing is allocated per completion in steady state: a slot's response vector is cleared, not
/// freed, when its interval is closed, so it keeps the capacity of the busiest interval so far.
class IoIntervals {
public:
  /// Off unless `on`; else one series per load and direction it issues, at interval `dt`.
  void start(const scenario::ScenarioSpec& spec, bool on) {
    if (!on || !spec.metrics.timeseries || spec.io.empty()) return;
    spec_ = &spec;
    dt_ = spec.metrics.interval.count();
    end_ = dt_;
    of_.assign(spec.io.size(), {none, none});
    for (std::size_t l = 0; l < spec.io.size(); ++l) {
      if (spec.io[l].read_fraction > 0) of_[l][0] = add_series(l, storage::IoKind::Read);
      if (spec.io[l].read_fraction < 1) of_[l][1] = add_series(l, storage::IoKind::Write);
    }
  }

  bool on() const { return dt_ > 0; }

  /// A request of load `load` completed now (`ok`: successfully, taking `response`, moving `bytes`).
  void add(std::size_t load, storage::IoKind kind, Time now, Duration response, std::uint64_t bytes, bool ok) {
    const std::uint32_t s = of_[load][kind == storage::IoKind::Read ? 0 : 1];
    if (s == none) return;  // not issued (read: 0 % never reads, 100 % never writes): unreachable
    const std::int64_t t = base::since_start(now).count();
    if (t > end_ || t <= end_ - dt_) {  // not in the interval of the previous completion
      k_ = t <= 0 ? 1 : (t - 1) / dt_ + 1;
      end_ = k_ * dt_;
    }
    Slot& slot = series_[s].slot[k_ & 1];
    if (!ok) {
      ++slot.errors;
      return;
    }
    const std::int64_t ns = response.count();
    ++slot.count;
    slot.bytes += bytes;
    slot.sum += ns;
    slot.max = std::max(slot.max, ns);
    slot.ns.push_back(ns);
  }

  /// The sampler's tick at `now` (a multiple of dt): closes the interval before it.
  void tick(Time now, SeriesOut& out) {
    if (!on()) return;
    const std::int64_t k = base::since_start(now).count() / dt_;
    if (k >= 2) close(k - 1, out);
    last_tick_ = k;
  }

  /// The run is over: closes the interval of the sampler's last tick.
  void finish(SeriesOut& out) {
    if (on() && last_tick_ >= 1) close(last_tick_, out);
  }

private:
  static constexpr std::uint32_t none = UINT32_MAX;
  struct Slot {
    std::uint64_t count = 0, errors = 0, bytes = 0;
    base::Int128 sum = 0;
    std::int64_t max = 0;
    std::vector<std::int64_t> ns;  // the interval's response times
  };
  struct Series {
    std::size_t load = 0;
    storage::IoKind kind{};
    Slot slot[2];
  };

  std::uint32_t add_series(std::size_t load, storage::IoKind kind) {
    series_.push_back(Series{load, kind, {}});
    return static_cast<std::uint32_t>(series_.size() - 1);
  }

  /// One row per series for interval k (ending at k dt); its slot is emptied for interval k + 2.
  void close(std::int64_t k, SeriesOut& out) {
    const Time at = base::at(Duration{k * dt_});
    const double dt = static_cast<double>(dt_);
    for (Series& s : series_) {
      Slot& slot = s.slot[k & 1];
      IoTimeseriesRow row;
      row.time = at;
      row.load = spec_->io[s.load].name;
      row.kind = storage::to_string(s.kind);
      row.count = slot.count;
      row.errors = slot.errors;
      row.bytes = slot.bytes;
      row.iops = static_cast<double>(slot.count) * 1e9 / dt;       // count / (dt / 1e9 s)
      row.mb_per_s = static_cast<double>(slot.bytes) * 1e3 / dt;   // bytes / 1e6 / (dt / 1e9 s)
      if (slot.count > 0) {
        const auto n = static_cast<base::Int128>(slot.count);
        row.mean = Duration{static_cast<std::int64_t>((2 * slot.sum + n) / (2 * n))};  // halves up (sum >= 0)
        // Nearest ranks: p50's, then p99's among the values from p50's place on (not smaller).
        std::vector<std::int64_t>& v = slot.ns;
        const std::size_t r50 = metrics::nearest_rank(v.size(), 5000), r99 = metrics::nearest_rank(v.size(), 9900);
        const auto p50 = v.begin() + static_cast<std::ptrdiff_t>(r50 - 1);
        const auto p99 = v.begin() + static_cast<std::ptrdiff_t>(r99 - 1);
        std::nth_element(v.begin(), p50, v.end());
        row.p50 = Duration{*p50};
        std::nth_element(p50, p99, v.end());
        row.p99 = Duration{*p99};
        row.max = Duration{slot.max};
      }
      out.add(std::move(row));
      slot.count = slot.errors = slot.bytes = 0;
      slot.sum = 0;
      slot.max = 0;
      slot.ns.clear();
    }
  }

  const scenario::ScenarioSpec* spec_ = nullptr;
  std::int64_t dt_ = 0;         // the interval in ns; 0: off
  std::int64_t k_ = 1;          // interval of the latest completion
  std::int64_t end_ = 0;        // its end, k_ dt_
  std::int64_t last_tick_ = 0;  // the sampler's latest tick, in intervals
  std::vector<Series> series_;  // by load, read before write
  std::vector<std::array<std::uint32_t, 2>> of_;  // per load and direction: its series (none: not issued)
};

/// The call an operation on an existing LUN makes (not for create_lun).
provider::LunCall lun_call(OpKind k) {
  switch (k) {
    case OpKind::ExtendLun: return provider::LunCall::Extend;
    case OpKind::ShrinkLun: return provider::LunCall::Shrink;
    case OpKind::RecoverLun: return provider::LunCall::Recover;
    case OpKind::DeleteLun: return provider::LunCall::Delete;
    case OpKind::CreateLun: break;
  }
  throw std::logic_error("lun_call: create_lun is not a call on an existing LUN");
}

struct Run {
  const scenario::ScenarioSpec& spec;
  Simulation& sim;
  scenario::World& world;
  RunResult& out;
  provider::Holder client = provider::Holder::client("reference");
  provider::BuiltinClient builtin = provider::BuiltinClient::Reference;  // RunOptions::client
  std::unique_ptr<provider::Provider> management;  // the provider object the robust client refreshes
  std::vector<Op<bool>> done;                        // per op: true when it succeeded
  std::map<std::string, std::size_t> op_index;
  std::map<std::string, provider::LunObject*> luns;  // by scenario name, once created
  std::map<std::pair<std::string, std::string>, std::size_t> io_index;  // (load, target/kind)

  /// Index of the record (records are appended, so hold indices across suspensions).
  std::size_t io_record(const std::string& load, const std::string& target, storage::IoKind kind) {
    const std::string k = target + "\n" + storage::to_string(kind);
    auto [it, inserted] = io_index.try_emplace({load, k}, out.io.size());
    if (inserted) out.io.push_back(IoRecord{load, target, storage::to_string(kind), 0, 0, base::never, {}, {}});
    return it->second;
  }

  /// Waits for the listed operations; false if one of them failed.
  Task<bool> wait_for_ops(std::vector<std::size_t> deps) {
    bool ok = true;
    for (std::size_t d : deps) ok = (co_await done[d]) && ok;
    co_return ok;
  }

  std::vector<std::size_t> deps_of(const std::vector<scenario::Located<std::string>>& after) const {
    std::vector<std::size_t> v;
    for (const auto& a : after) v.push_back(op_index.at(a.value));
    return v;
  }

  Task<> run_op(std::size_t i) {
    const scenario::OpSpec& op = spec.ops[i];
    OpRecord& rec = out.ops[i];
    if (op.at && *op.at > sim.now()) co_await sim.delay(*op.at - sim.now());
    rec.submitted = sim.now();
    std::vector<std::size_t> deps = deps_of(op.after);
    if (op.kind != OpKind::CreateLun) deps.push_back(op_index.at(op.lun.value));
    rec.status = OpStatus::Waiting;
    if (!co_await wait_for_ops(deps)) {
      rec.status = OpStatus::Skipped;
      done[i].succeed(false);
      co_return;
    }
    rec.started = sim.now();
    rec.status = OpStatus::InFlight;
    if (op.kind != OpKind::CreateLun)
      if (const provider::LunObject* l = luns.at(op.lun.value); l->lun() != nullptr) rec.size_before = l->lun()->size().value;
    rec.called = true;
    // Tag what the client's calls create and what fires on them: the first call is made before
    // the client first suspends; the robust client's later calls ask for the tag again.
    auto tag = [this, id = rec.id] {
      for (const auto& s : world.subsystems()) s->set_caller(id);
    };
    tag();
    provider::RobustOptions robust;
    robust.before_call = tag;
    provider::ClientRecord c;
    switch (op.kind) {
      case OpKind::CreateLun: {
        provider::Subsystem& sub = *world.subsystem(op.subsystem);
        std::vector<provider::ObjectId> ids;
        for (const auto& d : op.drives) ids.push_back(world.find_slot(d.value)->object->id());
        provider::Hints hints;
        hints.maximum_drive_count = op.drive_count;
        hints.stripe_size = op.stripe_size;
        hints.rebuild_priority = op.rebuild_priority;
        provider::CreateLunRequest request{op.lun_type, op.size, std::move(ids), hints};
        c = co_await provider::client_create_lun(builtin, management.get(), sub, std::move(request), client, robust);
        if (c.lun != nullptr) {
          luns[op.name] = c.lun;
          c.lun->set_friendly_name(op.name);
        }
        break;
      }
      case OpKind::ExtendLun:
      case OpKind::ShrinkLun:
      case OpKind::RecoverLun:
      case OpKind::DeleteLun: {
        provider::LunObject& lun = *luns.at(op.lun.value);
        provider::Subsystem& sub = lun.subsystem();
        c = co_await provider::client_change_lun(builtin, management.get(), sub, lun, lun_call(op.kind), op.by, client,
                                                 robust);
        break;
      }
    }
    rec.client = c;
    rec.completed = sim.now();
    rec.status = c.crashed ? OpStatus::Crashed : c.result.succeeded() ? OpStatus::Ok : OpStatus::Failed;
    const std::string& lun_name = op.kind == OpKind::CreateLun ? op.name : op.lun.value;
    if (auto it = luns.find(lun_name); it != luns.end() && it->second->lun() != nullptr) {
      rec.lun_size = it->second->lun()->size().value;
      rec.usable_after = it->second->usable();
    }
    done[i].succeed(rec.status == OpStatus::Ok);
  }

  std::vector<std::optional<std::vector<Target>>> resolved;  // per load, once its targets exist

  /// The load's targets, resolved when its first client starts (its LUNs then exist); LUNs
  /// whose creation failed drop out.
  std::vector<Target>& targets_of(std::size_t load) {
    if (resolved[load]) return *resolved[load];
    std::vector<Target>& t = resolved[load].emplace();
    const bool trace = spec.io[load].trace.has_value();
    for (const auto& name : spec.io[load].luns) {
      if (auto it = luns.find(name.value); it != luns.end() && it->second->lun() != nullptr) {
        t.push_back(Target{name.value, it->second->lun(), nullptr, it->second, it->second->lun()->size()});
      } else if (const scenario::DriveInfo* d = world.find_slot(name.value)) {
        t.push_back(Target{name.value, nullptr, &d->object->drive(), nullptr, d->object->drive().capacity()});
      } else if (trace) {
        // A trace's device keeps its place (the map's indices): its requests fail.
        t.push_back(Target{name.value, nullptr, nullptr, nullptr, base::Bytes{0}});
      } else {
        for (const scenario::DriveInfo& e : world.drives())
          if (e.enclosure() == name.value)
            t.push_back(Target{e.object->drive().name(), nullptr, &e.object->drive(), nullptr, e.object->drive().capacity()});
      }
    }
    return t;
  }

  /// A load's start: its `start` time, then its `after` operations and its LUNs' creation.
  Task<> load_begins(std::size_t load) {
    const scenario::IoSpec& io = spec.io[load];
    if (io.start > sim.now()) co_await sim.delay(io.start - sim.now());
    co_await wait_for_ops(load_deps(io));
  }

  std::vector<std::size_t> load_deps(const scenario::IoSpec& io) const {
    std::vector<std::size_t> deps = deps_of(io.after);
    for (const auto& name : io.luns)
      if (auto it = op_index.find(name.value); it != op_index.end()) deps.push_back(it->second);
    return deps;
  }

  void record(std::size_t load, Target& t, storage::IoKind kind, Time started, storage::IoStatus status) {
    record(load, t, kind, started, status, spec.io[load].size);
  }
  void record(std::size_t load, Target& t, storage::IoKind kind, Time started, storage::IoStatus status,
              base::Bytes size) {
    std::size_t& index = t.record[kind == storage::IoKind::Read ? 0 : 1];
    if (index == SIZE_MAX) {
      index = io_record(spec.io[load].name, t.name, kind);
      out.io[index].responses.reserve(expected_responses(load, kind));
    }
    if (intervals.on())
      intervals.add(load, kind, sim.now(), sim.now() - started, size.value, status == storage::IoStatus::Ok);
    IoRecord& r = out.io[index];
    if (status != storage::IoStatus::Ok) {
      ++r.errors;
      return;
    }
    r.bytes += size.value;
    r.responses.add(sim.now() - started);
    r.first_start = std::min(r.first_start, started);
    r.last_end = std::max(r.last_end, sim.now());
  }

  /// What a closed loop's target will record in one direction: the mean of its binomial share
  /// of clients x requests plus five standard deviations, so its sample is allocated once
  /// (no doubling, no copy) but in a rare run; 0 (grow as needed) for open loops. At most
  /// DurationSample::exact_limit values, the most a sample keeps (a load of 10^11 requests that
  /// the horizon cuts short must not reserve for all of them).
  std::size_t expected_responses(std::size_t load, storage::IoKind kind) const {
    static constexpr double max_reserved = metrics::DurationSample::exact_limit;
    const scenario::IoSpec& io = spec.io[load];
    if (io.open_loop || io.trace || io.requests == 0 || !resolved[load] || resolved[load]->empty()) return 0;
    const double share = kind == storage::IoKind::Read ? io.read_fraction : 1.0 - io.read_fraction;
    const double p = share / static_cast<double>(resolved[load]->size());
    const double n = static_cast<double>(io.clients) * static_cast<double>(io.requests);
    const double want = n * p + 5.0 * std::sqrt(n * p * (1.0 - p)) + 16.0;
    return static_cast<std::size_t>(std::min(want, max_reserved));  // also no overflowing cast
  }

  /// One host request on target `ti` of the load; records its response time (and, for a trace
  /// load, counts it in `replay` once it completed).
  Task<> one_request(std::size_t load, std::size_t ti, storage::IoKind kind, std::uint64_t offset, base::Bytes size,
                     ReplayRecord* replay = nullptr) {
    Target& t = (*resolved[load])[ti];
    const Time t0 = sim.now();
    storage::IoStatus status = storage::IoStatus::DeviceFailed;
    if (t.drive != nullptr) status = (co_await t.drive->io_at(kind, size, offset)).status;
    else if (t.lun_object == nullptr || t.lun_object->deleted()) status = storage::IoStatus::DeviceFailed;
    else if (provider::Fabric* f = world.fabric()) status = co_await f->io(*t.lun_object, kind, offset, size);
    else status = (co_await t.lun->io(kind, offset, size)).status;
    record(load, t, kind, t0, status, size);
    if (replay != nullptr) {
      ++replay->replayed;
      replay->bytes += size.value;
    }
  }

  // -- trace loads ----------------------------------------------------------------------------
  std::vector<std::size_t> replay_index;  // per load: its ReplayRecord in out.replays (SIZE_MAX: none)
  /// A closed-loop replay's reader of one device's requests, shared by its `depth` requesters.
  struct DeviceStream {
    trace::Reader reader;
    std::string device;
    std::uint32_t target = 0;
    bool next(trace::Record& rec) {
      while (reader.next(rec))
        if (rec.device == device) return true;
      return false;
    }
  };
  std::vector<std::unique_ptr<DeviceStream>> streams;

  /// False when a request of `size` bytes at `offset` does not fit target `t`.
  static bool fits(const Target& t, std::uint64_t offset, std::uint64_t size) {
    if (t.lun == nullptr && t.drive == nullptr) return true;  // no LUN (its creation failed): an error, not a skip
    return size <= t.size.value && offset <= t.size.value - size;
  }

  /// `timing: recorded`: each request at the load's start + its trace time / speed.
  Task<> replay_recorded(std::size_t load) {
    const scenario::IoSpec& io = spec.io[load];
    const scenario::TraceSpec& ts = *io.trace;
    co_await load_begins(load);
    targets_of(load);
    ReplayRecord* replay = &out.replays[replay_index[load]];
    trace::Reader reader(ts.path, ts.format, ts.path.string());
    const Time t0 = sim.now();
    const Time stop = std::min(io.stop.value_or(base::never), spec.horizon);
    trace::Record rec;
    while (reader.next(rec)) {
      const double scaled = static_cast<double>(rec.time.count()) / ts.speed;
      if (!(scaled < static_cast<double>((stop - t0).count()))) break;  // the rest is cut
      const Time at = t0 + Duration(static_cast<std::int64_t>(std::llround(scaled)));
      if (at > sim.now()) co_await sim.delay(at - sim.now());
      const auto ti = ts.target_of(rec.device);
      if (!ti || !fits((*resolved[load])[*ti], rec.offset, rec.size)) {
        ++replay->skipped;
        continue;
      }
      const storage::IoKind kind = rec.op == trace::Op::Read ? storage::IoKind::Read : storage::IoKind::Write;
      engine::spawn(sim, one_request(load, *ti, kind, rec.offset, base::Bytes{rec.size}, replay));
    }
  }

  /// `timing: closed`: one reader per mapped device, `depth` requests of it in flight.
  Task<> replay_closed(std::size_t load) {
    const scenario::IoSpec& io = spec.io[load];
    const scenario::TraceSpec& ts = *io.trace;
    co_await load_begins(load);
    targets_of(load);
    for (const std::string& device : ts.devices) {
      const auto ti = ts.target_of(device);
      if (!ti) continue;
      streams.push_back(std::make_unique<DeviceStream>(
          DeviceStream{trace::Reader(ts.path, ts.format, ts.path.string()), device, *ti}));
      for (std::uint32_t k = 0; k < ts.depth; ++k) engine::spawn(sim, replay_requester(load, *streams.back()));
    }
  }

  Task<> replay_requester(std::size_t load, DeviceStream& stream) {
    ReplayRecord* replay = &out.replays[replay_index[load]];
    trace::Record rec;
    while (stream.next(rec)) {
      if (!fits((*resolved[load])[stream.target], rec.offset, rec.size)) {
        ++replay->skipped;
        continue;
      }
      const storage::IoKind kind = rec.op == trace::Op::Read ? storage::IoKind::Read : storage::IoKind::Write;
      co_await one_request(load, stream.target, kind, rec.offset, base::Bytes{rec.size}, replay);
    }
  }

  std::uint64_t offset_for(const scenario::IoSpec& io, const Target& t, engine::RandomStream& rng, std::uint64_t& cursor) {
    const std::uint64_t slots = t.size.value / io.size.value;
    if (slots == 0) return 0;
    if (io.pattern == scenario::IoPattern::Sequential) return (cursor++ % slots) * io.size.value;
    return rng.below(slots) * io.size.value;
  }

  /// A closed-loop client's request loop when every target of its load is a drive, as a small
  /// state machine in one 128-byte record instead of the coroutine's frame (the hot path of
  /// large closed loops such as bench/drive-fifo.yaml: tens of thousands of clients whose frames
  /// do not stay in cache). It makes exactly the coroutine loop's draws, requests and events,
  /// with the same tags, in the same order: outputs are byte-identical either way.
  struct alignas(64) DriveLoop {
    storage::IoRequest request;
    engine::RandomStream rng{0};
    Run* run = nullptr;
    std::uint64_t issued = 0;   // requests issued so far
    std::uint32_t load = 0;
    std::uint32_t target = 0;   // of the request in flight
  };
  static_assert(sizeof(DriveLoop) == 128);
  bool coroutine_clients = false;                                        // RunOptions::coroutine_clients
  std::vector<std::unique_ptr<DriveLoop[]>> drive_loops;                 // per load, one per client
  std::vector<std::vector<std::coroutine_handle<>>> drive_loop_owners;   // resumed when a loop ends

  /// Runs client `c`'s requests through its DriveLoop; the coroutine resumes when they are done.
  struct DriveLoopAwaiter {
    Run& run;
    std::size_t load;
    std::uint32_t c;
    engine::RandomStream& rng;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) {
      auto& loops = run.drive_loops[load];
      if (!loops) {
        loops = std::make_unique<DriveLoop[]>(run.spec.io[load].clients);
        run.drive_loop_owners[load].resize(run.spec.io[load].clients);
      }
      DriveLoop& d = loops[c];
      d.rng = rng;
      d.run = &run;
      d.load = static_cast<std::uint32_t>(load);
      run.drive_loop_owners[load][c] = h;
      issue(d);
    }
    void await_resume() const noexcept {}
  };

  static void issue(DriveLoop& d) {
    Run& run = *d.run;
    const scenario::IoSpec& io = run.spec.io[d.load];
    const std::vector<Target>& targets = *run.resolved[d.load];
    d.target = targets.size() == 1 ? 0 : static_cast<std::uint32_t>(d.rng.below(targets.size()));
    storage::IoRequest& r = d.request;
    r = storage::IoRequest{};
    r.kind = d.rng.uniform01() < io.read_fraction ? storage::IoKind::Read : storage::IoKind::Write;
    r.size = io.size;
    r.on_complete = engine::Action{&drive_loop_done, &d, 0};
    ++d.issued;
    targets[d.target].drive->submit(r);
  }

  static void drive_loop_done(void* ctx, std::uint64_t) {
    DriveLoop& d = *static_cast<DriveLoop*>(ctx);
    Run& run = *d.run;
    const scenario::IoSpec& io = run.spec.io[d.load];
    // The coroutine's t0 is now() when it submitted: the request's submission time.
    run.record(d.load, (*run.resolved[d.load])[d.target], d.request.kind, d.request.submitted, d.request.status);
    if (io.requests == 0 || d.issued < io.requests) {
      const Duration think = io.think.sample(d.rng);
      // As Simulation::delay from inside this event: a resume event of the current entity.
      run.sim.schedule_in(think, engine::Action{&drive_loop_think, &d, 0},
                          engine::EventTag{engine::kinds::resume, run.sim.current_tag().entity});
    } else {
      const std::size_t c = static_cast<std::size_t>(&d - run.drive_loops[d.load].get());
      run.drive_loop_owners[d.load][c].resume();
    }
  }

  static void drive_loop_think(void* ctx, std::uint64_t) { issue(*static_cast<DriveLoop*>(ctx)); }

  Task<> closed_client(std::size_t load, std::uint32_t c) {
    const scenario::IoSpec& io = spec.io[load];
    co_await load_begins(load);
    std::vector<Target>& targets = targets_of(load);
    if (targets.empty()) co_return;
    engine::RandomStream rng = sim.stream("io/" + io.name + "/" + std::to_string(c));
    // Drives whose service ignores offsets take the DriveLoop path; position-aware ones (a disk's
    // mechanics) need each request's offset, drawn in the loop below.
    if (!coroutine_clients && std::all_of(targets.begin(), targets.end(), [](const Target& t) {
          return t.drive != nullptr && !t.drive->model().position_aware();
        })) {
      co_await DriveLoopAwaiter{*this, load, c, rng};
      co_return;
    }
    std::uint64_t cursor = 0;
    for (std::uint64_t k = 0; io.requests == 0 || k < io.requests; ++k) {
      Target& t = targets[targets.size() == 1 ? 0 : rng.below(targets.size())];
      const storage::IoKind kind = rng.uniform01() < io.read_fraction ? storage::IoKind::Read : storage::IoKind::Write;
      const Time t0 = sim.now();
      storage::IoStatus status = storage::IoStatus::DeviceFailed;
      // A drive request awaits in this frame (no allocation); a LUN request runs the RAID mapping.
      if (t.drive != nullptr && t.drive->model().position_aware())
        status = (co_await t.drive->io_at(kind, io.size, offset_for(io, t, rng, cursor))).status;
      else if (t.drive != nullptr) status = (co_await t.drive->io(kind, io.size)).status;
      else if (t.lun_object->deleted()) status = storage::IoStatus::DeviceFailed;
      else if (provider::Fabric* f = world.fabric())
        status = co_await f->io(*t.lun_object, kind, offset_for(io, t, rng, cursor), io.size);
      else status = (co_await t.lun->io(kind, offset_for(io, t, rng, cursor), io.size)).status;
      record(load, t, kind, t0, status);
      if (io.requests == 0 || k + 1 < io.requests) co_await sim.delay(io.think.sample(rng));
    }
  }

  Task<> open_loop(std::size_t load) {
    const scenario::IoSpec& io = spec.io[load];
    co_await load_begins(load);
    std::vector<Target>& targets = targets_of(load);
    if (targets.empty()) co_return;
    engine::RandomStream rng = sim.stream("io/" + io.name + "/arrivals");
    const engine::Distribution gap = engine::Distribution::exponential(io.rate.mean_interval());
    const Time stop = std::min(io.stop.value_or(base::never), spec.horizon);
    std::uint64_t cursor = 0;
    for (;;) {
      co_await sim.delay(gap.sample(rng));
      if (sim.now() >= stop) break;
      const std::size_t ti = targets.size() == 1 ? 0 : rng.below(targets.size());
      const storage::IoKind kind = rng.uniform01() < io.read_fraction ? storage::IoKind::Read : storage::IoKind::Write;
      engine::spawn(sim, one_request(load, ti, kind, offset_for(io, targets[ti], rng, cursor), io.size));
    }
  }

  /// A scheduled failure: whatever drive is in the named slot at that time fails.
  Task<> inject(std::size_t i) {
    const scenario::InjectionSpec& inj = spec.failures.inject[i];
    if (inj.at > sim.now()) co_await sim.delay(inj.at - sim.now());
    const scenario::DriveInfo* d = world.find_slot(inj.drive.value);
    d->object->subsystem().array().fail_drive(d->object->slot());
  }

  IoIntervals intervals;  // io_timeseries.csv (off unless RunOptions::tables and the sampler run)
  SeriesOut series;       // where the sampler's rows go

  /// A subsystem's drive totals at a tick (storage::DriveTotals, kept by its drives).
  struct Sample {
    base::Int128 busy = 0;  // ns
    std::uint64_t fg = 0;   // foreground completions
    std::uint64_t bg_bytes = 0;
  };

  /// Each tick costs O(subsystems), whatever the drive count: the sums over a subsystem's drives
  /// are its array's DriveTotals, exact integers (the same doubles as adding drive by drive,
  /// while the sums stay below 2^53: 104 days of busy time, 9 PB, per interval).
  Task<> sampler() {
    auto take = [&](const provider::Subsystem& sub) {
      const storage::DriveTotals& t = sub.array().drive_totals();
      return Sample{t.busy(sim.now()), t.completed(storage::IoClass::Foreground),
                    t.bytes(storage::IoClass::Background)};
    };
    std::vector<Sample> prev;
    for (const auto& sub : world.subsystems()) prev.push_back(take(*sub));
    const Duration dt = spec.metrics.interval;
    const double seconds = static_cast<double>(dt.count()) * 1e-9;
    for (;;) {
      co_await sim.delay(dt);
      if (sim.now() > spec.horizon) co_return;
      intervals.tick(sim.now(), series);
      for (std::size_t s = 0; s < prev.size(); ++s) {
        provider::Subsystem& sub = *world.subsystems()[s];
        const Sample cur = take(sub);
        const storage::DriveTotals& totals = sub.array().drive_totals();
        TimeseriesRow row;
        row.time = sim.now();
        row.subsystem = sub.config().name;
        const double busy = static_cast<double>(cur.busy - prev[s].busy);
        const double fg = static_cast<double>(cur.fg - prev[s].fg);
        const double bg = static_cast<double>(cur.bg_bytes - prev[s].bg_bytes);
        row.max_queue_depth = totals.queue_max();
        const double n = static_cast<double>(std::max<std::size_t>(1, sub.drive_count()));
        row.mean_queue_depth = static_cast<double>(totals.queue_sum()) / n;
        row.utilization = busy / (n * static_cast<double>(dt.count()));
        row.foreground_iops = fg / seconds;
        row.background_mb_per_s = bg / seconds / 1e6;
        for (const auto& h : sub.handles())
          if (!h->finishing()) ++row.jobs_running;
        series.add(std::move(row));
        prev[s] = cur;
      }
      if (spec.horizon == base::never && sim.events_pending() == 0) co_return;
    }
  }
};

void collect(const scenario::ScenarioSpec& spec, scenario::World& world, bool tables, RunResult& out) {
  if (!tables) {
    // What the summary metrics read: the drives' utilization and queue length.
    out.drives.reserve(world.drives().size());
    for (const auto& d : world.drives()) {
      const storage::DriveStats s = d.object->drive().stats();
      DriveRecord r;
      r.utilization = s.utilization;
      r.mean_queue_length = s.mean_queue_length;
      out.drives.push_back(std::move(r));
    }
    return;
  }
  for (const auto& sub : world.subsystems())
    for (const auto& l : sub->luns()) {
      if (l->lun_model() == nullptr) continue;
      const storage::Lun& lun = *l->lun_model();
      LunRecord r;
      r.name = l->friendly_name().empty() ? lun.name() : l->friendly_name();
      r.object = l->name();
      r.object_id = l->id().to_string();
      r.subsystem = sub->config().name;
      r.type = to_string(l->lun_type());
      r.size = lun.size().value;
      r.members = lun.geometry().members;
      for (const storage::Drive* d : lun.members()) r.member_drives += (r.member_drives.empty() ? "" : ";") + d->name();
      r.stripe_unit = lun.stripe_unit().value;
      r.status = to_string(l->status());
      r.health = to_string(l->health());
      r.deleted = l->deleted();
      out.luns.push_back(std::move(r));
    }
  out.drives.reserve(world.drives().size());
  for (const auto& d : world.drives()) {
    const storage::Drive& drive = d.object->drive();
    const storage::DriveStats s = drive.stats();
    DriveRecord r;
    r.generation = d.object->subsystem().array().generation(d.object->slot());
    r.status = d.object->status();
    r.capacity = drive.capacity().value;
    r.used = drive.used_bytes().value;
    r.hot_spare = drive.hot_spare();
    r.utilization = s.utilization;
    r.mean_queue_length = s.mean_queue_length;
    r.max_queue_length = s.max_queue_length;
    r.completed[0] = s.completed[0];
    r.completed[1] = s.completed[1];
    r.bytes[0] = s.bytes[0].value;
    r.bytes[1] = s.bytes[1].value;
    out.drives.push_back(std::move(r));
  }
  (void)spec;
}

void collect_reliability(const scenario::World& world, Time end, ReliabilityRecord& r) {
  // Importance sampling: the windows still biased at the end count up to it.
  for (const auto& sub : world.subsystems()) sub->array().settle_weights();
  double world_log = 0;
  for (const auto& sub : world.subsystems()) world_log += sub->reliability().log_weight;
  r.weight = std::exp(world_log);
  const storage::DataLoss* first = nullptr;
  double first_rest = 0;  // the other subsystems' log ratios at the end
  for (const auto& sub : world.subsystems()) {
    const storage::ReliabilityStats& st = sub->reliability();
    std::map<std::string, bool> seen;
    for (const storage::DataLoss& l : st.losses) {
      if (first == nullptr || l.time < first->time) {
        first = &l;
        first_rest = world_log - st.log_weight;
      }
      r.weighted_bytes_lost += std::exp(l.log_weight) * static_cast<double>(l.bytes.value);
      if (l.whole_lun) r.weighted_losses += std::exp(l.log_weight);
      if (seen.emplace(l.lun, true).second) r.weighted_groups_with_loss += std::exp(l.log_weight);
    }
  }
  if (first != nullptr) r.weighted_loss = std::exp(first->system_log_weight + first_rest);
  for (const auto& sub : world.subsystems()) {
    const storage::ReliabilityStats& st = sub->reliability();
    r.drive_failures += st.drive_failures;
    r.replacements += st.replacements;
    r.rebuilds_started += st.rebuilds_started;
    r.rebuilds_completed += st.rebuilds_completed;
    r.latent_errors += st.latent_errors;
    std::map<std::string, bool> lost;
    for (const storage::DataLoss& l : st.losses) {
      r.log.push_back(LossRecord{l.time, sub->config().name, l.lun, l.bytes.value, l.whole_lun});
      r.bytes_lost += l.bytes.value;
      (l.whole_lun ? r.losses : r.sector_losses) += 1;
      r.first_loss = std::min(r.first_loss, l.time);
      lost[l.lun] = true;
    }
    for (const auto& l : sub->luns()) {
      if (l->online_since() == base::never || l->lun_model() == nullptr) continue;
      ++r.groups;
      const std::string& name = l->friendly_name().empty() ? l->name() : l->friendly_name();
      if (lost.contains(name)) ++r.groups_with_loss;
      const Time stop = std::min(l->deleted_at(), end);
      if (stop > l->online_since()) r.group_hours += static_cast<double>((stop - l->online_since()).count()) / 3.6e12;
      r.degraded_hours += static_cast<double>(l->degraded_time(end).count()) / 3.6e12;
      r.usable_bytes += l->lun_model()->size().value;
    }
  }
  std::stable_sort(r.log.begin(), r.log.end(), [](const LossRecord& a, const LossRecord& b) { return a.time < b.time; });
}

/// Judges every operation a fault fired on, as `lunsim check` judges its cells (check.hpp):
/// hang, not_exercised, then detected/undetected for lies, ok/undetected for the others.
void judge(const scenario::ScenarioSpec& spec, const scenario::World& world, const provider::FaultPlan& plan,
           const std::map<std::string, provider::LunObject*>& luns, RunResult& out) {
  for (OpRecord& rec : out.ops) {
    const provider::FaultEvent* event = nullptr;
    for (const auto& e : plan.events())
      if (e.caller == rec.id) {
        if (event == nullptr) event = &e;
        rec.faults_fired.push_back(plan.fault(e.fault).behavior);
      }
    // Orphans: LUNs its calls put on the array that the client did not return (one whose
    // deletion the client asked for and the provider refused is known to it: no orphan).
    const auto known = luns.find(rec.name);
    for (const auto& sub : world.subsystems())
      for (const auto& l : sub->luns())
        if (l->creator() == rec.id && !l->deleted() && !l->delete_refused() && l->lun_model() != nullptr &&
            (known == luns.end() || known->second != l.get()))
          ++rec.orphaned_luns;
    if (event == nullptr) continue;
    const provider::Behavior b = plan.fault(event->fault).behavior;
    rec.fault = provider::to_string(b);
    Evidence e;
    e.finished = rec.status == OpStatus::Ok || rec.status == OpStatus::Failed || rec.status == OpStatus::Crashed;
    e.crashed = rec.status == OpStatus::Crashed;
    e.exercised = event->exercised;
    e.client_success = rec.status == OpStatus::Ok;
    e.client_failed = rec.status == OpStatus::Failed;
    e.truthful_success = e.client_success;
    e.usable_left = false;
    e.retried = rec.client.attempts > 1;
    if (rec.kind != OpKind::CreateLun && (rec.size_before || rec.kind == OpKind::RecoverLun)) {
      // The truth of a change: did the LUN move as asked (extend, shrink) or go (delete)? A
      // failure is true when nothing moved; a success when all of it did. (Recover: no effect
      // to measure.)
      const auto& op = spec.ops[rec.id - 1];
      const provider::LunObject* lun = luns.count(op.lun.value) != 0 ? luns.at(op.lun.value) : nullptr;
      const std::uint64_t before = rec.size_before.value_or(0);
      const std::uint64_t after = rec.lun_size.value_or(before);
      bool all = false, some = false;
      switch (rec.kind) {
        case OpKind::ExtendLun: all = after >= before + op.by.value; some = after > before; break;
        case OpKind::ShrinkLun: all = after + op.by.value <= before; some = after < before; break;
        case OpKind::RecoverLun: all = true; break;  // nothing to measure: a success is taken as true
        default: all = some = lun != nullptr && lun->deleted(); break;
      }
      e.truthful_success = e.client_success && all;
      e.usable_left = some;  // a reported failure with an effect is not the truth
    }
    if (rec.kind == OpKind::CreateLun) {
      const auto& op = spec.ops[rec.id - 1];
      // Judged when the client returned (the workflow may delete the LUN later).
      e.truthful_success = e.client_success && known != luns.end() && rec.usable_after && rec.lun_size &&
                           *rec.lun_size >= op.size.value;
      for (const auto& sub : world.subsystems())
        for (const auto& l : sub->luns())
          if (l->creator() == rec.id && l->usable()) e.usable_left = true;
    }
    // A lie that changed nothing the client reports (null_payload on a shrink, which has no
    // payload; a fault tagged to this operation that hit another call): its success is the
    // truth. (How it treated the protocol is judged apart: client-violations.csv.)
    // Busy and cache_corrupt are seen by whoever calls next: a truthful success without a retry
    // means this operation's calls did not meet them.
    const bool transient = b == provider::Behavior::Busy || b == provider::Behavior::CacheCorrupt;
    if (provider::is_lie(b) && (!transient || !e.retried) && e.finished && e.client_success && e.truthful_success) {
      rec.verdict = to_string(Verdict::Ok);
      continue;
    }
    rec.verdict = to_string(decide(b, e));
  }
}

} // namespace

namespace {

/// The foreign clients of a run (RunOptions::compat) and the provider they see.
class ForeignClients {
public:
  ForeignClients(Simulation& sim, scenario::World& world, const CompatClients* c) : world_(&world) {
    if (c == nullptr) return;
    provider_ = std::make_unique<provider::Provider>(world.ledger(), "provider", world.faults());
    for (const auto& s : world.subsystems()) provider_->add_subsystem(*s);
    provider::Subsystem* target = world.subsystems().empty() ? nullptr : world.subsystems().front().get();
    if (!c->subsystem.empty()) target = world.subsystem(c->subsystem);
    clients_.reserve(c->count);
    for (std::uint32_t k = 1; k <= c->count; ++k) {
      std::string holder = c->count == 1 ? c->entry.name : c->entry.name + "#" + std::to_string(k);
      clients_.push_back(std::make_unique<com::Client>(sim, *provider_, target, c->entry,
                                                       provider::Holder::client(std::move(holder)), c->service,
                                                       c->client));
      clients_.back()->start();
    }
  }
  /// The run is over: hung clients stay as they are; callers' references are dropped.
  void end() {
    for (auto& c : clients_) c->end();
  }
  void collect(const std::vector<provider::Ledger::Outstanding>& refs, const provider::Ledger& ledger,
               std::vector<ClientResult>& out) const {
    for (const auto& c : clients_) {
      ClientResult r;
      r.holder = c->holder().name;
      r.entry = c->entry().name;
      r.kind = c->entry().kind();
      r.outcome = c->outcome();
      for (const auto& o : refs)
        if (o.holder == c->holder()) r.leaked_refs += o.count;
      r.violations = ledger.violations_by(r.holder);
      const com::Outcome& o = c->outcome();
      for (std::size_t k = 0; k < o.luns.size(); ++k) {
        const provider::LunObject* l = o.luns[k];
        if (l->deleted()) continue;
        if (!l->usable() || l->lun_model() == nullptr || l->lun_model()->size() < o.luns_asked[k]) ++r.untrue_luns;
      }
      for (const auto& s : world_->subsystems())
        for (const auto& l : s->luns()) {
          const bool handed = std::find(o.luns.begin(), o.luns.end(), l.get()) != o.luns.end();
          if (l->usable() && !handed) r.usable_left = true;
          if (l->deleted() || l->lun_model() == nullptr) continue;
          if (!handed) ++r.unknown_luns;
        }
      r.stack_bytes = c->stack_bytes();
      r.memory_bytes = c->memory_bytes();
      out.push_back(std::move(r));
    }
  }

private:
  scenario::World* world_;
  std::unique_ptr<provider::Provider> provider_;
  std::vector<std::unique_ptr<com::Client>> clients_;  // torn down before the provider
};

/// One run on a built (or reset) simulation and world.
void execute(const scenario::ScenarioSpec& spec, const RunOptions& options, Simulation& sim, scenario::World& world,
             RunResult& out) {
  Collector collector;
  collector.events = &out.events_log;
  collector.trace = &out.trace;
  sim.set_trace(options.trace ? &collector : nullptr);
  for (const auto& s : world.subsystems()) s->set_sink(options.events ? &collector : nullptr);
  if (provider::Fabric* f = world.fabric()) f->set_sink(options.events ? &collector : nullptr);
  Run run{spec, sim, world, out, provider::Holder::client(std::string(provider::builtin_client_names.name(options.client))),
          options.client, nullptr, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
  if (options.client == provider::BuiltinClient::Robust) {
    run.management = std::make_unique<provider::Provider>(world.ledger(), "provider", world.faults());
    for (const auto& s : world.subsystems()) run.management->add_subsystem(*s);
  }
  run.resolved.resize(spec.io.size());
  run.coroutine_clients = options.coroutine_clients;
  run.drive_loops.resize(spec.io.size());
  run.drive_loop_owners.resize(spec.io.size());
  run.intervals.start(spec, options.tables);
  run.series.sink = options.tables ? options.series : nullptr;
  run.series.keep = options.tables && options.series == nullptr ? &out : nullptr;
  out.series_streamed = options.tables && options.series != nullptr;
  out.ops.resize(spec.ops.size());
  for (std::size_t i = 0; i < spec.ops.size(); ++i) {
    run.done.push_back(Op<bool>::create(sim));
    run.op_index[spec.ops[i].name] = i;
    OpRecord& rec = out.ops[i];
    rec.id = static_cast<std::uint32_t>(i + 1);
    rec.kind = spec.ops[i].kind;
    rec.name = spec.ops[i].name;
    rec.target = spec.ops[i].kind == OpKind::CreateLun ? world.subsystem(spec.ops[i].subsystem)->config().name
                                                       : spec.ops[i].lun.value;
  }
  for (std::size_t i = 0; i < spec.ops.size(); ++i) engine::spawn(sim, run.run_op(i));
  run.replay_index.assign(spec.io.size(), SIZE_MAX);
  for (std::size_t l = 0; l < spec.io.size(); ++l)
    if (const auto& ts = spec.io[l].trace) {
      run.replay_index[l] = out.replays.size();
      out.replays.push_back(ReplayRecord{spec.io[l].name, ts->file, std::string(trace::format_names.name(ts->format)),
                                         std::string(scenario::trace_timing_names.name(ts->timing)), ts->records, 0, 0,
                                         0, 0});
    }
  for (std::size_t l = 0; l < spec.io.size(); ++l) {
    if (spec.io[l].trace) {
      if (spec.io[l].trace->timing == scenario::TraceTiming::Recorded) engine::spawn(sim, run.replay_recorded(l));
      else engine::spawn(sim, run.replay_closed(l));
    } else if (spec.io[l].open_loop) engine::spawn(sim, run.open_loop(l));
    else
      for (std::uint32_t c = 0; c < spec.io[l].clients; ++c) engine::spawn(sim, run.closed_client(l, c));
  }
  for (std::size_t i = 0; i < spec.failures.inject.size(); ++i) engine::spawn(sim, run.inject(i));
  if (spec.metrics.timeseries) engine::spawn(sim, run.sampler());
  ForeignClients foreign(sim, world, options.compat);
  sim.interrupt_on(options.interrupt);
  if (spec.horizon == base::never) sim.run();
  else sim.run_until(spec.horizon);
  if (sim.interrupted()) throw Interrupted{};
  run.intervals.finish(run.series);
  for (ReplayRecord& r : out.replays) r.cut = r.records - std::min(r.records, r.replayed + r.skipped);
  out.end = sim.now();
  out.events = sim.events_processed();
  out.fingerprint = sim.fingerprint();
  for (std::uint32_t k = 0; k < sim.kind_count(); ++k) out.kind_names.push_back(sim.kind_name(k));
  // Operations the horizon cut short keep what they had.
  for (OpRecord& rec : out.ops)
    if (rec.status == OpStatus::Waiting) rec.status = OpStatus::NotStarted;
  collect(spec, world, options.tables, out);
  if (const provider::Fabric* f = world.fabric()) out.fabric = f->stats();
  out.reliability.enabled = spec.reliability();
  if (out.reliability.enabled) {
    out.reliability.weighted = spec.estimator.importance_sampling();
    collect_reliability(world, out.end, out.reliability);
  }
  if (const provider::FaultPlan* plan = world.faults()) judge(spec, world, *plan, run.luns, out);
  // The scenario runner's own references on the LUNs it created are not leaks.
  for (auto& [name, lun] : run.luns)
    if (!lun->deleted()) lun->release(run.client);
  foreign.end();
  out.references = world.ledger().outstanding();
  out.client_violations = world.ledger().violations();
  out.ops_client = run.client.name;
  foreign.collect(out.references, world.ledger(), out.clients);
  // An operation during which its client broke the protocol says so.
  for (OpRecord& rec : out.ops)
    for (const provider::ClientViolation& v : out.client_violations)
      if (rec.called && v.client == run.client.name && v.time >= rec.started &&
          (rec.completed == base::never || v.time <= rec.completed))
        rec.verdict = "client_violation";
  if (const provider::FaultPlan* plan = world.faults()) {
    out.fault_events = plan->events();
    out.violations = plan->violations();
  }
  // Nothing may point at this run's collector once it is gone.
  sim.set_trace(nullptr);
  for (const auto& s : world.subsystems()) s->set_sink(nullptr);
  if (provider::Fabric* f = world.fabric()) f->set_sink(nullptr);
}

} // namespace

struct Replicator::Model {
  Model(const scenario::ScenarioSpec& spec, std::uint64_t replication) : sim(spec.seed, replication), world(sim, spec) {
    sim.mark();
  }
  Simulation sim;
  scenario::World world;
};

Replicator::Replicator(const scenario::ScenarioSpec& spec) : spec_(&spec) {}
Replicator::~Replicator() = default;
Replicator::Replicator(Replicator&&) noexcept = default;

RunResult Replicator::run(const RunOptions& options) {
  const auto wall0 = std::chrono::steady_clock::now();
  const scenario::ScenarioSpec& spec = *spec_;
  RunResult out;
  out.seed = spec.seed;
  out.replication = options.replication;
  out.horizon = spec.horizon;
  // Fresh when tracing (the kind list must be exactly the run's) or with a fault plan (its
  // state is not reset); otherwise the previous model is reset.
  const bool fresh = options.trace || options.compat != nullptr || !spec.faults.empty();
  const bool reuse = model_ != nullptr && !fresh;
  if (reuse) {
    model_->sim.reset(spec.seed, options.replication);
    model_->world.reset();
  } else {
    model_.reset();
    model_ = std::make_unique<Model>(spec, options.replication);
  }
  execute(spec, options, model_->sim, model_->world, out);
  if (fresh) model_.reset();
  out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  return out;
}

RunResult run_scenario(const scenario::ScenarioSpec& spec, const RunOptions& options) {
  return Replicator(spec).run(options);
}

RunResult run_compat_client(const scenario::ScenarioSpec& spec, const com::Entry& entry, CompatClients clients) {
  clients.entry = entry;
  RunOptions options;
  options.compat = &clients;
  return run_scenario(spec, options);
}

} // namespace sim::runner

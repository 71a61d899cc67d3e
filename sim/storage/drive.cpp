#include "sim/storage/drive.hpp"

#include "sim/base/int128.hpp"
#include "sim/engine/completion.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <stdexcept>

namespace sim::storage {

namespace {
constexpr std::size_t fg = 0;
constexpr std::size_t bg = 1;
constexpr std::size_t index_of(IoClass c) { return c == IoClass::Foreground ? fg : bg; }
} // namespace

const char* to_string(DriveState s) {
  switch (s) {
    case DriveState::Online: return "online";
    case DriveState::NotReady: return "not_ready";
    case DriveState::Offline: return "offline";
    case DriveState::Failed: return "failed";
    case DriveState::Removed: return "removed";
  }
  return "unknown";
}

const char* to_string(IoKind k) { return k == IoKind::Read ? "read" : "write"; }
const char* to_string(IoClass c) { return c == IoClass::Foreground ? "foreground" : "background"; }

const char* to_string(IoStatus s) {
  switch (s) {
    case IoStatus::Pending: return "pending";
    case IoStatus::Ok: return "ok";
    case IoStatus::DeviceFailed: return "device_failed";
    case IoStatus::Cancelled: return "cancelled";
  }
  return "unknown";
}

Drive::Drive(engine::Simulation& sim, std::string name, const DriveModel& model, std::uint32_t entity)
    : sim_(&sim), model_(&model), name_(std::move(name)), entity_(entity),
      complete_kind_(sim.register_kind("drive.complete")), stats_start_(sim.now()) {}

void Drive::Ring::grow() {
  const std::uint32_t capacity = std::max<std::uint32_t>(8, 2 * this->capacity());
  auto grown = std::make_unique<Queued[]>(capacity);
  for (std::uint32_t i = 0; i < count_; ++i) grown[i] = slots_[(head_ + i) & mask_];
  slots_ = std::move(grown);
  mask_ = capacity - 1;
  head_ = 0;
}

std::uint32_t Drive::Ring::find(const IoRequest* r) const {
  std::uint32_t i = 0;
  while (i < count_ && slots_[(head_ + i) & mask_].request != r) ++i;
  return i;
}

void Drive::Ring::erase_at(std::uint32_t i) {
  for (std::uint32_t j = i + 1; j < count_; ++j) slots_[(head_ + j - 1) & mask_] = slots_[(head_ + j) & mask_];
  --count_;
}

Drive::Activity& Drive::activity() {
  if (!act_) {
    act_ = std::make_unique<Activity>();
    act_->last_change = sim_->now();
  }
  return *act_;
}

void Drive::account_queue(Activity& a) {
  const base::Time now = sim_->now();
  const std::uint32_t length = a.queue[fg].size() + a.queue[bg].size() + (a.in_service != nullptr ? 1u : 0u);
  a.queue_area += static_cast<double>(length) * static_cast<double>((now - a.last_change).count());
  a.last_change = now;
}

void Drive::submit(IoRequest& r) {
  if (r.priority > 15) throw std::invalid_argument("drive " + name_ + ": background priority above 15");
  if (state_ == DriveState::Failed || state_ == DriveState::Offline) {
    r.submitted = sim_->now();
    reject(r);
    return;
  }
  Activity& a = activity();
  account_queue(a);
  r.status = IoStatus::Pending;
  r.submitted = sim_->now();
  a.queue[index_of(r.io_class)].push_back(Queued{&r, r.size, r.offset, r.kind, r.priority});
  a.max_queue = std::max(a.max_queue, queue_length());
  queue_changed(queue_length() - 1);
  if (a.in_service == nullptr) start_next();
}

bool Drive::withdraw(IoRequest& r) {
  if (!act_) return false;
  Ring& queue = act_->queue[index_of(r.io_class)];
  const std::uint32_t at = queue.find(&r);
  if (at == queue.size()) return false;
  account_queue(*act_);
  queue.erase_at(at);
  queue_changed(queue_length() + 1);
  r.status = IoStatus::Cancelled;
  r.completed = sim_->now();
  return true;
}

base::Duration Drive::transfer(base::Bytes size) {
  const base::Rate rate = model_->bandwidth;
  if (rate.is_unlimited() || size.value == 0) return base::Duration::zero();
  if (rate.bytes_per_second == 0) return base::forever;
  const base::UInt128 r = rate.bytes_per_second;
  const base::UInt128 total = base::UInt128{size.value} * 1'000'000'000u;
  const base::UInt128 owed = total > act_->carry ? total - act_->carry : 0;
  const base::UInt128 ns = base::ceil_div(owed, r);
  act_->carry = static_cast<std::uint64_t>(ns * r - owed);  // < rate: fits in 64 bits
  if (ns > static_cast<base::UInt128>(base::forever.count())) return base::forever;
  return base::Duration{static_cast<std::int64_t>(ns)};
}

base::Duration Drive::positioned(Activity& a, const Queued& q, base::Time at) {
  const DiskMechanics& m = *model_->mechanics;
  base::Duration t{};
  if (!(a.streaming && q.offset == a.head)) {
    const base::Duration seek = m.seek(std::fabs(m.radius(q.offset) - m.radius(a.head)), q.kind == IoKind::Write);
    t = seek + m.rotational_wait(q.offset, base::saturating_add(at, seek));
  }
  t = base::saturating_add(t, m.transfer(q.offset, q.size));
  a.head = q.offset + q.size.value;
  a.streaming = true;
  a.carry = 0;
  return t;
}

base::Duration Drive::written(Activity& a, base::Bytes size) {
  const base::Rate fast = model_->write_bandwidth.value_or(model_->bandwidth);
  a.carry = 0;  // the exact carry is the read rate's (transfer()); writes here round each on its own
  if (!model_->write_buffer) return size / fast;
  const WriteBuffer& b = *model_->write_buffer;
  const base::Time now = sim_->now();
  const double drained = static_cast<double>(b.sustained.bytes_per_second) * static_cast<double>((now - a.buffer_at).count()) * 1e-9;
  a.buffered = std::max(0.0, a.buffered - drained);
  a.buffer_at = now;
  const double room = std::max(0.0, static_cast<double>(b.size.value) - a.buffered);
  const std::uint64_t quick = static_cast<std::uint64_t>(std::min(static_cast<double>(size.value), std::floor(room)));
  const base::Duration t = base::saturating_add(base::Bytes{quick} / fast, base::Bytes{size.value - quick} / b.sustained);
  if (quick < size.value) {
    // The buffer filled: the rest went through it at the rate it drains, so it is still full
    // when the write ends, and drains from then on.
    a.buffered = static_cast<double>(b.size.value);
    a.buffer_at = base::saturating_add(now, t);
  } else {
    a.buffered += static_cast<double>(quick);
  }
  return t;
}

void Drive::start_next() {
  Activity& a = *act_;
  assert(a.in_service == nullptr);
  const bool fg_waits = !a.queue[fg].empty();
  const bool bg_waits = !a.queue[bg].empty();
  if (!fg_waits && !bg_waits) {
    a.carry = 0;  // idle: the next transfer starts on a fresh nanosecond
    a.served[fg] = a.served[bg] = base::Duration::zero();
    return;
  }
  std::size_t c;
  if (fg_waits && bg_waits) {
    // Background share w/16 with w = p + 1: serve background while its service, weighted by the
    // foreground's share, stays below the foreground's weighted by the background's.
    const std::int64_t w = a.queue[bg].front().priority + 1;
    c = a.served[bg].count() * (16 - w) < a.served[fg].count() * w ? bg : fg;
  } else {
    c = fg_waits ? fg : bg;
    a.served[fg] = a.served[bg] = base::Duration::zero();
  }
  const Queued q = a.queue[c].pop_front();
  // The request is read and written again when it completes, a service time from now: start
  // bringing it (both of its cache lines) back into the cache now.
  __builtin_prefetch(q.request, 1);
  __builtin_prefetch(reinterpret_cast<const char*>(q.request) + sizeof(IoRequest) - 1, 1);
  a.in_service = q.request;
  a.started = sim_->now();
  // Foreground: the latency law first (a disk's command overhead, before it positions).
  base::Duration overhead{};
  if (c == fg) {
    const auto& law = q.kind == IoKind::Read ? model_->read_latency : model_->write_latency;
    if (!a.rng) a.rng.emplace(sim_->stream("drive/" + name_));
    overhead = law.sample(*a.rng);
  }
  const base::Duration work =
      model_->mechanics ? positioned(a, q, base::saturating_add(sim_->now(), overhead))
      : q.kind == IoKind::Write && (model_->write_bandwidth || model_->write_buffer) ? written(a, q.size)
                                                                                    : transfer(q.size);
  base::Duration t = base::saturating_add(overhead, work);
  if (fg_waits && bg_waits) a.served[c] += t;
  const base::Duration busy_before = a.busy;
  a.busy = base::saturating_add(a.busy, t);
  a.service_end = base::saturating_add(sim_->now(), t);
  if (totals_ != nullptr) {
    totals_->busy_ += (a.busy - busy_before).count();
    totals_->ends_ += base::since_start(a.service_end).count();
    ++totals_->serving_;
  }
  sim_->schedule_in(t, engine::Action::member<Drive, &Drive::finish>(this, epoch_),
                    engine::EventTag{complete_kind_, entity_});
}

void Drive::on_rejected(void* request, std::uint64_t) {
  auto* r = static_cast<IoRequest*>(request);
  if (r->on_complete) r->on_complete();
}

void Drive::reject(IoRequest& r) {
  r.status = IoStatus::DeviceFailed;
  r.started = r.completed = sim_->now();
  sim_->schedule_in(base::Duration::zero(), engine::Action{&Drive::on_rejected, &r, 0},
                    engine::EventTag{complete_kind_, entity_});
}

void Drive::fail() {
  if (state_ == DriveState::Failed) return;
  stop(DriveState::Failed);
}

void Drive::go_offline() {
  if (state_ == DriveState::Online) stop(DriveState::Offline);
}

void Drive::come_online() {
  if (state_ == DriveState::Offline) state_ = DriveState::Online;
}

void Drive::stop(DriveState s) {
  state_ = s;
  ++epoch_;  // the completion event of the request in service no longer counts
  if (!act_) return;  // nothing ever queued: nothing to account or reject
  Activity& a = *act_;
  account_queue(a);
  const std::uint32_t length = queue_length();
  if (a.in_service != nullptr) {
    service_ended(a);
    if (a.service_end > sim_->now()) {
      if (totals_ != nullptr) totals_->busy_ -= (a.service_end - sim_->now()).count();
      a.busy -= a.service_end - sim_->now();
    }
    a.service_end = sim_->now();
    IoRequest* r = a.in_service;
    a.in_service = nullptr;
    reject(*r);
  }
  for (std::size_t c : {fg, bg})
    while (!a.queue[c].empty()) reject(*a.queue[c].pop_front().request);
  queue_changed(length);
  a.carry = 0;
  a.served[fg] = a.served[bg] = base::Duration::zero();
}

void Drive::reset(const std::string& name) {
  if (name != name_) name_ = name;
  ++epoch_;
  state_ = DriveState::Online;
  hot_spare_ = false;
  if (act_) {
    // Keep the allocation (and the rings' capacity) for the next replication.
    Activity& a = *act_;
    const std::uint32_t length = queue_length();
    if (a.in_service != nullptr) service_ended(a);
    a.queue[fg].clear();
    a.queue[bg].clear();
    a.in_service = nullptr;
    queue_changed(length);
    a.served[fg] = a.served[bg] = base::Duration::zero();
    a.carry = 0;
    a.rng.reset();
    a.service_end = base::Time{};
    a.head = 0;
    a.streaming = false;
    a.buffered = 0;
    a.buffer_at = sim_->now();
  }
  reset_stats();
  extents_.clear();
  used_ = base::Bytes{};
  if (on_usage_) on_usage_();
}

void Drive::replace(std::string name) {
  if (state_ != DriveState::Failed) throw std::logic_error("drive " + name_ + ": replaced while not failed");
  name_ = std::move(name);
  if (act_) {
    act_->rng.reset();
    act_->head = 0;  // a new drive: its head parked at the outer edge, its buffer empty
    act_->streaming = false;
    act_->buffered = 0;
    act_->buffer_at = sim_->now();
  }
  state_ = DriveState::Online;
  hot_spare_ = false;
  extents_.clear();
  used_ = base::Bytes{};
  if (on_usage_) on_usage_();
}

void Drive::finish(std::uint64_t epoch) {
  if (epoch != epoch_) return;  // the drive failed meanwhile; fail() completed the request
  Activity& a = *act_;
  IoRequest* r = a.in_service;
  account_queue(a);
  service_ended(a);
  a.in_service = nullptr;
  queue_changed(queue_length() + 1);
  r->started = a.started;
  r->completed = sim_->now();
  r->status = state_ == DriveState::Online ? IoStatus::Ok : IoStatus::DeviceFailed;
  const std::size_t c = index_of(r->io_class);
  ++a.completed[c];
  a.bytes[c] += r->size;
  if (totals_ != nullptr) {
    ++totals_->completed_[c];
    totals_->bytes_[c] += r->size.value;
  }
  // on_complete runs before the next request is chosen, so a submitter that queues its next
  // request from there (a job keeping one chunk outstanding, a closed-loop client) keeps its
  // class backlogged: the deficit counters and the transfer carry continue instead of
  // restarting at every completion. A submit() from on_complete starts the next request itself
  // (the drive is idle); otherwise it starts here. `r` may be gone once on_complete has run.
  const engine::Action done = r->on_complete;
  if (done) {
    try {
      done();
    } catch (...) {
      if (a.in_service == nullptr) start_next();
      throw;
    }
  }
  if (a.in_service == nullptr) start_next();
}

void Drive::IoAwaiter::await_suspend(std::coroutine_handle<> h) {
  r_.on_complete = engine::resume_action(h);
  d_->submit(r_);
}

DriveStats Drive::stats() const {
  DriveStats s;
  if (!act_) return s;  // never had a request: all zero
  const Activity& a = *act_;
  const base::Time now = sim_->now();
  const double elapsed = static_cast<double>((now - stats_start_).count());
  // Busy time counts each service in full when it starts; take off what is still ahead.
  base::Duration busy = a.busy;
  if (a.in_service != nullptr && a.service_end > now) busy -= a.service_end - now;
  s.busy = busy;
  s.completed[0] = a.completed[0];
  s.completed[1] = a.completed[1];
  s.bytes[0] = a.bytes[0];
  s.bytes[1] = a.bytes[1];
  const double area = a.queue_area + static_cast<double>(queue_length()) * static_cast<double>((now - a.last_change).count());
  s.mean_queue_length = elapsed > 0 ? area / elapsed : 0.0;
  s.max_queue_length = a.max_queue;
  s.utilization = elapsed > 0 ? std::min(1.0, static_cast<double>(busy.count()) / elapsed) : 0.0;
  return s;
}

void Drive::reset_stats() {
  stats_start_ = sim_->now();
  if (!act_) return;
  Activity& a = *act_;
  if (totals_ != nullptr) {
    totals_->busy_ -= a.busy.count();
    for (std::size_t c : {fg, bg}) {
      totals_->completed_[c] -= a.completed[c];
      totals_->bytes_[c] -= a.bytes[c].value;
    }
  }
  a.last_change = stats_start_;
  a.busy = base::Duration::zero();
  a.queue_area = 0;
  a.max_queue = queue_length();
  a.completed[0] = a.completed[1] = 0;
  a.bytes[0] = a.bytes[1] = base::Bytes{};
}

void Drive::join(DriveTotals& totals) {
  if (totals_ != nullptr) throw std::logic_error("drive " + name_ + ": already counted in totals");
  totals_ = &totals;
  if (!act_) return;  // never had a request: nothing to add
  const Activity& a = *act_;
  totals.busy_ += a.busy.count();
  if (a.in_service != nullptr) {
    totals.ends_ += base::since_start(a.service_end).count();
    ++totals.serving_;
  }
  for (std::size_t c : {fg, bg}) {
    totals.completed_[c] += a.completed[c];
    totals.bytes_[c] += a.bytes[c].value;
  }
  totals.queue_changed(0, queue_length());
}

void Drive::service_ended(const Activity& a) {
  if (totals_ == nullptr) return;
  totals_->ends_ -= base::since_start(a.service_end).count();
  --totals_->serving_;
}

void DriveTotals::queue_changed(std::uint32_t from, std::uint32_t to) {
  if (from == to) return;
  queue_sum_ = queue_sum_ + to - from;
  if (from > 0) --at_length_[from];
  if (to > 0) {
    if (at_length_.size() <= to) at_length_.resize(std::size_t{to} + 1);
    ++at_length_[to];
  }
  if (to > queue_max_) queue_max_ = to;
  else
    while (queue_max_ > 0 && at_length_[queue_max_] == 0) --queue_max_;
}

bool Drive::allocate(base::Bytes size, std::uint32_t owner, std::vector<Extent>* pieces) {
  if (size > free_bytes()) return false;
  // First fit: walk the holes between extents (in offset order), filling each in turn.
  base::Bytes left = size;
  std::uint64_t cursor = 0;
  std::size_t i = 0;
  while (left.value > 0) {
    const bool at_end = i >= extents_.size();
    const std::uint64_t hole_end = at_end ? capacity().value : extents_[i].offset;
    if (hole_end > cursor) {
      const std::uint64_t take = std::min(hole_end - cursor, left.value);
      const Extent e{cursor, base::Bytes{take}, owner};
      extents_.insert(extents_.begin() + static_cast<std::ptrdiff_t>(i), e);
      if (pieces != nullptr) pieces->push_back(e);
      left.value -= take;
      cursor += take;
      ++i;  // extents_[i] is now the extent that closed the hole, if any
      continue;
    }
    assert(!at_end);  // free space was checked
    cursor = extents_[i].offset + extents_[i].size.value;
    ++i;
  }
  used_ += size;
  if (on_usage_) on_usage_();
  return true;
}

base::Bytes Drive::free_owner(std::uint32_t owner) {
  base::Bytes freed{};
  std::erase_if(extents_, [&](const Extent& e) {
    if (e.owner != owner) return false;
    freed += e.size;
    return true;
  });
  used_ -= freed;
  if (on_usage_) on_usage_();
  return freed;
}

base::Bytes Drive::free_tail(std::uint32_t owner, base::Bytes size) {
  base::Bytes freed{};
  for (std::size_t i = extents_.size(); i-- > 0 && freed < size;) {
    Extent& e = extents_[i];
    if (e.owner != owner) continue;
    const base::Bytes take{std::min(e.size.value, (size - freed).value)};
    e.size -= take;
    freed += take;
    if (e.size.value == 0) extents_.erase(extents_.begin() + static_cast<std::ptrdiff_t>(i));
  }
  used_ -= freed;
  if (on_usage_) on_usage_();
  return freed;
}

base::Bytes Drive::owned_by(std::uint32_t owner) const {
  base::Bytes n{};
  for (const Extent& e : extents_)
    if (e.owner == owner) n += e.size;
  return n;
}

} // namespace sim::storage

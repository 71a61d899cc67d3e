#include "sim/storage/drive.hpp"

#include "sim/base/int128.hpp"
#include "sim/engine/completion.hpp"

#include <algorithm>
#include <cassert>
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
      complete_kind_(sim.register_kind("drive.complete")), stats_start_(sim.now()), last_change_(sim.now()) {}

void Drive::account_queue() {
  const base::Time now = sim_->now();
  queue_area_ += static_cast<double>(queue_length()) * static_cast<double>((now - last_change_).count());
  last_change_ = now;
}

void Drive::submit(IoRequest& r) {
  if (r.priority > 15) throw std::invalid_argument("drive " + name_ + ": background priority above 15");
  if (state_ == DriveState::Failed || state_ == DriveState::Offline) {
    r.submitted = sim_->now();
    reject(r);
    return;
  }
  account_queue();
  const std::size_t c = index_of(r.io_class);
  r.status = IoStatus::Pending;
  r.submitted = sim_->now();
  r.next_ = nullptr;
  if (tail_[c] != nullptr) tail_[c]->next_ = &r;
  else head_[c] = &r;
  tail_[c] = &r;
  ++queued_;
  max_queue_ = std::max(max_queue_, queue_length());
  if (in_service_ == nullptr) start_next();
}

bool Drive::withdraw(IoRequest& r) {
  const std::size_t c = index_of(r.io_class);
  IoRequest* prev = nullptr;
  for (IoRequest* p = head_[c]; p != nullptr; prev = p, p = p->next_) {
    if (p != &r) continue;
    account_queue();
    if (prev != nullptr) prev->next_ = p->next_;
    else head_[c] = p->next_;
    if (tail_[c] == p) tail_[c] = prev;
    p->next_ = nullptr;
    --queued_;
    p->status = IoStatus::Cancelled;
    p->completed = sim_->now();
    return true;
  }
  return false;
}

IoRequest* Drive::pop(IoClass cls) {
  const std::size_t c = index_of(cls);
  IoRequest* r = head_[c];
  head_[c] = r->next_;
  if (head_[c] == nullptr) tail_[c] = nullptr;
  r->next_ = nullptr;
  --queued_;
  return r;
}

base::Duration Drive::transfer(base::Bytes size) {
  const base::Rate rate = model_->bandwidth;
  if (rate.is_unlimited() || size.value == 0) return base::Duration::zero();
  if (rate.bytes_per_second == 0) return base::forever;
  const base::UInt128 r = rate.bytes_per_second;
  const base::UInt128 total = base::UInt128{size.value} * 1'000'000'000u;
  const base::UInt128 owed = total > carry_ ? total - carry_ : 0;
  const base::UInt128 ns = base::ceil_div(owed, r);
  carry_ = static_cast<std::uint64_t>(ns * r - owed);  // < rate: fits in 64 bits
  if (ns > static_cast<base::UInt128>(base::forever.count())) return base::forever;
  return base::Duration{static_cast<std::int64_t>(ns)};
}

void Drive::start_next() {
  assert(in_service_ == nullptr);
  const bool fg_waits = head_[fg] != nullptr;
  const bool bg_waits = head_[bg] != nullptr;
  if (!fg_waits && !bg_waits) {
    carry_ = 0;  // idle: the next transfer starts on a fresh nanosecond
    served_[fg] = served_[bg] = base::Duration::zero();
    return;
  }
  IoClass cls;
  if (fg_waits && bg_waits) {
    // Background share w/16 with w = p + 1: serve background while its service, weighted by the
    // foreground's share, stays below the foreground's weighted by the background's.
    const std::int64_t w = head_[bg]->priority + 1;
    const bool pick_bg = served_[bg].count() * (16 - w) < served_[fg].count() * w;
    cls = pick_bg ? IoClass::Background : IoClass::Foreground;
  } else {
    cls = fg_waits ? IoClass::Foreground : IoClass::Background;
    served_[fg] = served_[bg] = base::Duration::zero();
  }
  IoRequest* r = pop(cls);
  in_service_ = r;
  r->started = sim_->now();
  base::Duration t = transfer(r->size);
  if (cls == IoClass::Foreground) {
    const auto& law = r->kind == IoKind::Read ? model_->read_latency : model_->write_latency;
    if (!rng_) rng_ = std::make_unique<engine::RandomStream>(sim_->stream("drive/" + name_));
    t = base::saturating_add(law.sample(*rng_), t);
  }
  if (fg_waits && bg_waits) served_[index_of(cls)] += t;
  busy_ = base::saturating_add(busy_, t);
  service_end_ = base::saturating_add(sim_->now(), t);
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
  r.next_ = nullptr;
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
  account_queue();
  state_ = s;
  ++epoch_;  // the completion event of the request in service no longer counts
  if (in_service_ != nullptr) {
    if (service_end_ > sim_->now()) busy_ -= service_end_ - sim_->now();
    service_end_ = sim_->now();
    IoRequest* r = in_service_;
    in_service_ = nullptr;
    reject(*r);
  }
  for (std::size_t c : {fg, bg})
    while (head_[c] != nullptr) reject(*pop(c == fg ? IoClass::Foreground : IoClass::Background));
  carry_ = 0;
  served_[fg] = served_[bg] = base::Duration::zero();
}

void Drive::reset(const std::string& name) {
  if (name != name_) name_ = name;
  rng_.reset();
  head_[0] = head_[1] = tail_[0] = tail_[1] = nullptr;
  in_service_ = nullptr;
  queued_ = 0;
  ++epoch_;
  state_ = DriveState::Online;
  hot_spare_ = false;
  served_[0] = served_[1] = base::Duration::zero();
  carry_ = 0;
  service_end_ = base::Time{};
  reset_stats();
  extents_.clear();
  used_ = base::Bytes{};
  if (on_usage_) on_usage_();
}

void Drive::replace(std::string name) {
  if (state_ != DriveState::Failed) throw std::logic_error("drive " + name_ + ": replaced while not failed");
  name_ = std::move(name);
  rng_.reset();
  state_ = DriveState::Online;
  hot_spare_ = false;
  extents_.clear();
  used_ = base::Bytes{};
  if (on_usage_) on_usage_();
}

void Drive::finish(std::uint64_t epoch) {
  if (epoch != epoch_) return;  // the drive failed meanwhile; fail() completed the request
  IoRequest* r = in_service_;
  account_queue();
  in_service_ = nullptr;
  r->completed = sim_->now();
  r->status = state_ == DriveState::Online ? IoStatus::Ok : IoStatus::DeviceFailed;
  const std::size_t c = index_of(r->io_class);
  ++completed_[c];
  bytes_[c] += r->size;
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
      if (in_service_ == nullptr) start_next();
      throw;
    }
  }
  if (in_service_ == nullptr) start_next();
}

void Drive::IoAwaiter::await_suspend(std::coroutine_handle<> h) {
  r_.on_complete = engine::resume_action(h);
  d_->submit(r_);
}

DriveStats Drive::stats() const {
  DriveStats s;
  const base::Time now = sim_->now();
  const double elapsed = static_cast<double>((now - stats_start_).count());
  // Busy time counts each service in full when it starts; take off what is still ahead.
  base::Duration busy = busy_;
  if (in_service_ != nullptr && service_end_ > now) busy -= service_end_ - now;
  s.busy = busy;
  s.completed[0] = completed_[0];
  s.completed[1] = completed_[1];
  s.bytes[0] = bytes_[0];
  s.bytes[1] = bytes_[1];
  const double area = queue_area_ + static_cast<double>(queue_length()) * static_cast<double>((now - last_change_).count());
  s.mean_queue_length = elapsed > 0 ? area / elapsed : 0.0;
  s.max_queue_length = max_queue_;
  s.utilization = elapsed > 0 ? std::min(1.0, static_cast<double>(busy.count()) / elapsed) : 0.0;
  return s;
}

void Drive::reset_stats() {
  stats_start_ = last_change_ = sim_->now();
  busy_ = base::Duration::zero();
  queue_area_ = 0;
  max_queue_ = queue_length();
  completed_[0] = completed_[1] = 0;
  bytes_[0] = bytes_[1] = base::Bytes{};
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

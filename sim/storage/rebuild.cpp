#include "sim/storage/rebuild.hpp"

#include "sim/base/int128.hpp"

#include <algorithm>

namespace sim::storage {

void Rebuild::on_read(void* self, std::uint64_t) {
  auto* r = static_cast<Rebuild*>(self);
  r->owner_->read_done(*r);
}

void Rebuild::on_write(void* self, std::uint64_t) {
  auto* r = static_cast<Rebuild*>(self);
  r->owner_->write_done(*r);
}

void Rebuild::on_timer(void* self, std::uint64_t) {
  auto* r = static_cast<Rebuild*>(self);
  r->timer_ = engine::EventId{};
  r->owner_->finished(*r);
}

RebuildEngine::RebuildEngine(engine::Simulation& sim, const RepairConfig& config, base::Bytes chunk_size,
                             engine::RandomStream& rng, Listener& listener)
    : sim_(&sim), config_(&config), chunk_(chunk_size), rng_(&rng), listener_(&listener) {}

Rebuild& RebuildEngine::acquire() {
  Rebuild* r;
  if (!free_.empty()) {
    r = free_.back();
    free_.pop_back();
  } else {
    pool_.push_back(std::make_unique<Rebuild>());
    r = pool_.back().get();
    r->owner_ = this;
  }
  r->group = nullptr;
  r->member = 0;
  r->target = nullptr;
  r->base = r->total = 0;
  r->sources.clear();
  r->source_base.clear();
  r->priority = 0;
  r->read_issued_ = r->written_ = r->reading_ = r->ready_ = 0;
  r->reads_pending_ = 0;
  r->writing_ = false;
  r->active_ = true;
  return *r;
}

void RebuildEngine::begin(Rebuild& r, engine::EventTag tag) {
  ++running_;
  switch (config_->mode) {
    case RebuildMode::Law: {
      const base::Duration t = config_->rebuild_duration.sample(*rng_);
      r.timer_ = sim_->schedule_cancellable_at(base::saturating_add(sim_->now(), t),
                                               engine::Action{&Rebuild::on_timer, &r, 0}, tag);
      return;
    }
    case RebuildMode::Coarse: {
      const std::uint64_t chunk = chunk_.value;
      auto times = [&](base::Bytes c) {
        base::Duration rd{};
        for (const Drive* src : r.sources) rd = std::max(rd, base::transfer_time(c, src->model().read_stream_rate()));
        return std::pair{rd, base::transfer_time(c, r.target->model().write_stream_rate())};
      };
      auto add = [](base::Time t, base::Duration d, std::uint64_t times_d) {
        const base::Int128 v = static_cast<base::Int128>(t.time_since_epoch().count()) +
                               static_cast<base::Int128>(d.count()) * static_cast<base::Int128>(times_d);
        return v >= static_cast<base::Int128>(base::never.time_since_epoch().count())
                   ? base::never
                   : base::Time{base::Duration{static_cast<std::int64_t>(v)}};
      };
      const std::uint64_t full = r.total / chunk, rest = r.total % chunk;
      base::Time write_start = sim_->now(), write_done = sim_->now();
      if (full > 0) {
        const auto [a, b] = times(base::Bytes{chunk});
        write_start = add(add(sim_->now(), a, 1), std::max(a, b), full - 1);
        write_done = add(write_start, b, 1);
      }
      if (rest > 0) {
        const auto [a, b] = times(base::Bytes{rest});
        write_start = std::max(add(write_start, a, 1), write_done);
        write_done = add(write_start, b, 1);
      }
      r.timer_ = sim_->schedule_cancellable_at(write_done, engine::Action{&Rebuild::on_timer, &r, 0}, tag);
      return;
    }
    case RebuildMode::Io:
      r.reads_.resize(r.sources.size());
      step(r);
      return;
  }
}

void RebuildEngine::step(Rebuild& r) {
  if (r.total == 0) {
    finished(r);
    return;
  }
  // Write the chunk read, if the target is free.
  if (r.ready_ > 0 && !r.writing_) {
    r.write_ = IoRequest{};
    r.write_.kind = IoKind::Write;
    r.write_.io_class = IoClass::Background;
    r.write_.priority = r.priority;
    r.write_.size = base::Bytes{r.ready_};
    r.write_.offset = r.base + r.written_;
    r.write_.on_complete = engine::Action{&Rebuild::on_write, &r, 0};
    r.writing_ = true;
    r.ready_ = 0;
    ++r.outstanding_;
    r.target->submit(r.write_);
  }
  // Read the next chunk, if the buffer is free and nothing is being read.
  if (r.ready_ == 0 && r.reads_pending_ == 0 && r.read_issued_ < r.total) {
    r.reading_ = std::min(chunk_.value, r.total - r.read_issued_);
    if (r.sources.empty()) {
      r.ready_ = r.reading_;
      r.read_issued_ += r.reading_;
      step(r);
      return;
    }
    r.reads_pending_ = static_cast<std::uint32_t>(r.sources.size());
    for (std::size_t i = 0; i < r.sources.size(); ++i) {
      IoRequest& q = r.reads_[i];
      q = IoRequest{};
      q.kind = IoKind::Read;
      q.io_class = IoClass::Background;
      q.priority = r.priority;
      q.size = base::Bytes{r.reading_};
      q.offset = r.source_base[i] + r.read_issued_;
      q.on_complete = engine::Action{&Rebuild::on_read, &r, 0};
      ++r.outstanding_;
    }
    r.read_issued_ += r.reading_;
    for (std::size_t i = 0; i < r.sources.size(); ++i) r.sources[i]->submit(r.reads_[i]);
  }
}

void RebuildEngine::read_done(Rebuild& r) {
  --r.outstanding_;
  if (!r.active_) {
    give_back(r);
    return;
  }
  if (--r.reads_pending_ > 0) return;
  r.ready_ = r.reading_;
  step(r);
}

void RebuildEngine::write_done(Rebuild& r) {
  --r.outstanding_;
  if (!r.active_) {
    give_back(r);
    return;
  }
  r.writing_ = false;
  r.written_ += r.write_.size.value;
  if (r.written_ >= r.total) {
    finished(r);
    return;
  }
  step(r);
}

void RebuildEngine::finished(Rebuild& r) { listener_->rebuild_done(r); }

void RebuildEngine::release(Rebuild& r) {
  if (!r.active_) return;
  r.active_ = false;
  --running_;
  sim_->cancel(r.timer_);
  r.timer_ = engine::EventId{};
  // Requests still queued are withdrawn; one in service completes later and frees the object.
  for (std::size_t i = 0; i < r.reads_.size() && i < r.sources.size(); ++i)
    if (r.reads_[i].status == IoStatus::Pending && r.sources[i]->withdraw(r.reads_[i])) --r.outstanding_;
  if (r.writing_ && r.write_.status == IoStatus::Pending && r.target->withdraw(r.write_)) --r.outstanding_;
  give_back(r);
}

void RebuildEngine::give_back(Rebuild& r) {
  if (r.outstanding_ == 0) free_.push_back(&r);
}

void RebuildEngine::reset() {
  running_ = 0;
  free_.clear();
  for (const auto& r : pool_) {
    r->active_ = false;
    r->outstanding_ = 0;
    r->timer_ = engine::EventId{};
    free_.push_back(r.get());
  }
}

} // namespace sim::storage

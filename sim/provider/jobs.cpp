#include "sim/provider/job.hpp"

#include <algorithm>
#include <cmath>

namespace sim::provider {

bool Subsystem::fault_is(const Job& job, Behavior b) const {
  return job.fault && faults_ != nullptr && faults_->fault(*job.fault).behavior == b;
}

void Subsystem::begin_job(Job& job) {
  if (!config_.initialize) {
    for (auto& b : job.remaining) b = base::Bytes{};
  }
  for (const base::Bytes& b : job.remaining) job.total += b;
  base::Duration latency = config_.management_latency.sample(latency_rng_);
  if (fault_is(job, Behavior::Slow)) {
    const double scaled = static_cast<double>(latency.count()) * faults_->fault(*job.fault).factor;
    latency = scaled >= 9.2e18 ? base::forever : base::Duration{static_cast<std::int64_t>(std::llround(scaled))};
  }
  job.latency_timer = sim_->schedule_cancellable_at(base::saturating_add(sim_->now(), latency),
                                                    engine::Action{&Job::on_latency, &job, 0},
                                                    engine::EventTag{job_kind_, ledger_id()});
}

void Subsystem::start_job(Job& job) {
  job.latency_timer = engine::EventId{};
  if (job.total.value == 0) {
    if (fault_is(job, Behavior::OpFails)) {
      roll_back(job);
      finish_job(job, faults_->fault(*job.fault).hresult.value_or(default_hresult(Behavior::OpFails)));
      return;
    }
    finish_job(job, hr::s_ok);
    return;
  }
  job.chunks.resize(job.drives.size());
  for (std::size_t m = 0; m < job.drives.size(); ++m) {
    if (job.remaining[m].value == 0) continue;
    storage::IoRequest& r = job.chunks[m];
    r.kind = storage::IoKind::Write;
    r.io_class = storage::IoClass::Background;
    r.priority = config_.provisioning_priority;
    r.size = base::Bytes{std::min(config_.chunk_size.value, job.remaining[m].value)};
    r.offset = job.next_offset[m];
    r.on_complete = engine::Action{&Job::on_chunk, &job, m};
    job.drives[m]->submit(r);
  }
}

void Subsystem::job_chunk_done(Job& job, std::size_t m) {
  if (job.finished) return;
  storage::IoRequest& r = job.chunks[m];
  if (r.status != storage::IoStatus::Ok) {
    // The drive failed or went offline under the job (a job started on such a drive meets it
    // here): it fails and rolls back, as fail_jobs_on does for jobs already running.
    roll_back(job);
    finish_job(job, hr::vds_e_lun_disk_failed);
    return;
  }
  job.done += r.size;
  job.remaining[m] -= r.size;
  job.next_offset[m] += r.size.value;
  const auto percent = static_cast<std::uint32_t>(base::UInt128{job.done.value} * 100 / job.total.value);
  // After a percent_regresses drop the job keeps reporting 20 points low: the drop lasts.
  const std::uint32_t offset = job.regressed ? 20 : 0;
  job.handle->set_percent(percent > offset ? percent - offset : 0);
  if (job.fault) {
    const FaultSpec& f = faults_->fault(*job.fault);
    const bool crossed = static_cast<double>(job.done.value) >= f.at_fraction * static_cast<double>(job.total.value);
    if (crossed && f.behavior == Behavior::OpFails) {
      roll_back(job);
      finish_job(job, f.hresult.value_or(default_hresult(Behavior::OpFails)));
      return;
    }
    if (crossed && f.behavior == Behavior::PercentRegresses && !job.regressed) {
      job.regressed = true;
      job.handle->force_percent(percent > 20 ? percent - 20 : 0);
    }
  }
  if (job.remaining[m].value > 0) {
    r.size = base::Bytes{std::min(config_.chunk_size.value, job.remaining[m].value)};
    r.offset = job.next_offset[m];
    job.drives[m]->submit(r);
    return;
  }
  for (const base::Bytes& b : job.remaining)
    if (b.value > 0) return;
  if (fault_is(job, Behavior::RestartLoop)) {
    const FaultSpec& f = faults_->fault(*job.fault);
    if (f.forever || job.restarts < f.restarts) {
      // The work falls back to 0 % and starts over (a repair job that restarts forever).
      ++job.restarts;
      job.done = base::Bytes{};
      job.remaining = job.added;
      job.next_offset = job.first_offset;
      job.handle->force_percent(0);
      start_job(job);
      return;
    }
  }
  finish_job(job, hr::s_ok);
}

void Subsystem::finish_job(Job& job, HResult result) {
  if (!job.finished) --jobs_running_;
  job.finished = true;
  LunObject& lun = *job.lun;
  lun.busy_ = false;
  if (result.succeeded()) {
    switch (job.kind) {
      case Job::Kind::Create: {
        lun.set_status(LunStatus::Online, Health::Healthy);
        lun.online_since_ = sim_->now();
        AsyncHandle& h = *job.handle;
        const Behavior b = job.fault ? faults_->fault(*job.fault).behavior : Behavior::None;
        VdsObject* payload = &lun;
        switch (b) {
          case Behavior::WrongOutputType: h.report_output_type(AsyncOutputType::ExtendLun); break;
          case Behavior::NullPayload: payload = nullptr; break;
          case Behavior::NoInterface: lun.no_interface_ = true; break;
          case Behavior::WaitFails:
            h.fail_wait(faults_->fault(*job.fault).hresult.value_or(default_hresult(Behavior::WaitFails)));
            break;
          case Behavior::LeakedReference: lun.add_ref(Holder::provider()); break;
          case Behavior::StaleObject:
            // Deleted behind the client's back right after creation.
            for (storage::Drive* d : job.drives) d->free_owner(lun.number_);
            unhold_all(lun);
            disown(lun);
            lun.deleted_ = true;
            lun.stale_ = true;
            lun.status_ = LunStatus::Offline;
            emit(NotificationEvent::LunDepart, lun, "deleted behind the client's back (stale_object)");
            break;
          default: break;
        }
        h.complete(result, payload);
        if (b == Behavior::CompletesTwice)
          sim_->schedule_in(faults_->fault(*job.fault).after,
                            engine::Action{[](void* a, std::uint64_t) { static_cast<AsyncHandle*>(a)->complete_again(); },
                                           &h, 0},
                            engine::EventTag{job_kind_, ledger_id()});
        return;
      }
      case Job::Kind::Extend:
        lun.lun_->resize(job.geometry, job.member_bytes);
        lun.set_transition(TransitionState::Stable);
        break;
      case Job::Kind::Shrink: {
        const auto& before = lun.lun_->member_bytes();
        for (std::size_t m = 0; m < job.drives.size(); ++m)
          job.drives[m]->free_tail(lun.number_, before[m] - job.member_bytes[m]);
        lun.lun_->resize(job.geometry, job.member_bytes);
        lun.set_transition(TransitionState::Stable);
        break;
      }
    }
    if (fault_is(job, Behavior::WaitFails))
      job.handle->fail_wait(faults_->fault(*job.fault).hresult.value_or(default_hresult(Behavior::WaitFails)));
    if (fault_is(job, Behavior::WrongOutputType)) job.handle->report_output_type(AsyncOutputType::CreateLun);
  }
  job.handle->complete(result, nullptr);
}

void Subsystem::roll_back(Job& job) {
  sim_->cancel(job.latency_timer);
  for (std::size_t m = 0; m < job.chunks.size(); ++m) job.drives[m]->withdraw(job.chunks[m]);
  LunObject& lun = *job.lun;
  if (job.kind == Job::Kind::Create) {
    for (storage::Drive* d : job.drives) d->free_owner(lun.number_);
    unhold_all(lun);
    disown(lun);
    lun.deleted_ = true;
    lun.status_ = LunStatus::Offline;
    emit(NotificationEvent::LunDepart, lun, "creation rolled back");
  } else if (job.kind == Job::Kind::Extend) {
    for (std::size_t m = 0; m < job.drives.size(); ++m) job.drives[m]->free_tail(lun.number_, job.added[m]);
    lun.set_transition(TransitionState::Stable);
  } else {
    lun.set_transition(TransitionState::Stable);
  }
}

HResult Subsystem::cancel_job(Job& job) {
  if (job.finished) return hr::vds_e_cancel_too_late;
  if (job.kind == Job::Kind::Shrink) return hr::vds_e_not_supported;
  roll_back(job);
  finish_job(job, hr::vds_e_operation_canceled);
  return hr::s_ok;
}

} // namespace sim::provider

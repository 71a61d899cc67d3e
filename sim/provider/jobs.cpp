#include "sim/provider/jobs.hpp"

#include "sim/base/int128.hpp"
#include "sim/provider/subsystem.hpp"

#include <algorithm>

namespace sim::provider {

struct JobRunner::Job {
  JobRunner* runner = nullptr;
  Plan plan;
  AsyncHandle* handle = nullptr;
  CallFault fault;
  std::vector<base::Bytes> remaining;      // bytes still to initialise per member
  std::vector<std::uint64_t> next_offset;  // where the next chunk goes, per member
  std::vector<storage::IoRequest> chunks;  // the outstanding chunk of each member
  base::Bytes total{};
  base::Bytes done{};
  engine::EventId latency_timer{};
  bool finished = false;
  std::uint32_t restarts = 0;              // restart_loop restarts done
  bool regressed = false;                  // percent_regresses applied

  static void on_latency(void* self, std::uint64_t) {
    auto* j = static_cast<Job*>(self);
    j->latency_timer = engine::EventId{};
    j->runner->write(*j);
  }
  static void on_chunk(void* self, std::uint64_t member) {
    auto* j = static_cast<Job*>(self);
    j->runner->chunk_done(*j, static_cast<std::size_t>(member));
  }
};

JobRunner::JobRunner(Subsystem& owner) : owner_(&owner), kind_(owner.simulation().register_kind("provider.job")) {}

JobRunner::~JobRunner() = default;

void JobRunner::start(Plan plan, AsyncHandle& handle, const CallFault& fault) {
  jobs_.push_back(std::make_unique<Job>());
  Job& job = *jobs_.back();
  ++running_;
  job.runner = this;
  job.handle = &handle;
  job.fault = fault;
  job.remaining = plan.added;
  job.next_offset = plan.first_offset;
  job.plan = std::move(plan);
  fault.attach(handle);
  if (job.plan.kind != Kind::Shrink) handle.on_cancel = [this, &job] { return cancel(job); };
  if (!owner_->config().initialize)
    for (auto& b : job.remaining) b = base::Bytes{};
  for (const base::Bytes& b : job.remaining) job.total += b;
  const base::Duration latency = owner_->fault_points().at_job_start(fault, owner_->management_latency());
  job.latency_timer = owner_->simulation().schedule_cancellable_at(base::saturating_add(owner_->simulation().now(), latency),
                                                                   engine::Action{&Job::on_latency, &job, 0},
                                                                   engine::EventTag{kind_, owner_->ledger_id()});
}

void JobRunner::write(Job& job) {
  if (job.total.value == 0) {
    if (const auto failure = owner_->fault_points().at_no_work(job.fault)) {
      roll_back(job);
      finish(job, *failure);
      return;
    }
    finish(job, hr::s_ok);
    return;
  }
  const auto& config = owner_->config();
  job.chunks.resize(job.plan.drives.size());
  for (std::size_t m = 0; m < job.plan.drives.size(); ++m) {
    if (job.remaining[m].value == 0) continue;
    storage::IoRequest& r = job.chunks[m];
    r.kind = storage::IoKind::Write;
    r.io_class = storage::IoClass::Background;
    r.priority = config.provisioning_priority;
    r.size = base::Bytes{std::min(config.chunk_size.value, job.remaining[m].value)};
    r.offset = job.next_offset[m];
    r.on_complete = engine::Action{&Job::on_chunk, &job, m};
    job.plan.drives[m]->submit(r);
  }
}

void JobRunner::chunk_done(Job& job, std::size_t m) {
  if (job.finished) return;
  storage::IoRequest& r = job.chunks[m];
  if (r.status != storage::IoStatus::Ok) {
    // The drive failed or went offline under the job (a job started on such a drive meets it
    // here): it fails and rolls back, as fail_jobs_on does for jobs already running.
    roll_back(job);
    finish(job, hr::vds_e_lun_disk_failed);
    return;
  }
  job.done += r.size;
  job.remaining[m] -= r.size;
  job.next_offset[m] += r.size.value;
  const auto percent = static_cast<std::uint32_t>(base::UInt128{job.done.value} * 100 / job.total.value);
  if (const auto failure =
          owner_->fault_points().at_progress(job.fault, job.done, job.total, percent, *job.handle, &job.regressed)) {
    roll_back(job);
    finish(job, *failure);
    return;
  }
  const base::Bytes chunk = owner_->config().chunk_size;
  if (job.remaining[m].value > 0) {
    r.size = base::Bytes{std::min(chunk.value, job.remaining[m].value)};
    r.offset = job.next_offset[m];
    job.plan.drives[m]->submit(r);
    return;
  }
  for (const base::Bytes& b : job.remaining)
    if (b.value > 0) return;
  if (owner_->fault_points().at_completion(job.fault, job.restarts)) {
    // The work falls back to 0 % and starts over (a repair job that restarts forever).
    ++job.restarts;
    job.done = base::Bytes{};
    job.remaining = job.plan.added;
    job.next_offset = job.plan.first_offset;
    job.handle->force_percent(0);
    write(job);
    return;
  }
  finish(job, hr::s_ok);
}

void JobRunner::finish(Job& job, HResult result) {
  if (!job.finished) --running_;
  job.finished = true;
  LunObject& lun = *job.plan.lun;
  lun.busy_ = false;
  AsyncHandle& h = *job.handle;
  const FaultPoints& faults = owner_->fault_points();
  if (result.succeeded()) {
    switch (job.plan.kind) {
      case Kind::Create: {
        lun.set_status(LunStatus::Online, Health::Healthy);
        lun.online_since_ = owner_->simulation().now();
        VdsObject* payload = faults.at_output(job.fault, h, &lun, AsyncOutputType::CreateLun);
        h.complete(result, payload);
        faults.after_output(job.fault, h, kind_);
        return;
      }
      case Kind::Extend:
        lun.lun_->resize(job.plan.geometry, job.plan.member_bytes);
        lun.set_transition(TransitionState::Stable);
        faults.at_output(job.fault, h, nullptr, AsyncOutputType::ExtendLun);
        break;
      case Kind::Shrink: {
        const auto& before = lun.lun_->member_bytes();
        for (std::size_t m = 0; m < job.plan.drives.size(); ++m)
          job.plan.drives[m]->free_tail(lun.number_, before[m] - job.plan.member_bytes[m]);
        lun.lun_->resize(job.plan.geometry, job.plan.member_bytes);
        lun.set_transition(TransitionState::Stable);
        faults.at_output(job.fault, h, nullptr, AsyncOutputType::ShrinkLun);
        break;
      }
    }
  }
  h.complete(result, nullptr);
}

void JobRunner::roll_back(Job& job) {
  owner_->simulation().cancel(job.latency_timer);
  for (std::size_t m = 0; m < job.chunks.size(); ++m) job.plan.drives[m]->withdraw(job.chunks[m]);
  LunObject& lun = *job.plan.lun;
  switch (job.plan.kind) {
    case Kind::Create:
      lun.leave_array();
      lun.deleted_ = true;
      lun.status_ = LunStatus::Offline;
      owner_->notify(NotificationEvent::LunDepart, lun, base::EventDetail{}.note("creation rolled back"));
      break;
    case Kind::Extend:
      for (std::size_t m = 0; m < job.plan.drives.size(); ++m) job.plan.drives[m]->free_tail(lun.number_, job.plan.added[m]);
      lun.set_transition(TransitionState::Stable);
      break;
    case Kind::Shrink: lun.set_transition(TransitionState::Stable); break;
  }
}

HResult JobRunner::cancel(Job& job) {
  if (job.finished) return hr::vds_e_cancel_too_late;
  roll_back(job);
  finish(job, hr::vds_e_operation_canceled);
  return hr::s_ok;
}

void JobRunner::fail_jobs_on(const storage::Drive& d) {
  if (running_ == 0) return;
  for (const auto& job : jobs_) {
    if (job->finished) continue;
    const auto& drives = job->plan.drives;
    if (std::find(drives.begin(), drives.end(), &d) == drives.end()) continue;
    roll_back(*job);
    finish(*job, hr::vds_e_lun_disk_failed);
  }
}

void JobRunner::reset() {
  jobs_.clear();
  running_ = 0;
}

} // namespace sim::provider

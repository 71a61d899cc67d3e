#include "sim/provider/fault_points.hpp"

#include "sim/provider/subsystem.hpp"

#include <cmath>
#include <string>

namespace sim::provider {

FaultPoints::Call FaultPoints::at_call(FaultOp op, std::string_view target, AsyncOutputType type, AsyncHandle** out,
                                       const Holder& caller) {
  Call c;
  if (plan_ == nullptr) return c;
  if (plan_->cache_corrupt()) {
    c.ended = hr::vds_e_provider_cache_corrupt;
    return c;
  }
  const auto fired = plan_->on_call(op, target);
  if (!fired) return c;
  c.fault.plan_ = plan_;
  c.fault.index_ = *fired;
  const CallFault& f = c.fault;
  switch (f.behavior()) {
    case Behavior::CacheCorrupt:
      plan_->corrupt();
      c.ended = hr::vds_e_provider_cache_corrupt;
      break;
    case Behavior::Busy: c.ended = hr::vds_e_another_call_in_progress; break;
    case Behavior::NullHandle:
      if (out != nullptr) *out = nullptr;
      c.ended = hr::s_ok;
      break;
    case Behavior::SyncErrorWithHandle: {
      c.ended = f.hresult();
      if (out == nullptr) break;
      // A failed call's out-parameter is not the caller's (COM): the reference is the provider's.
      AsyncHandle& a = owner_->new_handle(type, std::string(to_string(op)) + ":sync-error", Holder::provider());
      f.attach(a);
      a.complete(*c.ended, nullptr);
      *out = &a;
      break;
    }
    case Behavior::NeverCompletes: {
      if (out == nullptr) break;
      AsyncHandle& a = owner_->new_handle(type, std::string(to_string(op)) + ":never", caller);
      f.attach(a);
      *out = &a;
      c.ended = hr::s_ok;
      break;
    }
    default: break;
  }
  return c;
}

void FaultPoints::at_arguments(const CallFault& f, base::Bytes* size, const Hints** hints, Hints* scratch) const {
  switch (f.behavior()) {
    case Behavior::HintsIgnored:
      // Only the drive count survives: stripe size and rebuild priority are ignored.
      *scratch = Hints{};
      if (*hints != nullptr) scratch->maximum_drive_count = (*hints)->maximum_drive_count;
      *hints = scratch;
      break;
    case Behavior::SizeRoundedDown: {
      const std::uint64_t by = f.spec().by;
      *size = base::Bytes{size->value > by + storage::size_alignment.value ? size->value - by
                                                                          : storage::size_alignment.value};
      break;
    }
    default: break;
  }
}

bool FaultPoints::at_create(const CallFault& f, LunType type, AsyncHandle** out, const Holder& caller) {
  if (f.behavior() != Behavior::InstantNoEffect) return false;
  // 100 % and success at once; the LUN has no storage, reports size 0 and is not usable.
  LunObject& lun = owner_->new_lun_object(type);
  owner_->controller_set().own(lun, owner_->controller_set().pick());
  lun.status_ = LunStatus::Offline;
  owner_->notify(NotificationEvent::LunArrive, lun,
                 base::EventDetail{}.field(base::detail_key::type, to_string(type)).field(base::detail_key::size, std::uint64_t{0}));
  AsyncHandle& h = owner_->new_handle(AsyncOutputType::CreateLun, lun.name() + ":create", caller);
  f.attach(h);
  h.complete(hr::s_ok, &lun);
  *out = &h;
  return true;
}

base::Duration FaultPoints::at_job_start(const CallFault& f, base::Duration latency) const {
  if (f.behavior() != Behavior::Slow) return latency;
  const double scaled = static_cast<double>(latency.count()) * f.spec().factor;
  return scaled >= 9.2e18 ? base::forever : base::Duration{static_cast<std::int64_t>(std::llround(scaled))};
}

std::optional<HResult> FaultPoints::at_no_work(const CallFault& f) const {
  if (f.behavior() == Behavior::OpFails) return f.hresult();
  return std::nullopt;
}

std::optional<HResult> FaultPoints::at_progress(const CallFault& f, base::Bytes done, base::Bytes total,
                                                std::uint32_t percent, AsyncHandle& h, bool* regressed) const {
  // After a percent_regresses drop the job keeps reporting 20 points low: the drop lasts.
  const std::uint32_t offset = *regressed ? 20 : 0;
  h.set_percent(percent > offset ? percent - offset : 0);
  if (!f) return std::nullopt;
  const FaultSpec& s = f.spec();
  const bool crossed = static_cast<double>(done.value) >= s.at_fraction * static_cast<double>(total.value);
  if (!crossed) return std::nullopt;
  if (s.behavior == Behavior::OpFails) return f.hresult();
  if (s.behavior == Behavior::PercentRegresses && !*regressed) {
    *regressed = true;
    h.force_percent(percent > 20 ? percent - 20 : 0);
  }
  return std::nullopt;
}

bool FaultPoints::at_completion(const CallFault& f, std::uint32_t restarts) const {
  if (f.behavior() != Behavior::RestartLoop) return false;
  return f.spec().forever || restarts < f.spec().restarts;
}

VdsObject* FaultPoints::at_output(const CallFault& f, AsyncHandle& h, LunObject* lun, AsyncOutputType kind) const {
  const Behavior b = f.behavior();
  if (kind != AsyncOutputType::CreateLun) {
    if (b == Behavior::WaitFails) h.fail_wait(f.hresult());
    if (b == Behavior::WrongOutputType) h.report_output_type(AsyncOutputType::CreateLun);
    return nullptr;
  }
  VdsObject* payload = lun;
  switch (b) {
    case Behavior::WrongOutputType: h.report_output_type(AsyncOutputType::ExtendLun); break;
    case Behavior::NullPayload: payload = nullptr; break;
    case Behavior::NoInterface: lun->no_interface_ = true; break;
    case Behavior::WaitFails: h.fail_wait(f.hresult()); break;
    case Behavior::LeakedReference: lun->add_ref(Holder::provider()); break;
    case Behavior::StaleObject:
      // Deleted behind the client's back right after creation.
      lun->leave_array();
      lun->deleted_ = true;
      lun->stale_ = true;
      lun->status_ = LunStatus::Offline;
      owner_->notify(NotificationEvent::LunDepart, *lun,
                     base::EventDetail{}.note("deleted behind the client's back (stale_object)"));
      break;
    default: break;
  }
  return payload;
}

void FaultPoints::after_output(const CallFault& f, AsyncHandle& h, std::uint32_t job_kind) const {
  if (f.behavior() != Behavior::CompletesTwice) return;
  owner_->simulation().schedule_in(
      f.spec().after,
      engine::Action{[](void* a, std::uint64_t) { static_cast<AsyncHandle*>(a)->complete_again(); }, &h, 0},
      engine::EventTag{job_kind, owner_->ledger_id()});
}

} // namespace sim::provider

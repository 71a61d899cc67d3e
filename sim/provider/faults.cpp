#include "sim/provider/faults.hpp"

#include <array>
#include <utility>

namespace sim::provider {

namespace {

constexpr std::array<std::pair<Behavior, const char*>, 22> behavior_names = {{
    {Behavior::None, "none"},
    {Behavior::NullHandle, "null_handle"},
    {Behavior::WrongOutputType, "wrong_output_type"},
    {Behavior::NullPayload, "null_payload"},
    {Behavior::NoInterface, "no_interface"},
    {Behavior::WaitFails, "wait_fails"},
    {Behavior::OpFails, "op_fails"},
    {Behavior::NeverCompletes, "never_completes"},
    {Behavior::CompletesTwice, "completes_twice"},
    {Behavior::PercentRegresses, "percent_regresses"},
    {Behavior::RestartLoop, "restart_loop"},
    {Behavior::InstantNoEffect, "instant_no_effect"},
    {Behavior::SizeRoundedDown, "size_rounded_down"},
    {Behavior::HintsIgnored, "hints_ignored"},
    {Behavior::CancelIgnored, "cancel_ignored"},
    {Behavior::CancelUnsupported, "cancel_unsupported"},
    {Behavior::SyncErrorWithHandle, "sync_error_with_handle"},
    {Behavior::LeakedReference, "leaked_reference"},
    {Behavior::CacheCorrupt, "cache_corrupt"},
    {Behavior::Busy, "busy"},
    {Behavior::StaleObject, "stale_object"},
    {Behavior::Slow, "slow"},
}};

constexpr std::array<std::pair<FaultOp, const char*>, 9> op_names = {{
    {FaultOp::Any, "any"},
    {FaultOp::CreateLun, "create_lun"},
    {FaultOp::ExtendLun, "extend_lun"},
    {FaultOp::ShrinkLun, "shrink_lun"},
    {FaultOp::DeleteLun, "delete_lun"},
    {FaultOp::QueryStatus, "query_status"},
    {FaultOp::Wait, "wait"},
    {FaultOp::Cancel, "cancel"},
    {FaultOp::QueryLuns, "query_luns"},
}};

} // namespace

const std::vector<Behavior>& all_behaviors() {
  static const std::vector<Behavior> all = [] {
    std::vector<Behavior> v;
    for (const auto& [b, name] : behavior_names) v.push_back(b);
    return v;
  }();
  return all;
}

const char* to_string(Behavior b) {
  for (const auto& [value, name] : behavior_names)
    if (value == b) return name;
  return "unknown";
}

std::optional<Behavior> parse_behavior(std::string_view name) {
  for (const auto& [value, n] : behavior_names)
    if (name == n) return value;
  return std::nullopt;
}

bool is_lie(Behavior b) {
  switch (b) {
    case Behavior::NullHandle:
    case Behavior::WrongOutputType:
    case Behavior::NullPayload:
    case Behavior::NoInterface:
    case Behavior::WaitFails:
    case Behavior::InstantNoEffect:
    case Behavior::SizeRoundedDown:
    case Behavior::SyncErrorWithHandle:
    case Behavior::CacheCorrupt:
    case Behavior::Busy:
    case Behavior::StaleObject:
    case Behavior::NeverCompletes: return true;
    default: return false;
  }
}

const char* to_string(FaultOp op) {
  for (const auto& [value, name] : op_names)
    if (value == op) return name;
  return "unknown";
}

std::optional<FaultOp> parse_fault_op(std::string_view name) {
  for (const auto& [value, n] : op_names)
    if (name == n) return value;
  return std::nullopt;
}

FaultOp exercising_call(Behavior b, FaultOp op) {
  switch (b) {
    case Behavior::CancelIgnored:
    case Behavior::CancelUnsupported: return FaultOp::Cancel;
    case Behavior::PercentRegresses: return FaultOp::QueryStatus;
    default: return op;
  }
}

HResult default_hresult(Behavior b) {
  switch (b) {
    case Behavior::WaitFails: return hr::vds_e_timeout;
    case Behavior::OpFails:
    case Behavior::SyncErrorWithHandle: return hr::vds_e_provider_failure;
    case Behavior::CacheCorrupt: return hr::vds_e_provider_cache_corrupt;
    case Behavior::Busy: return hr::vds_e_another_call_in_progress;
    case Behavior::StaleObject: return hr::vds_e_object_deleted;
    default: return hr::s_ok;
  }
}

FaultPlan::FaultPlan(engine::Simulation& sim, std::vector<FaultSpec> faults)
    : sim_(&sim), faults_(std::move(faults)), calls_(faults_.size(), 0) {
  for (std::size_t i = 0; i < faults_.size(); ++i) streams_.push_back(sim.stream("fault/" + std::to_string(i)));
}

std::optional<std::size_t> FaultPlan::on_call(FaultOp op, std::string_view target) {
  const base::Time now = sim_->now();
  std::optional<std::size_t> fired;
  for (std::size_t i = 0; i < faults_.size(); ++i) {
    const FaultSpec& f = faults_[i];
    if (f.op != FaultOp::Any && f.op != op) continue;
    if (!f.target.empty() && f.target != target) continue;
    if (f.from && now < *f.from) continue;
    if (f.to && now >= *f.to) continue;
    const std::uint64_t n = ++calls_[i];
    if (f.nth && n != *f.nth) continue;
    if (f.probability && !(streams_[i].uniform01() < *f.probability)) continue;
    if (!fired) fired = i;
  }
  if (fired) {
    const FaultSpec& f = faults_[*fired];
    events_.push_back(FaultEvent{now, *fired, op, std::string(target), exercising_call(f.behavior, op) == op, caller_});
  }
  return fired;
}

void FaultPlan::exercised(std::size_t i) {
  for (auto it = events_.rbegin(); it != events_.rend(); ++it)
    if (it->fault == i) {
      it->exercised = true;
      return;
    }
}

bool FaultPlan::any_exercised() const {
  for (const auto& e : events_)
    if (e.exercised) return true;
  return false;
}

void FaultPlan::violation(std::string kind, std::string object, std::string detail) {
  violations_.push_back(Violation{sim_->now(), std::move(kind), std::move(object), std::move(detail)});
}

} // namespace sim::provider

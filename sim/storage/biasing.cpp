// Failure biasing, the part of ArrayImpl that decides which drives are biased and keeps the
// weights (array.hpp, "Failure biasing"; the likelihood ratios themselves are FailureProcesses').
#include "sim/storage/array_impl.hpp"

#include <algorithm>
#include <cmath>

namespace sim::storage {

void ArrayImpl::weight(std::uint32_t slot, double log_ratio) {
  stats_.log_weight += log_ratio;
  for (const auto& [g, m] : slots_[slot].held) g->log_weight += log_ratio;
}

double ArrayImpl::exposure_seconds(const Group& g) const {
  // The expected time until the exposure ends: one rebuild, and first the wait for a target
  // when a member has none. An estimate only: it decides how hard failures are biased, never
  // what the weights are.
  double rebuild = 0;
  if (repair_.mode == RebuildMode::Law) {
    rebuild = repair_.rebuild_duration.mean_seconds();
  } else {
    const Lun& lun = g.lun;
    for (std::uint32_t m = 0; m < lun.members().size(); ++m) {
      const base::Rate bw = lun.members()[m]->model().write_stream_rate();
      if (!bw.is_unlimited())
        rebuild = std::max(rebuild, 1e-9 * static_cast<double>(base::transfer_time(lun.member_bytes()[m], bw).count()));
    }
  }
  double d = rebuild;
  if (std::find(g.member.begin(), g.member.end(), MemberState::Failed) != g.member.end())
    d += repair_.replace_after ? repair_.replace_after->mean_seconds() : rebuild;
  return std::max(d, 1.0);
}

double ArrayImpl::slot_bias(std::uint32_t slot) const {
  double rate = 0;
  for (const auto& [g, m] : slots_[slot].held)
    if (g->bias_rate > rate && std::find(g->biased.begin(), g->biased.end(), slot) != g->biased.end())
      rate = g->bias_rate;
  return rate;
}

void ArrayImpl::rebias(Group& g) {
  if (!biasing_) return;
  const Lun& lun = g.lun;
  std::vector<std::uint32_t> survivors;
  bool exposed = false;
  if (!lun.lost()) {
    for (std::uint32_t m = 0; m < g.member.size(); ++m) {
      const bool up = g.member[m] == MemberState::Ok && !lun.member_down(m) &&
                      lun.members()[m]->state() == DriveState::Online;
      if (up) survivors.push_back(lun.members()[m]->tag());
      else exposed = true;
    }
  }
  if (!exposed) survivors.clear();
  const double rate = survivors.empty() ? 0
                                        : -std::log1p(-biasing_->probability) /
                                              (static_cast<double>(survivors.size()) * exposure_seconds(g));
  if (rate == g.bias_rate && survivors == g.biased) return;
  std::vector<std::uint32_t> touched = std::move(g.biased);
  g.bias_rate = rate;
  g.biased = survivors;
  touched.insert(touched.end(), survivors.begin(), survivors.end());
  for (const std::uint32_t s : touched) processes_.bias(s, slot_bias(s));
}

} // namespace sim::storage

// `provider.faults`: each fault's operation, behaviour, triggers and parameters, and the check
// that its `target:` names a subsystem or a LUN the operation is called on.
#include "sim/scenario/loader_sections.hpp"

#include "sim/provider/faults.hpp"
#include "sim/provider/hresult.hpp"

#include <algorithm>
#include <set>

namespace sim::scenario::detail {

void Loader::provider_section(const YAML::Node& n) {
  MapReader m(r, n, "provider", {"faults"});
  if (!m.ok() || !m.has("faults")) return;
  const YAML::Node list = m.get("faults");
  if (!list.IsSequence()) {
    // A missing value has the position of whatever follows: point at the key instead.
    const SourceLoc at = list.IsNull() ? m.key_loc("faults") : r.loc(list);
    r.error(at, "key 'faults': expected a list of faults ('- {op: create_lun, behavior: null_handle, ...}' items), "
                  "found " + detail::describe_kind(list));
    return;
  }
  spec.faults_section = true;
  std::size_t index = 0;
  for (const auto& item : list) fault_item(item, index++);
}

void Loader::fault_item(const YAML::Node& n, std::size_t index) {
  const std::string what = "provider.faults." + std::to_string(index);
  MapReader m(r, n, what,
              {"op", "behavior", "probability", "nth", "window", "target", "hresult", "at", "factor", "restarts",
               "forever", "after", "by"});
  if (!m.ok()) return;
  provider::FaultSpec f;
  SourceLoc target_loc;
  if (const YAML::Node v = m.required("op"))
    if (auto name = detail::get_string(r, v, "op")) {
      std::vector<std::string> ops;
      for (int k = 0; k <= static_cast<int>(provider::FaultOp::QueryLuns); ++k)
        ops.emplace_back(provider::to_string(static_cast<provider::FaultOp>(k)));
      if (const auto op = provider::parse_fault_op(*name)) f.op = *op;
      else r.error(v, "key 'op': unknown operation " + q(*name) + hint_for(*name, ops) + "; accepted: " + join(ops));
    }
  bool behavior_ok = false;
  if (const YAML::Node v = m.required("behavior"))
    if (auto name = detail::get_string(r, v, "behavior")) {
      std::vector<std::string> all;
      for (const provider::Behavior b : provider::all_behaviors())
        if (b != provider::Behavior::None) all.emplace_back(provider::to_string(b));
      const auto b = provider::parse_behavior(*name);
      if (b && *b != provider::Behavior::None) {
        f.behavior = *b;
        behavior_ok = true;
      } else {
        r.error(v, "key 'behavior': unknown behavior " + q(*name) + hint_for(*name, all) + "; accepted: " + join(all));
      }
    }
  // triggers
  if (m.has("probability"))
    if (auto p = detail::get_number(r, m.get("probability"), "probability")) {
      if (*p < 0 || *p > 1)
        r.error(m.get("probability"), "key 'probability': " + m.get("probability").Scalar() +
                                          " is out of range (accepted: from 0 to 1)");
      else f.probability = *p;
    }
  if (m.has("nth"))
    if (auto c = detail::get_count(r, m.get("nth"), "nth", 1, UINT64_MAX)) f.nth = *c;
  if (m.has("window")) {
    MapReader w(r, m.get("window"), what + " window", {"from", "to"});
    if (w.ok()) {
      if (w.node().size() == 0)
        r.error(w.node(), what + " window: give 'from', 'to' or both (durations such as 10s, 1h)");
      std::optional<base::Duration> from, to;
      if (w.has("from")) from = detail::get_duration(r, w.get("from"), "from");
      if (w.has("to")) to = detail::get_duration(r, w.get("to"), "to");
      if (from) f.from = base::at(*from);
      if (to) f.to = base::at(*to);
      if (from && to && !(*from < *to)) {
        r.error(w.get("to"), "key 'to': " + w.get("to").Scalar() + " is not after 'from' (" + w.get("from").Scalar() +
                                 "); a window needs from < to");
        f.from.reset();
        f.to.reset();
      }
    }
  }
  if (m.has("target"))
    if (auto t = detail::get_string(r, m.get("target"), "target")) {
      f.target = *t;
      target_loc = r.loc(m.get("target"));
    }
  // parameters, each for the behaviours it applies to
  using provider::Behavior;
  struct Param {
    const char* key;
    std::vector<Behavior> behaviors;
  };
  static const std::vector<Param> params = {
      {"hresult", {Behavior::OpFails, Behavior::WaitFails, Behavior::SyncErrorWithHandle}},
      {"at", {Behavior::OpFails, Behavior::PercentRegresses}},
      {"factor", {Behavior::Slow}},
      {"restarts", {Behavior::RestartLoop}},
      {"forever", {Behavior::RestartLoop}},
      {"after", {Behavior::CompletesTwice}},
      {"by", {Behavior::SizeRoundedDown}},
  };
  std::set<std::string> rejected;  // parameters given for a behaviour they do not apply to: not read further
  for (const Param& p : params) {
    if (!m.has(p.key) || !behavior_ok) continue;
    if (std::find(p.behaviors.begin(), p.behaviors.end(), f.behavior) != p.behaviors.end()) continue;
    std::vector<std::string> to;
    for (const Behavior b : p.behaviors) to.emplace_back(provider::to_string(b));
    r.error(m.key_loc(p.key), "key " + q(p.key) + " does not apply to behavior " + q(provider::to_string(f.behavior)) +
                                  " (it applies to: " + join(to) + ")");
    rejected.insert(p.key);
  }
  auto given = [&](const char* key) { return m.has(key) && rejected.count(key) == 0; };
  if (given("hresult"))
    if (auto text = detail::get_string(r, m.get("hresult"), "hresult")) {
      const YAML::Node v = m.get("hresult");
      if (const auto h = provider::parse_hresult(*text)) {
        if (h->succeeded())
          r.error(v, "key 'hresult': " + provider::describe(*h) + " is a success code; " +
                         (behavior_ok ? std::string(provider::to_string(f.behavior)) : std::string("a fault")) +
                         " needs a failure HRESULT (0x8xxxxxxx) such as VDS_E_PROVIDER_FAILURE or VDS_E_TIMEOUT");
        else f.hresult = *h;
      } else {
        std::vector<std::string> known;
        for (const provider::HResultName& hn : provider::all_hresults()) known.emplace_back(hn.name);
        r.error(v, "key 'hresult': unknown HRESULT " + q(*text) + hint_for(*text, known) +
                       "; accepted: a name such as VDS_E_TIMEOUT or a hexadecimal value such as 0x8004245F");
      }
    }
  if (given("at"))
    if (auto p = detail::get_percent(r, m.get("at"), "at")) f.at_fraction = *p;
  if (given("factor"))
    if (auto x = detail::get_number(r, m.get("factor"), "factor")) {
      if (!(*x > 0)) r.error(m.get("factor"), "key 'factor': must be greater than 0");
      else f.factor = *x;
    }
  if (given("restarts"))
    if (auto c = detail::get_count(r, m.get("restarts"), "restarts", 1, 1'000'000))
      f.restarts = static_cast<std::uint32_t>(*c);
  if (given("forever"))
    if (auto b = detail::get_bool(r, m.get("forever"), "forever")) {
      f.forever = *b;
      if (*b && given("restarts"))
        r.error(m.key_loc("restarts"), "key 'restarts' contradicts 'forever: true' (a loop that never ends has no "
                                       "count); give one or the other");
      if (*b && spec.horizon == base::never)
        r.error(m.get("forever"), "key 'forever': a job that restarts forever keeps the drives busy, so the run "
                                  "never ends: give the scenario a 'horizon'");
    }
  if (given("after"))
    if (auto d = detail::get_duration(r, m.get("after"), "after")) {
      if (d->count() < 0) r.error(m.get("after"), "key 'after': must not be negative");
      else f.after = *d;
    }
  if (given("by"))
    if (auto b = detail::get_bytes(r, m.get("by"), "by")) {
      if (b->value == 0) r.error(m.get("by"), "key 'by': must be greater than 0");
      else f.by = b->value;
    }
  spec.faults.push_back(std::move(f));
  spec.fault_locs.push_back(r.loc(n));
  fault_targets.push_back(target_loc);
}

/// A fault's `target:` names a subsystem (create_lun calls are made on one) or a LUN created by
/// the workload (extend_lun, shrink_lun and delete_lun calls are made on one).
void Loader::check_fault_targets(const std::vector<std::string>& subsystem_names, const std::vector<std::string>& creates) {
  for (std::size_t i = 0; i < spec.faults.size(); ++i) {
    const provider::FaultSpec& f = spec.faults[i];
    if (f.target.empty()) continue;
    const SourceLoc& at = fault_targets[i];
    const bool is_subsystem =
        std::find(subsystem_names.begin(), subsystem_names.end(), f.target) != subsystem_names.end();
    const bool is_lun = std::find(creates.begin(), creates.end(), f.target) != creates.end();
    const std::string subsystems = "a subsystem (" + join(subsystem_names) + ")";
    const std::string luns = "a LUN (" + (creates.empty() ? std::string("none is created") : join(creates)) + ")";
    const std::string op = provider::to_string(f.op);
    if (!is_subsystem && !is_lun) {
      std::vector<std::string> pool = subsystem_names;
      pool.insert(pool.end(), creates.begin(), creates.end());
      r.error(at, "key 'target': unknown target " + q(f.target) + hint_for(f.target, pool) + "; accepted: " +
                      subsystems + " or " + luns);
    } else if (f.op == provider::FaultOp::CreateLun && !is_subsystem) {
      r.error(at, "key 'target': " + q(f.target) + " is a LUN, but create_lun is called on a subsystem; accepted: " +
                      subsystems);
    } else if ((f.op == provider::FaultOp::ExtendLun || f.op == provider::FaultOp::ShrinkLun ||
                f.op == provider::FaultOp::DeleteLun) && !is_lun) {
      r.error(at, "key 'target': " + q(f.target) + " is a subsystem, but " + op + " is called on a LUN; accepted: " +
                      luns);
    }
  }
}

} // namespace sim::scenario::detail

// Cross references once every section is read: subsystems, `after:` operations, drives, LUNs
// and io targets must exist, `after:` must form no cycle; then `every:` group names expand.
#include "sim/scenario/loader_sections.hpp"

#include <algorithm>
#include <functional>
#include <set>

namespace sim::scenario::detail {

std::vector<std::string> Loader::names_of_creates() const {
  std::vector<std::string> v;
  for (const auto& op : spec.ops)
    if (op.kind == OpKind::CreateLun) v.push_back(op.name);
  return v;
}

void Loader::cross_check() {
  // Without a horizon a run ends when no event is left: an endless load would never let it.
  if (spec.horizon == base::never)
    for (const auto& io : spec.io) {
      if (io.open_loop && !io.stop)
        r.error(io.loc, "io load " + q(io.name) +
                            ": an open-loop load needs 'stop' or a scenario 'horizon' (else it never ends)");
      if (!io.open_loop && io.requests == 0)
        r.error(io.loc, "io load " + q(io.name) +
                            ": give 'requests' (per client) or a scenario 'horizon' (else it never ends)");
    }
  std::vector<std::string> subsystem_names;
  for (const auto& s : spec.subsystems) subsystem_names.push_back(s.name);
  std::vector<std::string> all_ops;
  for (const auto& [n, loc] : op_names) all_ops.push_back(n);
  const auto creates = names_of_creates();
  std::vector<std::string> drives;
  for (const auto& [n, loc] : drive_names) drives.push_back(n);

  std::map<std::string, std::uint32_t> enclosure_sizes;
  for (const auto& s : spec.subsystems)
    for (const auto& e : s.enclosures) enclosure_sizes.emplace(e.name, e.count);
  std::vector<std::string> enclosures;
  for (const auto& [n, count] : enclosure_sizes) enclosures.push_back(n);

  // "key 'after': unknown operation 'y' (did you mean 'x'?)", or the names defined when few.
  auto unknown = [&](const base::SourceLoc& at, std::string_view key, const std::string& what,
                     const std::string& name, const std::vector<std::string>& pool) {
    std::string message = "key " + q(key) + ": unknown " + what + " " + q(name);
    const std::string hint = hint_for(name, pool);
    if (!hint.empty()) message += hint;
    else if (pool.empty()) message += " (none is defined)";
    else if (pool.size() <= 12) message += "; defined: " + join(pool);
    r.error(at, message);
  };
  // Drives are named <enclosure>/<index>: say which part is wrong.
  auto drive_problem = [&](const std::string& name) -> std::string {
    const auto slash = name.rfind('/');
    if (slash == std::string::npos)
      return " (drives are named <enclosure>/<index>" +
             (drives.empty() ? std::string(")") : ", e.g. " + q(drives.front()) + ")");
    const std::string encl = name.substr(0, slash);
    const auto e = enclosure_sizes.find(encl);
    if (e == enclosure_sizes.end())
      return ": no enclosure " + q(encl) + hint_for(encl, enclosures) +
             (enclosures.empty() ? "" : "; enclosures: " + join(enclosures));
    if (e->second == 0) return "";
    return " (enclosure " + q(encl) + " has drives " + encl + "/0 to " + encl + "/" + std::to_string(e->second - 1) + ")";
  };
  std::set<base::SourceLoc> reported;  // `every:` copies share their position: one message each
  for (auto& op : spec.ops) {
    if (!reported.insert(op.loc).second) continue;
    if (!op.subsystem.empty()) {
      if (std::find(subsystem_names.begin(), subsystem_names.end(), op.subsystem) == subsystem_names.end())
        unknown(op.subsystem_loc, "subsystem", "subsystem", op.subsystem, subsystem_names);
    } else if (spec.subsystems.size() > 1) {
      r.error(op.loc, "operation " + q(op.name) + ": name its 'subsystem' (the scenario has " +
                          std::to_string(spec.subsystems.size()) + ": " + join(subsystem_names) + ")");
    }
    for (const auto& a : op.after)
      if (op_names.count(a.value) == 0) unknown(a.loc, "after", "operation", a.value, all_ops);
    for (const auto& d : op.drives)
      if (drive_names.count(d.value) == 0) r.error(d.loc, "key 'drives': unknown drive " + q(d.value) + drive_problem(d.value));
    if (op.kind != OpKind::CreateLun && !op.lun.value.empty() &&
        std::find(creates.begin(), creates.end(), op.lun.value) == creates.end())
      unknown(op.lun.loc, "lun", "LUN", op.lun.value, creates);
  }
  for (const auto& io : spec.io) {
    for (const auto& t : io.luns)
      if (std::find(creates.begin(), creates.end(), t.value) == creates.end() && drive_names.count(t.value) == 0 &&
          enclosure_names.count(t.value) == 0) {
        std::vector<std::string> pool = creates;
        pool.insert(pool.end(), enclosures.begin(), enclosures.end());
        std::string message = "key 'targets': unknown target " + q(t.value);
        if (t.value.find('/') != std::string::npos) message += drive_problem(t.value);
        else message += hint_for(t.value, pool);
        message += "; accepted: a LUN (" + (creates.empty() ? std::string("none is created") : join(creates)) +
                   "), an enclosure (" + join(enclosures) + ") or a drive (<enclosure>/<index>)";
        r.error(t.loc, message);
      }
    for (const auto& a : io.after)
      if (op_names.count(a.value) == 0) unknown(a.loc, "after", "operation", a.value, all_ops);
  }
  check_fault_targets(subsystem_names, creates);
  check_cycles();
}

std::vector<std::string> Loader::expand(const std::string& name) const {
  const auto g = groups.find(name);
  return g == groups.end() ? std::vector<std::string>{name} : g->second;
}

void Loader::check_cycles() {
  std::map<std::string, const OpSpec*> by_name;
  for (const auto& op : spec.ops) by_name[op.name] = &op;
  std::map<std::string, int> state;  // 0 new, 1 on stack, 2 done
  std::vector<std::string> stack;
  std::set<std::string> reported;
  std::function<void(const std::string&)> visit = [&](const std::string& n) {
    state[n] = 1;
    stack.push_back(n);
    const OpSpec* op = by_name[n];
    for (const auto& a : op->after)
      for (const std::string& dep : expand(a.value)) {
        if (by_name.count(dep) == 0) continue;
        if (state[dep] == 1) {
          const auto from = std::find(stack.begin(), stack.end(), dep);
          std::string cycle;
          std::string key;
          for (auto it = from; it != stack.end(); ++it) {
            cycle += *it + " (line " + std::to_string(by_name[*it]->loc.line) + ") -> ";
            key += *it + ",";
          }
          cycle += dep;
          if (reported.insert(key).second)
            r.error(by_name[dep]->loc, "key 'after': dependency cycle " + cycle + " (each operation waits for the next)");
        } else if (state[dep] == 0) {
          visit(dep);
        }
      }
    stack.pop_back();
    state[n] = 2;
  };
  for (const auto& op : spec.ops)
    if (state[op.name] == 0) visit(op.name);
}

void Loader::expand_after() {
  for (auto& op : spec.ops) {
    std::vector<Located<std::string>> flat;
    for (const auto& a : op.after)
      for (const auto& n : expand(a.value)) flat.push_back(Located<std::string>{n, a.loc});
    op.after = std::move(flat);
  }
  for (auto& io : spec.io) {
    std::vector<Located<std::string>> flat;
    for (const auto& a : io.after)
      for (const auto& n : expand(a.value)) flat.push_back(Located<std::string>{n, a.loc});
    io.after = std::move(flat);
  }
}

} // namespace sim::scenario::detail

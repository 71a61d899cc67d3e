// Cross references once every section is read: subsystems, `after:` operations, drives, LUNs
// and io targets must exist, `after:` must form no cycle; then `every:` group names expand.
#include "sim/scenario/loader_sections.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
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
  const std::string first_drive = drive_names.first();

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
             (first_drive.empty() ? std::string(")") : ", e.g. " + q(first_drive) + ")");
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
      if (!drive_names.contains(d.value)) r.error(d.loc, "key 'drives': unknown drive " + q(d.value) + drive_problem(d.value));
    if (op.kind != OpKind::CreateLun && !op.lun.value.empty() &&
        std::find(creates.begin(), creates.end(), op.lun.value) == creates.end())
      unknown(op.lun.loc, "lun", "LUN", op.lun.value, creates);
  }
  for (const auto& io : spec.io) {
    for (const auto& t : io.luns)
      if (io.trace && enclosure_names.count(t.value) != 0) {
        r.error(t.loc, "key 'map': " + q(t.value) + " is an enclosure; a trace device maps to one LUN or one drive (" +
                           t.value + "/0, ...)");
      } else if (std::find(creates.begin(), creates.end(), t.value) == creates.end() && !drive_names.contains(t.value) &&
          enclosure_names.count(t.value) == 0) {
        std::vector<std::string> pool = creates;
        pool.insert(pool.end(), enclosures.begin(), enclosures.end());
        std::string message = std::string(io.trace ? "key 'map'" : "key 'targets'") + ": unknown target " + q(t.value);
        if (t.value.find('/') != std::string::npos) message += drive_problem(t.value);
        else message += hint_for(t.value, pool);
        message += "; accepted: a LUN (" + (creates.empty() ? std::string("none is created") : join(creates)) + ")" +
                   (io.trace ? std::string() : ", an enclosure (" + join(enclosures) + ")") + " or a drive (<enclosure>/<index>)";
        r.error(t.loc, message);
      }
    for (const auto& a : io.after)
      if (op_names.count(a.value) == 0) unknown(a.loc, "after", "operation", a.value, all_ops);
  }
  check_fault_targets(subsystem_names, creates);
  for (const auto& op : spec.ops) {
    if (op.kind != OpKind::CreateLun || !op.drives.empty()) continue;
    const SubsystemSpec* sub = nullptr;
    for (const auto& s : spec.subsystems)
      if (op.subsystem.empty() ? spec.subsystems.size() == 1 : s.name == op.subsystem) sub = &s;
    if (sub != nullptr && sub->placement == storage::Placement::Explicit)
      r.error(op.loc, "operation " + q(op.name) + ": subsystem " + q(sub->name) +
                          " has placement 'explicit' (line " + std::to_string(sub->placement_loc.line) +
                          "): name its drives (drives: [ENCLOSURE/INDEX, ...])");
  }
  check_cycles();
}

std::vector<std::string> Loader::expand(const std::string& name) const {
  const auto g = groups.find(name);
  return g == groups.end() ? std::vector<std::string>{name} : g->second;
}

namespace {

/// Records the dependency cycles a depth-first search meets (its back edges), as the stack of
/// operations from the one waited for back to the waiting one.
struct CycleFinder : boost::default_dfs_visitor {
  std::vector<std::size_t>* stack;
  std::vector<std::vector<std::size_t>>* cycles;
  template <class G> void discover_vertex(std::size_t v, const G&) { stack->push_back(v); }
  template <class G> void finish_vertex(std::size_t, const G&) { stack->pop_back(); }
  template <class E, class G> void back_edge(const E& e, const G& g) {
    const std::size_t to = boost::target(e, g);
    const auto from = std::find(stack->begin(), stack->end(), to);
    cycles->emplace_back(from, stack->end());
  }
};

} // namespace

void Loader::check_cycles() {
  // The `after:` graph on Boost.Graph: a vertex per operation (scenario order), an edge from an
  // operation to each one it waits for (in the order written). A depth-first search from every
  // vertex in order finds each cycle as a back edge; with none, the graph is a DAG and the
  // operations have a topological order (the runner needs none: each waits for its own).
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < spec.ops.size(); ++i) index.emplace(spec.ops[i].name, i);
  Graph g(spec.ops.size());
  for (std::size_t i = 0; i < spec.ops.size(); ++i)
    for (const auto& a : spec.ops[i].after)
      for (const std::string& dep : expand(a.value))
        if (const auto it = index.find(dep); it != index.end()) boost::add_edge(i, it->second, g);
  std::vector<std::size_t> stack;
  std::vector<std::vector<std::size_t>> cycles;
  std::vector<boost::default_color_type> color(spec.ops.size());
  const auto color_map = boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, g));
  CycleFinder finder;
  finder.stack = &stack;
  finder.cycles = &cycles;
  for (std::size_t v = 0; v < spec.ops.size(); ++v)
    if (color[v] == boost::white_color) boost::depth_first_visit(g, v, finder, color_map);
  std::set<std::vector<std::size_t>> reported;
  for (const auto& cycle : cycles) {
    if (!reported.insert(cycle).second) continue;
    std::string text;
    for (const std::size_t v : cycle)
      text += spec.ops[v].name + " (line " + std::to_string(spec.ops[v].loc.line) + ") -> ";
    text += spec.ops[cycle.front()].name;
    r.error(spec.ops[cycle.front()].loc, "key 'after': dependency cycle " + text + " (each operation waits for the next)");
  }
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

namespace sim::scenario {

namespace {

/// Bytes for a message: three significant digits in decimal units ("3.33TB", "500GB").
std::string approx(base::Bytes b) {
  static const char* const units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  double v = static_cast<double>(b.value);
  std::size_t u = 0;
  while (v >= 1000 && u + 1 < std::size(units)) v /= 1000, ++u;
  char text[32];
  std::snprintf(text, sizeof text, "%.3g%s", v, units[u]);
  return text;
}

/// A count for a message: three significant digits ("1.58e+08", "7200").
std::string approx_count(double n) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", n);
  return text;
}

/// `count` drives of one enclosure, from index `first` on, all of its model's capacity.
struct DriveRun {
  const EnclosureSpec* enclosure = nullptr;
  base::Bytes capacity;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
};

/// Time-series rows (timeseries.csv and io_timeseries.csv together) past which a warning says so.
constexpr double max_timeseries_rows = 1e7;

} // namespace

std::vector<base::Diagnostic> capacity_warnings(const ScenarioSpec& spec) {
  using detail::q;
  std::vector<base::Diagnostic> out;
  auto capacity_of = [&](const std::string& model) {
    for (const DriveModelSpec& m : spec.drive_models)
      if (m.name == model) return m.capacity;
    return base::Bytes{};
  };
  std::map<const SubsystemSpec*, std::map<std::string_view, std::size_t>> positions;  // made on first use
  for (const OpSpec& op : spec.ops) {
    if (op.kind != OpKind::CreateLun) continue;
    const SubsystemSpec* sub = nullptr;
    for (const SubsystemSpec& s : spec.subsystems)
      if (s.name == op.subsystem || (op.subsystem.empty() && spec.subsystems.size() == 1)) sub = &s;
    const auto level = provider::raid_level(static_cast<provider::LunType>(op.lun_type));
    if (sub == nullptr || !level) continue;
    // The drives it may use: the named ones, else every drive that is not a hot spare; as runs
    // of drives of one enclosure (its capacity), in enclosure order.
    std::vector<DriveRun> drives;
    std::uint64_t drive_total = 0;
    if (op.drives.empty()) {
      for (const EnclosureSpec& e : sub->enclosures)
        if (e.count > e.hot_spares)
          drives.push_back(DriveRun{&e, capacity_of(e.model.value), 0, e.count - e.hot_spares});
    } else {
      auto& position = positions[sub];  // enclosure name -> its place in the subsystem
      if (position.empty())
        for (std::size_t k = 0; k < sub->enclosures.size(); ++k) position.emplace(sub->enclosures[k].name, k);
      std::vector<std::pair<std::size_t, std::uint32_t>> named;  // (enclosure, index), each drive once
      for (const auto& d : op.drives) {
        const auto slash = d.value.rfind('/');
        if (slash == std::string::npos) continue;
        const auto e = position.find(std::string_view(d.value).substr(0, slash));
        if (e == position.end()) continue;
        const std::string_view index = std::string_view(d.value).substr(slash + 1);
        if (const auto i = detail::drive_index(index, sub->enclosures[e->second].count)) named.emplace_back(e->second, *i);
      }
      std::sort(named.begin(), named.end());
      named.erase(std::unique(named.begin(), named.end()), named.end());
      for (const auto& [k, i] : named) {
        const EnclosureSpec& e = sub->enclosures[k];
        drives.push_back(DriveRun{&e, capacity_of(e.model.value), i, 1});
      }
    }
    for (const DriveRun& d : drives) drive_total += d.count;
    const std::uint32_t members = !op.drives.empty()       ? static_cast<std::uint32_t>(op.drives.size())
                                  : op.drive_count > 0 ? op.drive_count
                                                       : storage::min_members(*level);
    const std::string what = "create_lun " + q(op.name) + " (" + storage::to_string(*level) + ", " +
                             approx(op.size) + " on " + std::to_string(members) + " drive(s))";
    if (*level == storage::RaidLevel::Span) {
      std::vector<DriveRun> largest_first = drives;
      std::stable_sort(largest_first.begin(), largest_first.end(),
                       [](const DriveRun& a, const DriveRun& b) { return a.capacity.value > b.capacity.value; });
      std::uint64_t total = 0, left = members;
      for (const DriveRun& d : largest_first) {
        const std::uint64_t take = std::min<std::uint64_t>(left, d.count);
        total += take * d.capacity.value;
        left -= take;
      }
      if (total < op.size.value)
        out.push_back(base::Diagnostic::warning(op.loc, what + " cannot fit: its " + std::to_string(members) +
                                                            " largest drives hold " + approx(base::Bytes{total}) +
                                                            " in all; it will fail with VDS_E_NOT_ENOUGH_SPACE"));
      continue;
    }
    const auto g = storage::plan(*level, op.size, members);
    if (!g) continue;  // the loader has reported impossible geometries already
    const std::uint64_t need = g->member_extent.value;
    std::uint64_t large = 0;
    base::Bytes largest{};
    std::string small;
    for (const DriveRun& d : drives) {
      if (d.capacity.value >= need) large += d.count;
      else if (small.empty())
        small = d.enclosure->name + "/" + std::to_string(d.first) + " holds " + approx(d.capacity);
      largest = std::max(largest, d.capacity, [](base::Bytes a, base::Bytes b) { return a.value < b.value; });
    }
    const std::string needs = what + " needs " + approx(g->member_extent) + " on each member";
    if (!op.drives.empty() && large < drive_total)
      out.push_back(base::Diagnostic::warning(op.loc, needs + ", but drive " + small +
                                                          "; it will fail with VDS_E_NOT_ENOUGH_SPACE"));
    else if (op.drives.empty() && large < members)
      out.push_back(base::Diagnostic::warning(
          op.loc, needs + ", but subsystem " + q(sub->name) + " has " + std::to_string(large) +
                      " drive(s) that large (not counting hot spares; its largest hold " + approx(largest) +
                      "); it will fail with VDS_E_NOT_ENOUGH_" + (drive_total < members ? "DRIVE" : "SPACE")));
  }
  // The time series stream to disk, so their size there, not in memory, grows with the horizon.
  if (spec.metrics.timeseries && spec.horizon != base::never) {
    const double ticks = std::floor(static_cast<double>(base::since_start(spec.horizon).count()) /
                                    static_cast<double>(spec.metrics.interval.count()));
    const double rows = ticks * static_cast<double>(spec.subsystems.size() + 2 * spec.io.size());
    if (rows > max_timeseries_rows)
      out.push_back(base::Diagnostic::warning(
          spec.metrics.loc.line > 0 ? spec.metrics.loc : spec.horizon_loc,
          "the time series will have about " + approx_count(rows) + " rows (" + approx_count(ticks) + " samples at " +
              base::format_human(spec.metrics.interval) + " over the horizon; roughly " +
              approx(base::Bytes{static_cast<std::uint64_t>(rows * 60)}) +
              " on disk): raise 'metrics.interval' or set 'metrics.timeseries: false'"));
  }
  return out;
}

} // namespace sim::scenario

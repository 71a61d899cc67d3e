#include "sim/scenario/loader_sections.hpp"
#include "sim/scenario/topology.hpp"

#include <map>

namespace sim::scenario::detail {

namespace {

std::optional<provider::ChannelSpec> channel(Reader& r, const YAML::Node& v, const char* key) {
  MapReader m(r, v, key, {"bandwidth", "latency"});
  if (!m.ok()) return std::nullopt;
  provider::ChannelSpec c;
  if (m.has("bandwidth"))
    if (auto b = get_rate(r, m.get("bandwidth"), "bandwidth")) c.bandwidth = *b;
  if (m.has("latency"))
    if (auto d = get_duration(r, m.get("latency"), "latency")) c.latency = *d;
  return c;
}

} // namespace

void Loader::topology_section(const YAML::Node& n) {
  TopologySpec& t = spec.topology;
  t.present = true;
  t.loc = r.loc(n);
  if (n.IsNull()) return;
  MapReader m(r, n, "topology",
              {"host_ports", "fabrics", "controller_ports", "load_balance", "failover_delay", "offline_timeout",
               "host_port", "controller", "controller_port", "report_paths", "events", "random"});
  if (!m.ok()) return;
  if (m.has("host_ports"))
    if (auto c = get_count(r, m.get("host_ports"), "host_ports", 1, 64)) t.host_ports = static_cast<std::uint32_t>(*c);
  if (m.has("fabrics"))
    if (auto c = get_count(r, m.get("fabrics"), "fabrics", 0, 64)) t.fabrics = static_cast<std::uint32_t>(*c);
  if (m.has("controller_ports"))
    if (auto c = get_count(r, m.get("controller_ports"), "controller_ports", 1, 64))
      t.controller_ports = static_cast<std::uint32_t>(*c);
  if (m.has("load_balance")) {
    const std::vector<std::string> accepted{"failover", "round_robin", "least_queue_depth"};
    if (auto s = get_string(r, m.get("load_balance"), "load_balance")) {
      if (*s == accepted[0]) t.fabric.load_balance = provider::LoadBalancePolicy::Failover;
      else if (*s == accepted[1]) t.fabric.load_balance = provider::LoadBalancePolicy::RoundRobin;
      else if (*s == accepted[2]) t.fabric.load_balance = provider::LoadBalancePolicy::DynLeastQueueDepth;
      else r.error(m.get("load_balance"), "key 'load_balance': unknown policy " + q(*s) + hint_for(*s, accepted) +
                                              "; accepted: " + join(accepted));
    }
  }
  if (m.has("failover_delay"))
    if (auto d = get_duration(r, m.get("failover_delay"), "failover_delay")) t.fabric.failover_delay = *d;
  if (m.has("offline_timeout"))
    if (auto d = get_duration(r, m.get("offline_timeout"), "offline_timeout")) spec.repair.offline_timeout = *d;
  if (m.has("host_port"))
    if (auto c = channel(r, m.get("host_port"), "host_port")) t.fabric.host_port = *c;
  if (m.has("controller"))
    if (auto c = channel(r, m.get("controller"), "controller")) t.fabric.controller = *c;
  if (m.has("controller_port"))
    if (auto c = channel(r, m.get("controller_port"), "controller_port")) t.fabric.controller_port = *c;
  if (m.has("report_paths"))
    if (auto b = get_bool(r, m.get("report_paths"), "report_paths")) t.fabric.report_paths = *b;
  if (m.has("events")) {
    const YAML::Node list = m.get("events");
    if (!list.IsSequence()) {
      r.error(list, "key 'events': expected a list of {at: TIME, fail: NAME} or {at: TIME, repair: NAME}, found " +
                        describe_kind(list));
    } else {
      for (const YAML::Node& item : list) {
        MapReader e(r, item, "events item", {"at", "fail", "repair"});
        if (!e.ok()) continue;
        const YAML::Node at = e.required("at");
        if (e.has("fail") == e.has("repair")) {
          r.error(item, "events item: give exactly one of 'fail' or 'repair' (a component or link name)");
          continue;
        }
        TopologyEventSpec ev;
        ev.up = e.has("repair");
        const YAML::Node name = e.get(ev.up ? "repair" : "fail");
        if (!at) continue;
        if (auto d = get_duration(r, at, "at")) ev.at = base::at(*d);
        ev.at_loc = r.loc(at);
        if (auto s = get_string(r, name, ev.up ? "repair" : "fail")) ev.component = Located<std::string>{*s, r.loc(name)};
        else continue;
        t.events.push_back(std::move(ev));
      }
    }
  }
  if (m.has("random")) {
    const YAML::Node list = m.get("random");
    if (!list.IsSequence()) {
      r.error(list, "key 'random': expected a list of {component: NAME, time_to_failure: LAW, time_to_repair: LAW}, "
                    "found " + describe_kind(list));
    } else {
      for (const YAML::Node& item : list) {
        MapReader e(r, item, "random item", {"component", "time_to_failure", "time_to_repair"});
        if (!e.ok()) continue;
        const YAML::Node c = e.required("component"), f = e.required("time_to_failure"), rp = e.required("time_to_repair");
        if (!c || !f || !rp) continue;
        TopologyRandomSpec rs;
        auto name = get_string(r, c, "component");
        auto ttf = get_distribution(r, f, "time_to_failure");
        auto ttr = get_distribution(r, rp, "time_to_repair");
        if (!name || !ttf || !ttr) continue;
        if (!(ttf->mean_seconds() > 0)) {
          r.error(f, "key 'time_to_failure': the mean must be greater than 0 (a component that fails at once would "
                     "fail again as soon as repaired)");
          continue;
        }
        rs.component = Located<std::string>{*name, r.loc(c)};
        rs.time_to_failure = *ttf;
        rs.time_to_repair = *ttr;
        t.random.push_back(std::move(rs));
      }
    }
  }
}

std::optional<provider::Component> resolve_component(const storage::Topology& t, std::string_view name) {
  if (const auto sep = name.find(" -- "); sep != std::string_view::npos) {
    const auto a = t.find(name.substr(0, sep)), b = t.find(name.substr(sep + 4));
    if (a == storage::Topology::npos || b == storage::Topology::npos) return std::nullopt;
    if (t.kind(a) == storage::NodeKind::Drive || t.kind(b) == storage::NodeKind::Drive) return std::nullopt;
    const auto l = t.find_link(a, b);
    if (l == storage::Topology::npos) return std::nullopt;
    return provider::Component{true, l};
  }
  const auto v = t.find(name);
  if (v == storage::Topology::npos || t.kind(v) == storage::NodeKind::Drive) return std::nullopt;
  return provider::Component{false, v};
}

void Loader::check_topology() {
  const TopologySpec& ts = spec.topology;
  if (!ts.present) return;
  storage::Topology t;
  build_topology(spec, t);
  // Names must denote one component each ("SUB/ctl-0" is a controller, never an enclosure).
  {
    std::map<std::string, storage::Topology::Vertex> seen;
    for (storage::Topology::Vertex v = 0; v < t.vertex_count(); ++v) {
      const auto [it, fresh] = seen.try_emplace(t.name(v), v);
      if (fresh) continue;
      const auto a = [](storage::NodeKind k) {
        const std::string n = storage::to_string(k);
        return (n[0] == 'e' ? "an " : "a ") + n;
      };
      r.error(ts.loc, "topology: the name " + q(t.name(v)) + " denotes both " + a(t.kind(it->second)) + " and " +
                          a(t.kind(v)) +
                          "; rename the enclosure or subsystem (components are named host/pI, fabric-F, "
                          "SUBSYSTEM/ctl-C, SUBSYSTEM/ctl-C/pP, SUBSYSTEM/ENCLOSURE)");
      return;
    }
  }
  // A component changes by one process: the scheduled events, or one random entry.
  {
    std::map<std::string, std::string> owner;  // component -> "events" or "random"
    for (const auto& e : ts.events) owner.try_emplace(e.component.value, "events");
    for (const auto& rs : ts.random) {
      const auto [it, fresh] = owner.try_emplace(rs.component.value, "random");
      if (!fresh)
        r.error(rs.component.loc, "topology.random: " + q(rs.component.value) + " already changes by topology." +
                                      it->second + "; a component follows one process (scheduled events, or one "
                                      "random entry)");
    }
  }
  std::vector<std::string> names;
  for (storage::Topology::Vertex v = 0; v < t.vertex_count(); ++v)
    if (t.kind(v) != storage::NodeKind::Drive) names.push_back(t.name(v));
  auto check = [&](const Located<std::string>& c) {
    if (resolve_component(t, c.value)) return;
    const std::string drives = "drive failures are failures.inject and failures.lifetime";
    auto is_drive = [&](std::string_view n) {
      const auto v = t.find(n);
      return drive_names.contains(n) || (v != storage::Topology::npos && t.kind(v) == storage::NodeKind::Drive);
    };
    std::string why;
    if (const auto sep = c.value.find(" -- "); sep != std::string::npos) {
      const std::string a = c.value.substr(0, sep), b = c.value.substr(sep + 4);
      if (is_drive(a) || is_drive(b)) why = q(c.value) + " is a drive's link: " + drives;
      else if (t.find(a) == storage::Topology::npos || t.find(b) == storage::Topology::npos) {
        const std::string& missing = t.find(a) == storage::Topology::npos ? a : b;
        why = "no link " + q(c.value) + ": no component named " + q(missing) + hint_for(missing, names);
      } else why = "no link " + q(c.value) + " (a link is written \"A -- B\" with two linked component names)";
    } else if (is_drive(c.value))
      why = q(c.value) + " is a drive: " + drives;
    else
      why = "no component named " + q(c.value) + hint_for(c.value, names) +
            " (host/pI, fabric-F, SUBSYSTEM/ctl-C, SUBSYSTEM/ctl-C/pP, SUBSYSTEM/ENCLOSURE, or a link \"A -- B\")";
    r.error(c.loc, "topology: " + why);
  };
  for (const auto& e : ts.events) {
    check(e.component);
    if (spec.horizon != base::never && e.at >= spec.horizon)
      r.error(e.at_loc, "key 'at': " + base::format_seconds(e.at) + " s is not before the horizon (" +
                            base::format_seconds(spec.horizon) + " s): the change would never happen");
  }
  for (const auto& rs : ts.random) check(rs.component);
  if (!ts.random.empty() && spec.horizon == base::never && !horizon_given)
    r.error(ts.random.front().component.loc,
            "topology.random needs a 'horizon': without one the failures never end (e.g. horizon: 30d)");
}

} // namespace sim::scenario::detail

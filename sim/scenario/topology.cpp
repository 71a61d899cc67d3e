#include "sim/scenario/topology.hpp"

#include <string>

namespace sim::scenario {

void build_topology(const ScenarioSpec& spec, storage::Topology& t) {
  using storage::NodeKind;
  const TopologySpec& ts = spec.topology;
  std::vector<storage::Topology::Vertex> hosts, fabrics;
  for (std::uint32_t i = 0; i < ts.host_ports; ++i) hosts.push_back(t.add(NodeKind::HostPort, "host/p" + std::to_string(i)));
  for (std::uint32_t f = 0; f < ts.fabrics; ++f) fabrics.push_back(t.add(NodeKind::Fabric, "fabric-" + std::to_string(f)));
  if (!fabrics.empty())
    for (std::uint32_t i = 0; i < hosts.size(); ++i) t.connect(hosts[i], fabrics[i % fabrics.size()]);
  for (const SubsystemSpec& s : spec.subsystems) {
    std::vector<storage::Topology::Vertex> controllers;
    for (std::uint32_t c = 0; c < s.controllers; ++c) {
      const std::string name = s.name + "/ctl-" + std::to_string(c);
      const auto ctl = t.add(NodeKind::Controller, name);
      controllers.push_back(ctl);
      for (std::uint32_t p = 0; p < ts.controller_ports; ++p) {
        const auto port = t.add(NodeKind::ControllerPort, name + "/p" + std::to_string(p));
        t.connect(port, ctl);
        if (!fabrics.empty()) t.connect(port, fabrics[p % fabrics.size()]);
        else if (p < hosts.size()) t.connect(port, hosts[p]);
      }
    }
    for (const EnclosureSpec& e : s.enclosures) {
      const auto enc = t.add(NodeKind::Enclosure, s.name + "/" + e.name);
      for (const auto ctl : controllers) t.connect(ctl, enc);
      for (std::uint32_t i = 0; i < e.count; ++i)
        t.connect(enc, t.add(NodeKind::Drive, s.name + "/" + e.name + "/" + std::to_string(i)));
    }
  }
}

} // namespace sim::scenario

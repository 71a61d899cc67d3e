#include "sim/scenario/topology.hpp"

#include <string>

namespace sim::scenario {

void build_topology(const ScenarioSpec& spec, storage::Topology& t) {
  using storage::NodeKind;
  storage::Topology::Vertex fabric[2];
  for (int f = 0; f < 2; ++f) {
    const auto port = t.add(NodeKind::HostPort, "host/p" + std::to_string(f));
    fabric[f] = t.add(NodeKind::Fabric, "fabric-" + std::to_string(f));
    t.connect(port, fabric[f]);
  }
  for (const SubsystemSpec& s : spec.subsystems) {
    std::vector<storage::Topology::Vertex> controllers;
    for (std::uint32_t c = 0; c < s.controllers; ++c) {
      const std::string name = s.name + "/ctl-" + std::to_string(c);
      const auto ctl = t.add(NodeKind::Controller, name);
      controllers.push_back(ctl);
      for (int f = 0; f < 2; ++f) {
        const auto port = t.add(NodeKind::ControllerPort, name + "/p" + std::to_string(f));
        t.connect(port, ctl);
        t.connect(port, fabric[f]);
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

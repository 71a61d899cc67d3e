// The topology a scenario implies, as a storage::Topology (issue 8's defaults): one host with
// two initiator ports ("host/p0", "host/p1"), each on its own fabric ("fabric-0", "fabric-1");
// per subsystem, `controllers` controllers ("<sub>/ctl-<i>") each with one port per fabric
// ("<sub>/ctl-<i>/p<f>") and linked to every enclosure ("<sub>/<enclosure>"), which holds its
// drives ("<sub>/<enclosure>/<index>"). Everything starts up. Vertices are added in that order
// (deterministic).
#pragma once

#include "sim/scenario/spec.hpp"
#include "sim/storage/topology.hpp"

namespace sim::scenario {

void build_topology(const ScenarioSpec& spec, storage::Topology& out);

} // namespace sim::scenario

// The topology a scenario implies, as a storage::Topology. From `topology:` (defaults in
// brackets): `host_ports` [2] initiator ports "host/p<i>"; `fabrics` [2] fabrics "fabric-<f>",
// host port i on fabric i mod fabrics; per subsystem, `controllers` [2] controllers
// "<sub>/ctl-<c>", each with `controller_ports` [2] ports "<sub>/ctl-<c>/p<p>", port p on fabric
// p mod fabrics, and
// each controller linked to every enclosure "<sub>/<enclosure>", which holds its drives
// "<sub>/<enclosure>/<index>". With `fabrics: 0` port p of every controller is cabled to host
// port p (direct attach; ports beyond the host ports stay unconnected). Everything starts up.
// Vertices and links are added in that order (deterministic), so names resolve to the same
// indices every time.
#pragma once

#include "sim/scenario/spec.hpp"
#include "sim/storage/topology.hpp"

namespace sim::scenario {

void build_topology(const ScenarioSpec& spec, storage::Topology& out);

} // namespace sim::scenario

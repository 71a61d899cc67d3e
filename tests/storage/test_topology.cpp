// Topology (topology.hpp): paths counted as (initiator port, controller port) pairs over healthy
// vertices and links, front end and back end kept apart, components cached until a change, DOT.
#include "sim/storage/topology.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

using sim::storage::NodeKind;
using sim::storage::Topology;

namespace {

/// One host with two ports on two fabrics; two controllers with one port on each fabric; one
/// enclosure linked to both controllers; one drive in it. 2 host ports x 2 reachable controller
/// ports on each fabric: 4 paths.
struct DualFabric {
  Topology t;
  Topology::Vertex hp[2], fab[2], ctl[2], cp[2][2], enc, drive;
  Topology::Link enc_link[2];
  DualFabric() {
    for (int f = 0; f < 2; ++f) {
      hp[f] = t.add(NodeKind::HostPort, "host/p" + std::to_string(f));
      fab[f] = t.add(NodeKind::Fabric, "fabric-" + std::to_string(f));
      t.connect(hp[f], fab[f]);
    }
    enc = t.add(NodeKind::Enclosure, "shelf-1");
    drive = t.add(NodeKind::Drive, "shelf-1/0");
    t.connect(enc, drive);
    for (int c = 0; c < 2; ++c) {
      ctl[c] = t.add(NodeKind::Controller, "ctl-" + std::to_string(c));
      enc_link[c] = t.connect(ctl[c], enc);
      for (int f = 0; f < 2; ++f) {
        cp[c][f] = t.add(NodeKind::ControllerPort, "ctl-" + std::to_string(c) + "/p" + std::to_string(f));
        t.connect(cp[c][f], ctl[c]);
        t.connect(cp[c][f], fab[f]);
      }
    }
  }
};

} // namespace

TEST_CASE("dual fabric: 4 paths per LUN drive, a fabric failure leaves 2, a controller failure 2, both 1") {
  DualFabric d;
  CHECK(d.t.path_count(d.drive) == 4);
  CHECK(d.t.path_count(d.enc) == 4);
  const auto paths = d.t.paths_to(d.drive);
  REQUIRE(paths.size() == 4);
  CHECK(paths[0] == Topology::Path{d.hp[0], d.cp[0][0]});
  CHECK(paths[1] == Topology::Path{d.hp[0], d.cp[1][0]});
  CHECK(paths[2] == Topology::Path{d.hp[1], d.cp[0][1]});
  CHECK(paths[3] == Topology::Path{d.hp[1], d.cp[1][1]});

  d.t.set_up(d.fab[0], false);
  CHECK(d.t.path_count(d.drive) == 2);
  d.t.set_up(d.ctl[1], false);
  CHECK(d.t.path_count(d.drive) == 1);
  d.t.set_up(d.fab[0], true);
  d.t.set_up(d.ctl[1], true);
  CHECK(d.t.path_count(d.drive) == 4);
  // A back-end link down: that controller no longer reaches the enclosure.
  d.t.set_link_up(d.enc_link[0], false);
  CHECK(d.t.path_count(d.drive) == 2);
  // The enclosure down: no path at all, whatever the front end.
  d.t.set_up(d.enc, false);
  CHECK(d.t.path_count(d.drive) == 0);
}

TEST_CASE("the back end never carries a host path: a port whose controller is down has none") {
  DualFabric d;
  // ctl-0 down: its ports are up and on the fabrics, but reaching the enclosure through ctl-1's
  // back end does not make them paths.
  d.t.set_up(d.ctl[0], false);
  const auto paths = d.t.paths_to(d.drive);
  REQUIRE(paths.size() == 2);
  for (const auto& p : paths) CHECK((p.controller_port == d.cp[1][0] || p.controller_port == d.cp[1][1]));
}

TEST_CASE("components are computed once per change, not per query") {
  DualFabric d;
  for (int i = 0; i < 100; ++i) CHECK(d.t.path_count(d.drive) == 4);
  CHECK(d.t.recomputations() == 1);
  d.t.set_up(d.fab[1], false);
  d.t.set_up(d.fab[1], false);  // no change: no invalidation
  for (int i = 0; i < 100; ++i) CHECK(d.t.path_count(d.drive) == 2);
  CHECK(d.t.recomputations() == 2);
}

TEST_CASE("write_dot gives Graphviz with names, kinds and states, down objects dashed") {
  DualFabric d;
  d.t.set_up(d.ctl[1], false);
  std::ostringstream os;
  d.t.write_dot(os);
  const std::string dot = os.str();
  CHECK(dot.rfind("graph G {", 0) == 0);
  CHECK(dot.find("kind=controller, state=down, style=dashed") != std::string::npos);
  CHECK(dot.find("kind=drive, state=up") != std::string::npos);
  CHECK(dot.find("shelf-1/0") != std::string::npos);
  CHECK(dot.find("--") != std::string::npos);  // undirected edges
}

TEST_CASE("a controller that lost its link to an enclosure does not reach it by a detour through another enclosure and controller") {
  DualFabric d;
  const Topology::Vertex enc2 = d.t.add(NodeKind::Enclosure, "shelf-2");
  const Topology::Vertex drive2 = d.t.add(NodeKind::Drive, "shelf-2/0");
  d.t.connect(enc2, drive2);
  d.t.connect(d.ctl[0], enc2);
  d.t.connect(d.ctl[1], enc2);
  // shelf-1 -- ctl-0 down: ctl-0 still reaches shelf-2, and through it ctl-1 reaches shelf-1,
  // but that is not a way for ctl-0 to reach shelf-1.
  d.t.set_link_up(d.enc_link[0], false);
  CHECK(d.t.path_count(d.drive) == 2);
  CHECK(d.t.path_count(drive2) == 4);
  CHECK(!d.t.back_end_joined(d.ctl[0], d.enc));
  CHECK(d.t.back_end_joined(d.ctl[1], d.drive));
  CHECK(d.t.back_end_joined(d.enc, d.drive));
  CHECK(!d.t.back_end_joined(d.ctl[0], d.ctl[1]));
}

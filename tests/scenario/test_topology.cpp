// build_topology (sim/scenario/topology.hpp): the default topology of a scenario and its paths.
#include "sim/scenario/topology.hpp"

#include "sim/scenario/loader.hpp"

#include <catch2/catch.hpp>

#include <string>

using sim::storage::NodeKind;

namespace {

sim::scenario::ScenarioSpec spec_with(int controllers) {
  const std::string text = "name: t\ndrive_models:\n  m: {capacity: 1TB}\nsubsystems:\n  - name: a\n    controllers: " +
                           std::to_string(controllers) +
                           "\n    enclosures:\n      - {name: e1, drives: {model: m, count: 3}}\n"
                           "      - {name: e2, drives: {model: m, count: 2}}\n";
  auto r = sim::scenario::load_scenario(text, "t.yaml");
  REQUIRE(r.spec);
  return *r.spec;
}

sim::storage::Topology::Vertex find(const sim::storage::Topology& t, const std::string& name) {
  for (sim::storage::Topology::Vertex v = 0; v < t.vertex_count(); ++v)
    if (t.name(v) == name) return v;
  FAIL("no vertex " << name);
  return 0;
}

} // namespace

TEST_CASE("the default topology: one host on two fabrics, every controller on both and linked to every enclosure") {
  sim::storage::Topology t;
  sim::scenario::build_topology(spec_with(2), t);
  // 2 host ports + 2 fabrics + 2 controllers x (1 + 2 ports) + 2 enclosures + 5 drives.
  CHECK(t.vertex_count() == 2 + 2 + 6 + 2 + 5);
  // host-fabric 2, per controller 2 x (port-controller + port-fabric) + 2 enclosure links, enclosure-drive 5.
  CHECK(t.link_count() == 2 + 2 * (4 + 2) + 5);
  CHECK(t.kind(find(t, "a/ctl-1/p0")) == NodeKind::ControllerPort);
  const auto drive = find(t, "a/e2/1");
  CHECK(t.path_count(drive) == 4);  // 2 initiator ports x 2 controllers
  t.set_up(find(t, "a/ctl-0"), false);
  CHECK(t.path_count(drive) == 2);
  t.set_up(find(t, "fabric-1"), false);
  CHECK(t.path_count(drive) == 1);

  sim::storage::Topology one;
  sim::scenario::build_topology(spec_with(1), one);
  CHECK(one.path_count(find(one, "a/e1/0")) == 2);
  one.set_up(find(one, "a/ctl-0"), false);
  CHECK(one.path_count(find(one, "a/e1/0")) == 0);
}

// The array's topology as a Boost.Graph graph: host initiator ports, fabrics (switches),
// controller ports, controllers, enclosures and drives are vertices, links are edges, and every
// vertex and link is up or down.
//
// A path is what VDS_PATH_INFO lists: an (initiator port, controller port) pair, counted once
// per pair, never once per graph path. The pair is a path to a target (a drive or an enclosure)
// when
//   - the front end joins them: the initiator port, the controller port and whatever fabrics lie
//     between are up, and so are the links used (a connected component of the front-end
//     subgraph: host ports, fabrics, controller ports);
//   - the controller port's controller is up and the link between them is up;
//   - that controller reaches the target through the back end: an up link from the controller
//     to an up enclosure (or drive) joined to the target by enclosures, drives and links that
//     are up — never through another controller (a controller that lost its link to an
//     enclosure does not reach it by way of another enclosure and the other controller).
// Components are computed on filtered_graph views with connected_components, only after a
// change (a vertex or link added, or switched up or down); queries in between read the cache, so
// a query never walks the graph per I/O.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sim::storage {

enum class NodeKind : std::uint8_t { HostPort, Fabric, ControllerPort, Controller, Enclosure, Drive };
const char* to_string(NodeKind k);

class Topology {
public:
  using Vertex = std::uint32_t;
  using Link = std::uint32_t;
  static constexpr std::uint32_t npos = UINT32_MAX;

  Topology();
  ~Topology();
  Topology(const Topology&) = delete;
  Topology& operator=(const Topology&) = delete;

  /// A new vertex, up. Names are for messages and DOT output (unique by convention).
  Vertex add(NodeKind kind, std::string name);
  /// A new link between two vertices, up. A controller port must be linked to exactly one
  /// controller for its paths to count.
  Link connect(Vertex a, Vertex b);
  void set_up(Vertex v, bool up);
  void set_link_up(Link l, bool up);
  bool up(Vertex v) const;
  bool link_up(Link l) const;
  NodeKind kind(Vertex v) const;
  /// The vertex named `name` (the first added, if several), or npos.
  Vertex find(std::string_view name) const;
  /// The link between `a` and `b` (either order; the first added), or npos.
  Link find_link(Vertex a, Vertex b) const;
  const std::string& name(Vertex v) const;
  std::size_t vertex_count() const;
  std::size_t link_count() const;

  struct Path {
    Vertex initiator = 0;
    Vertex controller_port = 0;
    bool operator==(const Path&) const = default;
  };
  /// Every path to `target` (a drive or an enclosure), sorted by (initiator, controller port).
  std::vector<Path> paths_to(Vertex target) const;
  std::size_t path_count(Vertex target) const { return paths_to(target).size(); }
  /// True when the pair is a path now: both up and joined by the front end (whatever target).
  bool joined(Vertex initiator, Vertex controller_port) const;
  /// The controller a controller port serves now (both up, link up); npos when none.
  Vertex controller_of(Vertex controller_port) const;
  /// True when `a` and `b` are up and joined through the back end (enclosures, drives and the
  /// links between them), a controller only through its own links (two controllers: false).
  bool back_end_joined(Vertex a, Vertex b) const;
  /// Every link's ends.
  std::pair<Vertex, Vertex> ends(Link l) const;
  /// How many times the components were computed (each change invalidates them once).
  std::uint64_t recomputations() const { return recomputations_; }

  /// Graphviz DOT (boost::write_graphviz): vertices labelled "name (kind)", with attributes
  /// `kind` and `state` (up, down); down vertices and links dashed.
  void write_dot(std::ostream& out) const;

private:
  struct Impl;
  void refresh() const;

  std::unique_ptr<Impl> impl_;
  mutable bool stale_ = true;
  mutable std::uint64_t recomputations_ = 0;
};

} // namespace sim::storage

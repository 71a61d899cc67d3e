#include "sim/storage/topology.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/graphviz.hpp>

#include <algorithm>
#include <unordered_map>
#include <ostream>
#include <stdexcept>

namespace sim::storage {

namespace {

struct VertexData {
  NodeKind kind = NodeKind::Drive;
  std::string name;
  bool up = true;
};

struct EdgeData {
  Topology::Link id = 0;
  bool up = true;
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, VertexData, EdgeData>;

bool front_end(NodeKind k) { return k == NodeKind::HostPort || k == NodeKind::Fabric || k == NodeKind::ControllerPort; }
// Controllers are not part of the back-end components: a controller reaches what its own links
// reach, never through another controller (or through an enclosure to another controller).
bool back_end(NodeKind k) { return k == NodeKind::Enclosure || k == NodeKind::Drive; }

/// The vertices of one side (front or back end) that are up, and the up links between them.
struct Side {
  const Graph* g = nullptr;
  bool front = true;
  bool operator()(Graph::vertex_descriptor v) const {
    const VertexData& d = (*g)[v];
    return d.up && (front ? front_end(d.kind) : back_end(d.kind));
  }
  bool operator()(Graph::edge_descriptor e) const {
    return (*g)[e].up && (*this)(boost::source(e, *g)) && (*this)(boost::target(e, *g));
  }
};

} // namespace

const char* to_string(NodeKind k) {
  switch (k) {
    case NodeKind::HostPort: return "host_port";
    case NodeKind::Fabric: return "fabric";
    case NodeKind::ControllerPort: return "controller_port";
    case NodeKind::Controller: return "controller";
    case NodeKind::Enclosure: return "enclosure";
    case NodeKind::Drive: return "drive";
  }
  return "unknown";
}

struct Topology::Impl {
  Graph g;
  std::vector<Graph::edge_descriptor> links;
  std::unordered_map<std::string, Vertex> by_name;  // first vertex of each name
  // Cache (valid while !stale_): components per side (SIZE_MAX: not on that side or down), and
  // the controller of each controller port (SIZE_MAX: none up, or its link is down).
  std::vector<std::size_t> front, back;
  std::vector<std::size_t> controller_of;
  // Per controller vertex (empty for others): the back-end components it reaches directly,
  // sorted (an up link to an up enclosure or drive of that component).
  std::vector<std::vector<std::size_t>> reach;
  std::vector<Vertex> host_ports, controller_ports;  // in order of addition
  bool reaches(std::size_t controller, std::size_t component) const {
    const auto& r = reach[controller];
    return std::binary_search(r.begin(), r.end(), component);
  }
};

Topology::Topology() : impl_(std::make_unique<Impl>()) {}
Topology::~Topology() = default;

Topology::Vertex Topology::add(NodeKind kind, std::string name) {
  stale_ = true;
  // add_vertex(g) then the properties: add_vertex(property, g) trips a false -Wuninitialized in
  // Boost 1.74's named_graph at -O1 with the sanitizers.
  const auto v = boost::add_vertex(impl_->g);
  impl_->by_name.try_emplace(name, static_cast<Vertex>(v));
  if (kind == NodeKind::HostPort) impl_->host_ports.push_back(static_cast<Vertex>(v));
  if (kind == NodeKind::ControllerPort) impl_->controller_ports.push_back(static_cast<Vertex>(v));
  impl_->g[v] = VertexData{kind, std::move(name), true};
  return static_cast<Vertex>(v);
}

Topology::Link Topology::connect(Vertex a, Vertex b) {
  if (a >= vertex_count() || b >= vertex_count()) throw std::out_of_range("Topology::connect: no such vertex");
  stale_ = true;
  const auto id = static_cast<Link>(impl_->links.size());
  impl_->links.push_back(boost::add_edge(a, b, EdgeData{id, true}, impl_->g).first);
  return id;
}

void Topology::set_up(Vertex v, bool up) {
  if (impl_->g[v].up == up) return;
  impl_->g[v].up = up;
  stale_ = true;
}

void Topology::set_link_up(Link l, bool up) {
  auto& d = impl_->g[impl_->links.at(l)];
  if (d.up == up) return;
  d.up = up;
  stale_ = true;
}

bool Topology::up(Vertex v) const { return impl_->g[v].up; }
bool Topology::link_up(Link l) const { return impl_->g[impl_->links.at(l)].up; }
NodeKind Topology::kind(Vertex v) const { return impl_->g[v].kind; }
const std::string& Topology::name(Vertex v) const { return impl_->g[v].name; }
std::size_t Topology::vertex_count() const { return boost::num_vertices(impl_->g); }
std::size_t Topology::link_count() const { return impl_->links.size(); }

void Topology::refresh() const {
  if (!stale_) return;
  const Graph& g = impl_->g;
  const std::size_t n = boost::num_vertices(g);
  for (const bool front : {true, false}) {
    const Side side{&g, front};
    boost::filtered_graph<Graph, Side, Side> view(g, side, side);
    std::vector<std::size_t> comp(n, SIZE_MAX);
    // connected_components numbers the view's vertices; vertices outside it keep SIZE_MAX.
    std::vector<std::size_t> all(n, 0);
    boost::connected_components(view, boost::make_iterator_property_map(all.begin(), boost::get(boost::vertex_index, g)));
    for (std::size_t v = 0; v < n; ++v)
      if (side(v)) comp[v] = all[v];
    (front ? impl_->front : impl_->back) = std::move(comp);
  }
  impl_->controller_of.assign(n, SIZE_MAX);
  for (const Vertex v : impl_->controller_ports) {
    for (const auto e : boost::make_iterator_range(boost::out_edges(v, g))) {
      const std::size_t c = boost::target(e, g);
      if (g[c].kind == NodeKind::Controller && g[c].up && g[e].up) impl_->controller_of[v] = c;
    }
  }
  impl_->reach.assign(n, {});
  for (std::size_t c = 0; c < n; ++c) {
    if (g[c].kind != NodeKind::Controller || !g[c].up) continue;
    auto& r = impl_->reach[c];
    for (const auto e : boost::make_iterator_range(boost::out_edges(c, g))) {
      const std::size_t t = boost::target(e, g);
      if (g[e].up && impl_->back[t] != SIZE_MAX) r.push_back(impl_->back[t]);
    }
    std::sort(r.begin(), r.end());
    r.erase(std::unique(r.begin(), r.end()), r.end());
  }
  stale_ = false;
  ++recomputations_;
}

std::vector<Topology::Path> Topology::paths_to(Vertex target) const {
  refresh();
  const Graph& g = impl_->g;
  std::vector<Path> out;
  const std::size_t t = impl_->back.at(target);
  if (t == SIZE_MAX) return out;  // the target is down
  (void)g;
  for (const Vertex h : impl_->host_ports) {
    if (impl_->front[h] == SIZE_MAX) continue;
    for (const Vertex p : impl_->controller_ports) {
      if (impl_->front[p] != impl_->front[h]) continue;
      const std::size_t c = impl_->controller_of[p];
      if (c != SIZE_MAX && impl_->reaches(c, t)) out.push_back(Path{h, p});
    }
  }
  return out;
}

Topology::Vertex Topology::find(std::string_view name) const {
  const auto it = impl_->by_name.find(std::string(name));
  return it == impl_->by_name.end() ? npos : it->second;
}

Topology::Link Topology::find_link(Vertex a, Vertex b) const {
  for (const auto e : boost::make_iterator_range(boost::out_edges(a, impl_->g)))
    if (boost::target(e, impl_->g) == b) return impl_->g[e].id;
  return npos;
}

bool Topology::joined(Vertex initiator, Vertex controller_port) const {
  refresh();
  const std::size_t a = impl_->front.at(initiator);
  return a != SIZE_MAX && a == impl_->front.at(controller_port);
}

Topology::Vertex Topology::controller_of(Vertex controller_port) const {
  refresh();
  const std::size_t c = impl_->controller_of.at(controller_port);
  return c == SIZE_MAX ? npos : static_cast<Vertex>(c);
}

bool Topology::back_end_joined(Vertex a, Vertex b) const {
  refresh();
  const bool ca = impl_->g[a].kind == NodeKind::Controller, cb = impl_->g[b].kind == NodeKind::Controller;
  if (ca && cb) return false;
  if (ca || cb) {
    const std::size_t t = impl_->back.at(ca ? b : a);
    return t != SIZE_MAX && impl_->reaches(ca ? a : b, t);
  }
  const std::size_t x = impl_->back.at(a);
  return x != SIZE_MAX && x == impl_->back.at(b);
}

std::pair<Topology::Vertex, Topology::Vertex> Topology::ends(Link l) const {
  const auto e = impl_->links.at(l);
  return {static_cast<Vertex>(boost::source(e, impl_->g)), static_cast<Vertex>(boost::target(e, impl_->g))};
}

void Topology::write_dot(std::ostream& out) const {
  const Graph& g = impl_->g;
  auto vertex_writer = [&](std::ostream& os, Graph::vertex_descriptor v) {
    const VertexData& d = g[v];
    os << "[label=" << boost::escape_dot_string(d.name + " (" + to_string(d.kind) + ")") << ", kind=" << to_string(d.kind)
       << ", state=" << (d.up ? "up" : "down") << (d.up ? "" : ", style=dashed") << "]";
  };
  auto edge_writer = [&](std::ostream& os, Graph::edge_descriptor e) {
    os << "[state=" << (g[e].up ? "up" : "down") << (g[e].up ? "" : ", style=dashed") << "]";
  };
  boost::write_graphviz(out, g, vertex_writer, edge_writer);
}

} // namespace sim::storage

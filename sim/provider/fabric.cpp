#include "sim/provider/fabric.hpp"

#include "sim/engine/completion.hpp"

#include <algorithm>
#include <stdexcept>

namespace sim::provider {

using storage::NodeKind;

struct Fabric::Channel {
  struct Node {
    std::coroutine_handle<> h;
    base::Bytes size;
    storage::IoStatus status = storage::IoStatus::Pending;
    Node* next = nullptr;
  };
  ChannelSpec spec;
  Fabric* fabric = nullptr;
  Node* head = nullptr;
  Node* tail = nullptr;
  Node* serving = nullptr;
  std::uint64_t epoch = 0;
  std::uint32_t entity = 0;
  bool up = true;

  void start() {
    serving = head;
    head = head->next;
    if (head == nullptr) tail = nullptr;
    const base::Duration service = spec.latency + base::transfer_time(serving->size, spec.bandwidth);
    fabric->sim_->schedule_in(service, engine::Action{&Channel::on_done, this, epoch}, engine::EventTag{fabric->kind_, entity});
  }
  static void on_done(void* self, std::uint64_t epoch) {
    auto& c = *static_cast<Channel*>(self);
    if (epoch != c.epoch) return;  // failed meanwhile: fail() answered the request
    Node* n = c.serving;
    c.serving = nullptr;
    n->status = storage::IoStatus::Ok;
    n->h.resume();
    if (c.serving == nullptr && c.head != nullptr) c.start();
  }
  /// Every request out with DeviceFailed, each resumed through its own event now, in order.
  void fail() {
    up = false;
    ++epoch;
    auto out = [&](Node* n) {
      n->status = storage::IoStatus::DeviceFailed;
      fabric->sim_->schedule_in(base::Duration::zero(), engine::resume_action(n->h), engine::EventTag{fabric->kind_, entity});
    };
    if (serving != nullptr) out(std::exchange(serving, nullptr));
    for (Node* n = std::exchange(head, nullptr); n != nullptr;) {
      Node* next = n->next;
      out(n);
      n = next;
    }
    tail = nullptr;
  }
  void clear() {
    head = tail = serving = nullptr;
    up = true;
    ++epoch;
  }
};

class Fabric::ChannelAwaiter {
public:
  ChannelAwaiter(Channel& c, base::Bytes size) : c_(&c) { node_.size = size; }
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) {
    if (!c_->up) {
      node_.status = storage::IoStatus::DeviceFailed;
      return false;
    }
    node_.h = h;
    if (c_->tail != nullptr) c_->tail->next = &node_;
    else c_->head = &node_;
    c_->tail = &node_;
    if (c_->serving == nullptr) c_->start();
    return true;
  }
  storage::IoStatus await_resume() const noexcept { return node_.status; }

private:
  Channel* c_;
  Channel::Node node_;
};

struct Fabric::Sub {
  struct Path {
    Vertex initiator = 0;
    Vertex port = 0;
    std::int16_t controller = 0;
    std::int16_t port_index = 0;
    bool joined = true;
    std::uint32_t outstanding = 0;  // host requests on the path now
  };
  Subsystem* sub = nullptr;
  std::vector<Vertex> controllers;
  std::vector<std::vector<Vertex>> ports;
  std::vector<Vertex> enclosures;
  std::vector<std::vector<DriveObject*>> drives;
  std::vector<std::unique_ptr<Channel>> controller_channels;
  std::vector<std::vector<std::unique_ptr<Channel>>> port_channels;
  std::vector<Path> paths;
  std::vector<std::uint32_t> luns;  // LunState slots
};

/// A host request waiting for a fail-over, in the LUN's FIFO list (lives in the request's frame).
struct Fabric::Stall {
  std::coroutine_handle<> h;
  Stall* next = nullptr;
  LunState* st = nullptr;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> handle);
  void await_resume() const noexcept {}
};

struct Fabric::LunState {
  LunObject* lun = nullptr;
  Sub* sub = nullptr;
  std::uint32_t slot = 0;
  bool failing_over = false;
  engine::EventId failover;         // its end, while failing_over
  std::vector<std::uint8_t> reach;  // per controller: reaches the LUN's back end (update_reach)
  std::uint32_t rr = 0;
  LoadBalancePolicy policy = LoadBalancePolicy::Failover;
  Stall* head = nullptr;
  Stall* tail = nullptr;
  std::string reported;  // the statuses last reported
};

void Fabric::Stall::await_suspend(std::coroutine_handle<> handle) {
  h = handle;
  if (st->tail != nullptr) st->tail->next = this;
  else st->head = this;
  st->tail = this;
}

struct Fabric::Change {
  Component c;
  bool up = false;
};

struct Fabric::Random {
  Component c;
  engine::Distribution time_to_failure;
  engine::Distribution time_to_repair;
  engine::RandomStream rng{0};
  std::uint64_t index = 0;  // in randoms_
  bool up = true;
};

Fabric::Fabric(engine::Simulation& sim, storage::Topology& topology, FabricConfig config)
    : sim_(&sim), topology_(&topology), config_(config), kind_(sim.register_kind("fabric")) {
  vertex_is_host_.assign(topology.vertex_count(), 0);
  host_channels_.resize(topology.vertex_count());
  for (Vertex v = 0; v < topology.vertex_count(); ++v) {
    vertex_is_host_[v] = topology.kind(v) == NodeKind::HostPort;
    if (vertex_is_host_[v] == 0) continue;
    auto ch = std::make_unique<Channel>();
    ch->spec = config_.host_port;
    ch->fabric = this;
    ch->entity = sim.new_entity();
    host_channels_[v] = std::move(ch);
  }
}

Fabric::~Fabric() {
  for (const auto& s : subs_) s->sub->set_fabric(nullptr);
}

void Fabric::attach(Subsystem& sub, std::vector<Vertex> controllers, std::vector<std::vector<Vertex>> ports,
                    std::vector<Vertex> enclosures, std::vector<std::vector<DriveObject*>> drives) {
  if (controllers.size() != sub.controllers().size()) throw std::logic_error("Fabric::attach: controller count");
  auto s = std::make_unique<Sub>();
  s->sub = &sub;
  for (std::size_t c = 0; c < controllers.size(); ++c) {
    auto ch = std::make_unique<Channel>();
    ch->spec = config_.controller;
    ch->fabric = this;
    ch->entity = sim_->new_entity();
    s->controller_channels.push_back(std::move(ch));
    s->port_channels.emplace_back();
    for (std::size_t p = 0; p < ports[c].size(); ++p) {
      auto pc = std::make_unique<Channel>();
      pc->spec = config_.controller_port;
      pc->fabric = this;
      pc->entity = sim_->new_entity();
      s->port_channels.back().push_back(std::move(pc));
    }
  }
  // The configured paths: pairs joined now (everything is up), in (initiator, port) order.
  for (Vertex h = 0; h < vertex_is_host_.size(); ++h) {
    if (vertex_is_host_[h] == 0) continue;
    for (std::size_t c = 0; c < controllers.size(); ++c)
      for (std::size_t p = 0; p < ports[c].size(); ++p)
        if (topology_->joined(h, ports[c][p]) && topology_->controller_of(ports[c][p]) == controllers[c])
          s->paths.push_back(Sub::Path{h, ports[c][p], static_cast<std::int16_t>(c), static_cast<std::int16_t>(p), true, 0});
  }
  std::stable_sort(s->paths.begin(), s->paths.end(),
                   [](const Sub::Path& a, const Sub::Path& b) { return a.initiator != b.initiator ? a.initiator < b.initiator : a.port < b.port; });
  s->controllers = std::move(controllers);
  s->ports = std::move(ports);
  s->enclosures = std::move(enclosures);
  s->drives = std::move(drives);
  sub.set_fabric(this);
  subs_.push_back(std::move(s));
}

std::string Fabric::name(Component c) const {
  if (!c.link) return topology_->name(c.index);
  const auto [a, b] = topology_->ends(c.index);
  return topology_->name(a) + " -- " + topology_->name(b);
}

void Fabric::emit_component(Component c, bool up) {
  if (sink_ == nullptr) return;
  const std::string n = name(c);
  const char* kind = c.link ? "link" : storage::to_string(topology_->kind(c.index));
  const ObjectType type = !c.link && topology_->kind(c.index) == NodeKind::HostPort ? ObjectType::HbaPort : ObjectType::Unknown;
  sink_->notify(Notification{sim_->now(), NotificationEvent::ComponentModify, type, ObjectId::derive("component", n), n,
                             base::EventDetail{}
                                 .field(base::detail_key::kind, kind)
                                 .field(base::detail_key::state, up ? base::detail_value::up : base::detail_value::down)
                                 .str()});
}

void Fabric::set_up(Component c, bool up) {
  if (c.link ? topology_->link_up(c.index) == up : topology_->up(c.index) == up) return;
  if (c.link) topology_->set_link_up(c.index, up);
  else topology_->set_up(c.index, up);
  if (!up) ++stats_.component_failures;
  const bool vds_object = !c.link && (topology_->kind(c.index) == NodeKind::Controller ||
                                      topology_->kind(c.index) == NodeKind::ControllerPort);
  if (!vds_object) emit_component(c, up);  // controllers and their ports notify as VDS objects
  if (!c.link && vertex_is_host_[c.index] != 0) {
    Channel& h = *host_channels_[c.index];
    if (!up) h.fail();
    h.up = up;
  }
  for (const auto& s : subs_) update_components(*s);
  for (const auto& s : subs_) refresh(*s);
}

bool Fabric::enclosure_reachable(const Subsystem& sub, std::int16_t bus) const {
  for (const auto& s : subs_)
    if (s->sub == &sub) return reachable(*s, static_cast<std::size_t>(bus));
  return true;
}

bool Fabric::reachable(const Sub& s, std::size_t e) const {
  if (e >= s.enclosures.size()) return true;
  if (!topology_->up(s.enclosures[e])) return false;
  // With every controller down, reach cannot be judged: the drives keep their state.
  const auto& cs = s.controllers;
  if (std::none_of(cs.begin(), cs.end(), [&](Vertex c) { return topology_->up(c); })) return true;
  return std::any_of(cs.begin(), cs.end(), [&](Vertex c) { return topology_->back_end_joined(c, s.enclosures[e]); });
}

void Fabric::update_reach(LunState& st) {
  const Sub& s = *st.sub;
  // The enclosures the LUN needs: those holding a member that some controller reaches (one
  // that none reaches is an outage: its drives are offline, the array's business).
  std::vector<std::uint8_t> need(s.enclosures.size(), 0);
  if (const storage::Lun* model = st.lun->lun())
    for (const storage::Drive* d : model->members()) {
      const auto e = static_cast<std::size_t>(s.sub->array().enclosure(d->tag()));
      if (e < need.size() && need[e] == 0 && reachable(s, e)) need[e] = 1;
    }
  st.reach.assign(s.controllers.size(), 0);
  for (std::size_t c = 0; c < s.controllers.size(); ++c) {
    bool all = topology_->up(s.controllers[c]);
    for (std::size_t e = 0; all && e < need.size(); ++e)
      all = need[e] == 0 || topology_->back_end_joined(s.controllers[c], s.enclosures[e]);
    st.reach[c] = all ? 1 : 0;
  }
}

bool Fabric::serves(const LunState& st, std::int16_t c) const {
  if (c < 0 || static_cast<std::size_t>(c) >= st.reach.size() || st.reach[static_cast<std::size_t>(c)] == 0) return false;
  const auto& ps = st.sub->paths;
  return std::any_of(ps.begin(), ps.end(), [&](const Sub::Path& p) { return p.joined && p.controller == c; });
}

void Fabric::update_components(Sub& s) {
  bool any_controller = false;
  for (std::size_t c = 0; c < s.controllers.size(); ++c) {
    const bool up = topology_->up(s.controllers[c]);
    any_controller = any_controller || up;
    s.sub->set_controller_status(static_cast<std::int16_t>(c), up ? ControllerStatus::Online : ControllerStatus::Failed);
    Channel& ch = *s.controller_channels[c];
    if (!up && ch.up) ch.fail();
    ch.up = up;
    for (std::size_t p = 0; p < s.ports[c].size(); ++p) {
      const bool pup = topology_->up(s.ports[c][p]);
      s.sub->set_port_status(static_cast<std::int16_t>(c), static_cast<std::int16_t>(p), pup ? PortStatus::Online : PortStatus::Failed);
      Channel& pc = *s.port_channels[c][p];
      if (!pup && pc.up) pc.fail();
      pc.up = pup;
    }
  }
  for (Sub::Path& p : s.paths)
    p.joined = topology_->joined(p.initiator, p.port) &&
               topology_->controller_of(p.port) == s.controllers[static_cast<std::size_t>(p.controller)];
  // The back end (enclosure_reachable: an enclosure down is out whatever the controllers; with
  // every controller down, the others keep their state).
  for (std::size_t e = 0; e < s.enclosures.size(); ++e) {
    const bool reached = reachable(s, e);
    if (reached && !any_controller) continue;  // nothing to judge reach by: no drive comes back
    for (DriveObject* d : s.drives[e]) s.sub->array().set_drive_offline(d->slot(), !reached);
  }
}

PathStatus Fabric::status_of(const Sub& s, const LunState& st, std::size_t i) const {
  const Sub::Path& p = s.paths[i];
  if (!p.joined || st.reach[static_cast<std::size_t>(p.controller)] == 0) return PathStatus::Failed;
  return p.controller == st.lun->active_controller() && !st.failing_over ? PathStatus::Online : PathStatus::Standby;
}

void Fabric::report(LunState& st, bool force) {
  const Sub& s = *st.sub;
  std::uint32_t online = 0, standby = 0, failed = 0;
  std::string list;
  for (std::size_t i = 0; i < s.paths.size(); ++i) {
    const PathStatus ps = status_of(s, st, i);
    (ps == PathStatus::Online ? online : ps == PathStatus::Standby ? standby : failed) += 1;
    list += (list.empty() ? "" : ";") + topology_->name(s.paths[i].initiator) + ">" + topology_->name(s.paths[i].port) +
            ":" + to_string(ps);
  }
  std::string detail = base::EventDetail{}
                           .field(base::detail_key::online, online)
                           .field(base::detail_key::standby, standby)
                           .field(base::detail_key::failed, failed)
                           .field(base::detail_key::paths, list)
                           .str();
  if (detail == st.reported && !force) return;
  const bool first = st.reported.empty();
  st.reported = std::move(detail);
  if (sink_ != nullptr && (!first || force))
    sink_->notify(Notification{sim_->now(), NotificationEvent::PathModify, ObjectType::Lun, st.lun->id(),
                               st.lun->name(), st.reported});
}

void Fabric::start_failover(LunState& st) {
  st.failing_over = true;
  st.failover = sim_->schedule_cancellable_at(base::saturating_add(sim_->now(), config_.failover_delay),
                                              engine::Action::member<Fabric, &Fabric::on_failover>(this, st.slot),
                                              engine::EventTag{kind_, 0});
}

void Fabric::abort_failover(LunState& st) {
  st.failing_over = false;
  sim_->cancel(std::exchange(st.failover, engine::EventId{}));
  release(st);
}

void Fabric::release(LunState& st) {
  for (Stall* w = std::exchange(st.head, nullptr); w != nullptr; w = w->next)
    sim_->schedule_in(base::Duration::zero(), engine::resume_action(w->h), engine::EventTag{kind_, 0});
  st.tail = nullptr;
}

void Fabric::refresh(Sub& s) {
  for (const std::uint32_t slot : s.luns) refresh_one(luns_[slot]);
}

void Fabric::on_failover(std::uint64_t slot) {
  LunState& st = luns_[slot];
  st.failing_over = false;
  st.failover = engine::EventId{};
  Sub& s = *st.sub;
  if (!st.lun->deleted()) {
    update_reach(st);
    if (!serves(st, st.lun->active_controller()))
      for (std::int16_t c = 0; c < static_cast<std::int16_t>(s.controllers.size()); ++c)
        if (serves(st, c)) {
          ++stats_.failovers;
          s.sub->set_active_controller(*st.lun, c);  // LUN_MODIFY, then ownership_changed
          break;
        }
    report(st, false);
  }
  release(st);  // stalled requests resume in arrival order
}

Fabric::LunState* Fabric::state_of(const LunObject& lun) const {
  if (lun.fabric_slot() == UINT32_MAX) return nullptr;
  return const_cast<LunState*>(&luns_[lun.fabric_slot()]);
}

void Fabric::lun_online(LunObject& lun) {
  if (lun.fabric_slot() != UINT32_MAX) return;
  Sub* s = nullptr;
  for (const auto& c : subs_)
    if (c->sub == &lun.subsystem()) s = c.get();
  if (s == nullptr) return;
  const auto slot = static_cast<std::uint32_t>(luns_.size());
  LunState& st = luns_.emplace_back();
  st.lun = &lun;
  st.sub = s;
  st.slot = slot;
  st.policy = config_.load_balance;
  lun.set_fabric_slot(slot);
  s->luns.push_back(slot);
  update_reach(st);
  report(st, config_.report_paths);
  // Its owner may have lost its paths before the LUN came online.
  refresh_one(st);
}

void Fabric::refresh_one(LunState& st) {
  if (st.lun->deleted()) return;
  update_reach(st);
  const std::int16_t owner = st.lun->active_controller();
  const bool owner_serves = serves(st, owner);
  bool other_serves = false;
  for (std::int16_t c = 0; c < static_cast<std::int16_t>(st.reach.size()); ++c)
    other_serves = other_serves || (c != owner && serves(st, c));
  if (!st.failing_over && !owner_serves && other_serves) start_failover(st);
  else if (st.failing_over && !owner_serves && !other_serves) abort_failover(st);  // nobody left to take it
  report(st, false);
}

void Fabric::ownership_changed(LunObject& lun) {
  if (LunState* st = state_of(lun)) refresh_one(*st);
}

void Fabric::members_changed(LunObject& lun) {
  if (LunState* st = state_of(lun)) refresh_one(*st);
}

std::vector<Fabric::PathInfo> Fabric::paths(const LunObject& lun) const {
  std::vector<PathInfo> out;
  const LunState* st = state_of(lun);
  if (st == nullptr) return out;
  for (std::size_t i = 0; i < st->sub->paths.size(); ++i) {
    const Sub::Path& p = st->sub->paths[i];
    out.push_back(PathInfo{p.initiator, p.port, p.controller, status_of(*st->sub, *st, i)});
  }
  return out;
}

bool Fabric::failing_over(const LunObject& lun) const {
  const LunState* st = state_of(lun);
  return st != nullptr && st->failing_over;
}

LoadBalancePolicy Fabric::load_balance(const LunObject& lun) const {
  const LunState* st = state_of(lun);
  return st == nullptr ? LoadBalancePolicy::Unknown : st->policy;
}

bool Fabric::set_load_balance(LunObject& lun, LoadBalancePolicy policy) {
  LunState* st = state_of(lun);
  if (st == nullptr || lun.deleted()) return false;
  if (policy != LoadBalancePolicy::Failover && policy != LoadBalancePolicy::RoundRobin &&
      policy != LoadBalancePolicy::DynLeastQueueDepth)
    return false;
  st->policy = policy;
  return true;
}

std::size_t Fabric::pick(Sub& s, LunState& st) {
  const std::size_t n = s.paths.size();
  const std::int16_t owner = st.lun->active_controller();
  if (owner < 0 || st.reach[static_cast<std::size_t>(owner)] == 0) return SIZE_MAX;  // it cannot reach the LUN
  const auto online = [&](std::size_t i) { return s.paths[i].joined && s.paths[i].controller == owner; };
  switch (st.policy) {
    case LoadBalancePolicy::RoundRobin:
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (st.rr + k) % n;
        if (!online(i)) continue;
        st.rr = static_cast<std::uint32_t>((i + 1) % n);
        return i;
      }
      return SIZE_MAX;
    case LoadBalancePolicy::DynLeastQueueDepth: {
      std::size_t best = SIZE_MAX;
      for (std::size_t i = 0; i < n; ++i)
        if (online(i) && (best == SIZE_MAX || s.paths[i].outstanding < s.paths[best].outstanding)) best = i;
      return best;
    }
    default:
      for (std::size_t i = 0; i < n; ++i)
        if (online(i)) return i;
      return SIZE_MAX;
  }
}

engine::Task<storage::IoStatus> Fabric::io(LunObject& lun, storage::IoKind kind, std::uint64_t offset, base::Bytes size) {
  if (lun.fabric_slot() == UINT32_MAX) lun_online(lun);
  LunState* st = state_of(lun);
  if (st == nullptr) co_return storage::IoStatus::DeviceFailed;
  Sub& s = *st->sub;
  std::size_t path = SIZE_MAX;
  bool stalled = false;
  // The path still carries the request: joined, through the owner, no fail-over, its servers up.
  const auto usable = [&](std::size_t i, const Channel& a, const Channel& b, const Channel& c) {
    const std::int16_t owner = lun.active_controller();
    return !st->failing_over && s.paths[i].joined && s.paths[i].controller == owner &&
           st->reach[static_cast<std::size_t>(owner)] != 0 && a.up && b.up && c.up;
  };
  for (;;) {
    if (lun.deleted()) co_return storage::IoStatus::DeviceFailed;
    if (st->failing_over) {
      if (!stalled) ++stats_.stalled;
      stalled = true;
      Stall stall;
      stall.st = st;
      co_await stall;
      continue;
    }
    path = pick(s, *st);
    if (path == SIZE_MAX) {
      ++stats_.no_path;
      co_return storage::IoStatus::DeviceFailed;
    }
    const Sub::Path& p = s.paths[path];
    Channel& host = *host_channels_[p.initiator];
    Channel& port = *s.port_channels[static_cast<std::size_t>(p.controller)][static_cast<std::size_t>(p.port_index)];
    Channel& controller = *s.controller_channels[static_cast<std::size_t>(p.controller)];
    ++s.paths[path].outstanding;
    storage::IoStatus status = storage::IoStatus::Ok;
    if (!host.spec.passthrough()) status = co_await ChannelAwaiter(host, size);
    if (status == storage::IoStatus::Ok && usable(path, host, port, controller) && !port.spec.passthrough())
      status = co_await ChannelAwaiter(port, size);
    if (status == storage::IoStatus::Ok && usable(path, host, port, controller) && !controller.spec.passthrough())
      status = co_await ChannelAwaiter(controller, size);
    if (status == storage::IoStatus::Ok && usable(path, host, port, controller) && !lun.deleted()) break;
    --s.paths[path].outstanding;
    // Something on the path failed under it (or a fail-over began): the paths left, after it.
    if (!lun.deleted()) ++stats_.retried;
  }
  storage::IoStatus status = storage::IoStatus::DeviceFailed;
  if (storage::Lun* model = lun.lun()) status = (co_await model->io(kind, offset, size)).status;
  --s.paths[path].outstanding;
  co_return status;
}

void Fabric::schedule(Component c, base::Time at, bool up) {
  changes_.push_back(Change{c, up});
  sim_->schedule_at(at, engine::Action::member<Fabric, &Fabric::on_change>(this, changes_.size() - 1), engine::EventTag{kind_, 0});
}

void Fabric::on_change(std::uint64_t i) { set_up(changes_[i].c, changes_[i].up); }

void Fabric::add_random(Component c, engine::Distribution time_to_failure, engine::Distribution time_to_repair) {
  auto r = std::make_unique<Random>();
  r->c = c;
  r->time_to_failure = std::move(time_to_failure);
  r->time_to_repair = std::move(time_to_repair);
  r->rng = sim_->stream("topology/" + name(c));
  r->index = randoms_.size();
  randoms_.push_back(std::move(r));
  arm_random(*randoms_.back());
}

void Fabric::arm_random(Random& r) {
  const base::Duration d = (r.up ? r.time_to_failure : r.time_to_repair).sample(r.rng);
  if (d == base::forever) return;
  sim_->schedule_at(base::saturating_add(sim_->now(), d), engine::Action::member<Fabric, &Fabric::on_random>(this, r.index),
                    engine::EventTag{kind_, 0});
}

void Fabric::on_random(std::uint64_t i) {
  Random& r = *randoms_[i];
  r.up = !r.up;
  set_up(r.c, r.up);
  arm_random(r);
}

void Fabric::reset() {
  for (Vertex v = 0; v < topology_->vertex_count(); ++v) topology_->set_up(v, true);
  for (auto& h : host_channels_)
    if (h) h->clear();
  for (storage::Topology::Link l = 0; l < topology_->link_count(); ++l) topology_->set_link_up(l, true);
  for (const auto& s : subs_) {
    for (auto& c : s->controller_channels) c->clear();
    for (auto& ports : s->port_channels)
      for (auto& c : ports) c->clear();
    for (Sub::Path& p : s->paths) {
      p.joined = true;
      p.outstanding = 0;
    }
    s->luns.clear();
  }
  luns_.clear();
  changes_.clear();
  randoms_.clear();
  stats_ = FabricStats{};
}

} // namespace sim::provider

// Host connectivity at run time: the scenario's storage::Topology put to work. Controllers and
// controller ports as servers, multipath path status per LUN, controller ownership and
// fail-over, failures and repairs of any component or link, enclosure outages.
//
// Paths. A subsystem's paths are the (host initiator port, controller port) pairs joined when
// the run starts (VDS_PATH_INFO: pairs, never graph paths); every LUN of the subsystem has them
// all. A path's status for a LUN, from the topology's cache (recomputed on change only):
//   VDS_MPS_FAILED   the pair is not joined now (a port, fabric, controller or link is down), or
//                    its controller does not reach the LUN's back end (below)
//   VDS_MPS_ONLINE   joined, through the LUN's active (owning) controller, no fail-over running
//   VDS_MPS_STANDBY  joined, through another controller (or the owner's, during a fail-over)
// Every change of a LUN's statuses is a LUNSIM_NF_PATH_MODIFY notification (counts, then each
// path) at the instant of the change, fail-over stalls included, so path counts can be charted
// over time; with `report_paths` the LUN's first statuses are one too, when it first comes online.
//
// Back end. A controller reaches a LUN's back end when it is up and has an up back-end link to
// every enclosure holding one of the LUN's member drives (failed ones too), not counting an
// enclosure no up controller reaches: that is an outage, whose drives go offline (below) for
// every LUN alike. So a controller that loses its link to an enclosure its partner still reaches
// (ALUA: the owner loses its back-end path to a shelf) fails its paths for the LUNs with members
// there, and they fail over to a controller that reaches them all; its other LUNs, the drives
// and the VDS controller object are unaffected. With no controller reaching them all (split
// back end: each lost a different enclosure) every path of the LUN is FAILED: host I/O fails
// at once, as with no path. Re-judged at every topology change, ownership change, and change
// of the LUN's condition (members_changed: a member moved to a spare in another enclosure).
//
// Host I/O (io()). A request picks one ONLINE path by the load-balance policy — failover: the
// first (in (initiator, port) order); round robin: the next, per LUN; least queue depth: fewest
// host requests outstanding on the path, ties to the first — then waits in the host port's FIFO
// queue, the controller port's, then the controller's (each: service = latency + size /
// bandwidth; unlimited and zero, the defaults, take no time and no event; a link runs at the
// speed of its ports), then runs on the LUN's RAID mapping (the drives). The policy is the
// scenario's, per LUN changeable (IVdsLunMpio::SetLoadBalancePolicy). A request queued at a port or controller that fails is retried on the
// paths left, as a multipath driver does; one already at the drives completes there.
// With no ONLINE path and no fail-over coming, the request fails at once (DeviceFailed): the
// LUN stays ONLINE and management calls work (they use the management path, not the fabric).
//
// Fail-over. A controller can take a LUN when it has a joined path and reaches the LUN's back
// end. When the owner no longer can (it failed, or its ports, front-end or back-end links did)
// and another controller can, the LUN's paths through the owner fail and a fail-over starts:
// for `failover_delay` every host request to the LUN stalls (the latency spike), then the LUN
// moves to the first controller (by index) that can take it (LUN_MODIFY active_controller=)
// and stalled requests resume in arrival order. The target is chosen at the end: losing a
// candidate mid-stall neither restarts nor extends the delay while another controller (or the
// owner, back) can still take the LUN. When none can any more (the last candidate lost
// mid-stall), the fail-over ends at once, nothing moves, and the stalled requests fail at that
// instant (DeviceFailed, counted in `stalled` and `no_path`), as new ones do; when a
// controller can take the LUN again, a fail-over to it starts afresh with the full delay (or
// I/O resumes at once if it is the owner). There is no automatic fail-back: a repaired
// controller takes LUNs again through AssociateControllers or the next fail-over.
//
// Components. set_up()/set_link_up() (scheduled or random changes call them) update the
// topology, then: a controller's status (CONTROLLER_MODIFY, VDS_CS_FAILED / VDS_CS_ONLINE),
// a controller port's (PORT_MODIFY), anything else a LUNSIM_NF_COMPONENT_MODIFY row; then
// fail-overs and path statuses. A drive is offline (storage::Array::set_drive_offline) while its
// enclosure is down, or while some controller is up and none reaches the enclosure; with every
// controller down, reach cannot be judged and no drive comes back online until one is up.
//
// A request is re-checked after each server it waited in: if its path failed, left the owner,
// or a fail-over began meanwhile, it tries again (stalling if a fail-over runs); a request to a
// LUN deleted meanwhile fails. A request that reached the drives completes there.
#pragma once

#include "sim/base/size.hpp"
#include "sim/engine/distribution.hpp"
#include "sim/engine/random.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/engine/task.hpp"
#include "sim/provider/subsystem.hpp"
#include "sim/storage/topology.hpp"

#include <coroutine>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace sim::provider {

/// A FIFO server: service = latency + size / bandwidth.
struct ChannelSpec {
  base::Rate bandwidth = base::Rate::unlimited();
  base::Duration latency{};
  bool passthrough() const { return bandwidth.is_unlimited() && latency == base::Duration::zero(); }
};

struct FabricConfig {
  base::Duration failover_delay{};
  LoadBalancePolicy load_balance = LoadBalancePolicy::Failover;
  ChannelSpec host_port;        ///< every host initiator port (its link's speed)
  ChannelSpec controller;       ///< every controller
  ChannelSpec controller_port;  ///< every controller port (its links' speed)
  bool report_paths = false;    ///< a PATH_MODIFY row when a LUN first comes online
};

/// A component of the topology: a vertex, or a link.
struct Component {
  bool link = false;
  std::uint32_t index = 0;  ///< Topology::Vertex or Topology::Link
};

/// Counters since the start of the run.
struct FabricStats {
  std::uint64_t failovers = 0;        ///< LUNs moved by a fail-over (not counting blips that ended first)
  std::uint64_t stalled = 0;          ///< host requests that waited for a fail-over (each once)
  std::uint64_t no_path = 0;          ///< host requests failed for want of a path
  std::uint64_t retried = 0;          ///< host requests retried after a port or controller failed
  std::uint64_t component_failures = 0;
};

class Fabric {
public:
  using Vertex = storage::Topology::Vertex;

  /// The topology is not owned and must outlive the Fabric; it must be complete (everything
  /// up) before the first attach().
  Fabric(engine::Simulation& sim, storage::Topology& topology, FabricConfig config);
  ~Fabric();
  Fabric(const Fabric&) = delete;
  Fabric& operator=(const Fabric&) = delete;

  /// Registers a subsystem: controller c is the vertex `controllers[c]`, its port p the vertex
  /// `ports[c][p]`; enclosure e the vertex `enclosures[e]`, holding `drives[e]`. The subsystem
  /// tells the Fabric of its LUNs from now on.
  void attach(Subsystem& sub, std::vector<Vertex> controllers, std::vector<std::vector<Vertex>> ports,
              std::vector<Vertex> enclosures, std::vector<std::vector<DriveObject*>> drives);
  void set_sink(NotificationSink* sink) { sink_ = sink; }
  const FabricConfig& config() const { return config_; }
  storage::Topology& topology() const { return *topology_; }
  const FabricStats& stats() const { return stats_; }

  /// A vertex or link goes down or comes back now (no effect if already so). See the header.
  void set_up(Component c, bool up);
  /// `c` changes at time `at` (scheduled now; after reset(), schedule again).
  void schedule(Component c, base::Time at, bool up);
  /// `c` fails after a draw from `time_to_failure` and is repaired after a draw from
  /// `time_to_repair`, again and again, from the stream "topology/<name>".
  void add_random(Component c, engine::Distribution time_to_failure, engine::Distribution time_to_repair);
  std::string name(Component c) const;

  /// Host I/O to the LUN (see the header). Status Ok, or DeviceFailed (no path, or the drives).
  engine::Task<storage::IoStatus> io(LunObject& lun, storage::IoKind kind, std::uint64_t offset, base::Bytes size);

  struct PathInfo {
    Vertex initiator = 0;
    Vertex controller_port = 0;
    std::int16_t controller = 0;
    PathStatus status = PathStatus::Unknown;
  };
  /// IVdsLunMpio::GetPathInfo, as the model has it now.
  std::vector<PathInfo> paths(const LunObject& lun) const;
  /// True while the LUN's fail-over runs.
  bool failing_over(const LunObject& lun) const;
  /// IVdsLunMpio::Get/SetLoadBalancePolicy for a LUN that came online (else E_INVALIDARG-like:
  /// false); Unknown or an unmodelled policy: false.
  LoadBalancePolicy load_balance(const LunObject& lun) const;
  bool set_load_balance(LunObject& lun, LoadBalancePolicy policy);

  // Called by the Subsystem.
  void lun_online(LunObject& lun);
  /// False while the enclosure `bus` of `sub` is out (its drives are offline): a replacement
  /// drive put into it starts offline too, with no offline timeout (it was never online).
  bool enclosure_reachable(const Subsystem& sub, std::int16_t bus) const;
  void ownership_changed(LunObject& lun);
  /// The LUN's condition changed (a member failed, came back, moved to a spare): its back-end
  /// reach is judged again (see the header).
  void members_changed(LunObject& lun);

  /// Back to the start (after Simulation::reset): everything up, no LUN known, counters zero;
  /// scheduled and random changes must be given again.
  void reset();

private:
  struct Channel;
  struct Sub;
  struct LunState;
  struct Stall;
  struct Change;
  struct Random;
  class ChannelAwaiter;

  LunState* state_of(const LunObject& lun) const;
  PathStatus status_of(const Sub& sub, const LunState& st, std::size_t path) const;
  bool reachable(const Sub& sub, std::size_t enclosure) const;  // by some up controller
  void update_reach(LunState& st);          // which controllers reach the LUN's back end
  bool serves(const LunState& st, std::int16_t controller) const;  // can take the LUN now
  void refresh(Sub& sub);                   // fail-overs, then path rows, after a change
  void refresh_one(LunState& st);
  void report(LunState& st, bool force);    // a PATH_MODIFY row if the statuses changed
  void start_failover(LunState& st);
  void abort_failover(LunState& st);        // nobody can take the LUN: stalled requests fail
  void release(LunState& st);               // stalled requests resume, in arrival order
  void on_failover(std::uint64_t lun_slot);
  void on_change(std::uint64_t change);
  void on_random(std::uint64_t random);
  void arm_random(Random& r);
  void update_components(Sub& sub);         // controller/port statuses, channels, offline drives
  void emit_component(Component c, bool up);
  std::size_t pick(Sub& sub, LunState& st); // SIZE_MAX: no online path

  engine::Simulation* sim_;
  storage::Topology* topology_;
  FabricConfig config_;
  NotificationSink* sink_ = nullptr;
  std::vector<std::unique_ptr<Sub>> subs_;
  std::deque<LunState> luns_;  // stable addresses (stalled requests point to them)
  std::vector<Change> changes_;
  std::vector<std::unique_ptr<Random>> randoms_;
  std::vector<std::uint8_t> vertex_is_host_;  // per vertex: 1 for host initiator ports
  std::vector<std::unique_ptr<Channel>> host_channels_;  // per vertex (null but for host ports)
  FabricStats stats_;
  std::uint32_t kind_;
};

} // namespace sim::provider

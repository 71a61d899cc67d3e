// A storage array: its drives, the LUNs (redundancy groups) laid over them, and the failure and
// repair of both. It knows nothing of VDS: sim/provider puts a VDS face on it, and hears of
// what happens through ArrayEvents.
//
// storage::Array is the thin public class over the machinery underneath (array_impl.hpp), after
// SimGrid's split of s4u classes over their kernel implementations: DriveIndex (placement.hpp)
// keeps the slots and the placement orders, FailureProcesses (lifetimes.hpp) the lifetimes and
// latent errors, SparePool (spares.hpp) the hot spares, RebuildEngine (rebuild.hpp) the
// rebuilds; ArrayImpl ties them into the failure and repair flow described here.
//
// Failure (fail_drive, or a lifetime ending). The drive fails now (its queued and in-service
// requests complete with DeviceFailed), drive_failed() is heard — the provider fails the
// provisioning jobs writing to it then — and each LUN with a member on it loses that member:
// reads reconstruct around it (Degraded), or, past what its level tolerates, the LUN is Lost (a
// DataLoss of its size; with restore_after_loss it is restored at once: failed members' drives
// replaced on the spot, every member consistent, so long missions count repeated losses).
// Spares. A free hot spare (online, room for the failed drive's members) takes every member the
// failed drive held (SparePool's choice: own enclosure first). A used spare stops being a spare.
// Without one the members wait for the replacement, or for the next spare.
// Replacement. After a draw from `replace_after` (stream "replace/<drive name>"), a new drive of
// the slot's model takes the failed drive's slot, named "<slot>#<k>" (k = 2, 3, ...); it rebuilds
// the members still waiting for it, or else becomes a hot spare (and serves the members waiting
// for one, oldest failure first). It keeps the slot's lifetime and latent-error laws.
// Rebuilds. Per (LUN, member), by RebuildEngine in the configured mode. Policy sequential: one
// rebuild at a time per LUN, in order of failure; parallel: all at once. A rebuild whose source
// fails restarts with what is left. While any member rebuilds the LUN is Rebuilding; when none
// is down, Healthy. With `automatic: false` nothing rebuilds until recover() is requested.
// Latent errors and UREs. A rebuild that starts with no redundancy left (the members down equal
// what the level tolerates) loses one sector (`sector` bytes) per latent error in the LUN's
// extent on a survivor, plus a Poisson number of unrecoverable read errors (mean = bits read x
// `ure_per_bit`, from the stream "subsystem/<name>/rebuild"): a DataLoss of those bytes; the LUN
// stays online.
// Offline drives (an enclosure out). The drive goes offline (its requests fail), its members are
// down but not failed; with more down than the level tolerates the LUN is Unavailable, nothing
// lost. Rebuilds reading from or writing to it wait and restart when it returns; no rebuild
// starts while a LUN is unavailable. Back online, its members are up as they were (the resync of
// writes missed meanwhile is not modelled). Still offline after `offline_timeout`, it fails.
//
// Failure biasing (set_failure_biasing; off by default). While a LUN is exposed — a member
// failed, waiting, rebuilding or offline, and not lost — each surviving member (consistent and
// online) fails at a constant biased rate instead of its law's hazard (a drive in several
// exposed LUNs: the largest of their rates), re-drawn whenever the exposure changes; the
// likelihood ratio of every drive's lifetime (FailureProcesses) accrues to the array's weight
// and to the weight of each LUN the drive holds a member of then. Each DataLoss carries its
// LUN's weight and the array's at that time, so E[weight x loss] under biasing is the expected
// loss of the true process: exactly for a LUN's own losses when LUNs share no drive and never
// wait on each other for spares (the spares of other LUNs' biased failures are taken from the
// same pool otherwise), and always for the array's weight.
//
// Every event the array schedules carries repair_tag(drive or caller entity): the event kind
// "provider.repair" (its name predates the move of failure and repair to sim/storage and is kept
// so that traces compare across versions).
#pragma once

#include "sim/base/size.hpp"
#include "sim/base/time.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/storage/drive.hpp"
#include "sim/storage/lun.hpp"
#include "sim/storage/placement.hpp"
#include "sim/storage/raid.hpp"
#include "sim/storage/repair.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sim::storage {

/// What an Array tells its owner, synchronously, as it happens (in this order within one change).
/// Slots are the drive slot numbers of Array::add_drive. Every method has an empty default.
class ArrayEvents {
public:
  virtual ~ArrayEvents() = default;
  /// The drive of `slot` failed: its state is Failed, and no LUN has been degraded yet.
  virtual void drive_failed(std::uint32_t /*slot*/) {}
  /// The drive of `slot` went offline (before its members are marked down), or came back.
  virtual void drive_offline(std::uint32_t /*slot*/) {}
  virtual void drive_online(std::uint32_t /*slot*/) {}
  /// The drive of `slot` became a hot spare (a replacement with nothing to rebuild).
  virtual void spare_added(std::uint32_t /*slot*/) {}
  /// The spare of `slot` was taken for the members of the failed drive of `failed`.
  virtual void spare_taken(std::uint32_t /*slot*/, std::uint32_t /*failed*/) {}
  /// The failed drive of `slot` is about to be replaced (the slot still holds it), then was
  /// (the new drive is in the slot; `predecessor` is the old drive's name).
  virtual void drive_leaving(std::uint32_t /*slot*/) {}
  virtual void drive_replaced(std::uint32_t /*slot*/, const std::string& /*predecessor*/) {}
  /// A rebuild of `member` onto `target` started or ended (finished or stopped).
  virtual void rebuild_started(Lun& /*lun*/, std::uint32_t /*member*/, Drive& /*target*/) {}
  virtual void rebuild_ended(Lun& /*lun*/, std::uint32_t /*member*/, Drive& /*target*/) {}
  /// The LUN's condition now (called whenever it may have changed: compare with the last).
  virtual void condition(Lun& /*lun*/, LunCondition /*c*/) {}
  /// A rebuild with no redundancy left could not read `sectors` sectors.
  virtual void sectors_lost(Lun& /*lun*/, std::uint64_t /*sectors*/) {}
  /// A lost LUN was restored (restore_after_loss).
  virtual void restored(Lun& /*lun*/) {}
  /// The recovery requested for the LUN ended (request_recovery).
  virtual void recovery_finished(Lun& /*lun*/, RecoveryResult /*r*/) {}
  /// False while the enclosure is out: a replacement drive put into it starts offline, without
  /// the offline timeout (it was never online to time out from).
  virtual bool enclosure_reachable(std::int16_t /*enclosure*/) const { return true; }
};

class ArrayImpl;

class Array {
public:
  /// `name` names the array's random streams ("subsystem/<name>/rebuild"); `chunk_size` is the
  /// background transfer unit of rebuilds.
  Array(engine::Simulation& sim, std::string name, base::Bytes chunk_size);
  ~Array();
  Array(const Array&) = delete;
  Array& operator=(const Array&) = delete;

  // -- drives --
  /// Adds a drive of `model` (which must outlive the array) named `name` in `enclosure`, as the
  /// next slot; the array owns it.
  Drive& add_drive(std::string name, const DriveModel& model, std::int16_t enclosure);
  std::size_t drive_count() const;
  Drive& drive(std::uint32_t slot) const;
  /// The slot's first drive's name ("shelf-1/7"; replacements are "shelf-1/7#2", ...).
  const std::string& first_name(std::uint32_t slot) const;
  std::int16_t enclosure(std::uint32_t slot) const;
  /// Which drive of the slot is in it: 1 the first, k > 1 the replacement named "<first name>#k".
  std::uint32_t generation(std::uint32_t slot) const;
  /// The sums of every drive's statistics and queue lengths, kept as they change (DriveTotals).
  const DriveTotals& drive_totals() const;
  /// The slots in the placement orders (which drives a new LUN may take).
  const DriveIndex& index() const;
  /// Bytes the array keeps per drive slot besides the Drive itself (its records in the index,
  /// the failure processes and the repair state; names' heap and vector slack excluded).
  static std::size_t slot_bytes();

  // -- LUNs --
  /// A new LUN `id` named `name` with geometry `g` over `members` (RAID member order), holding
  /// `member_bytes[m]` on member m (allocated here, first fit), every member consistent. The
  /// array owns it until reset(); it stays alive after remove_lun (I/O in flight completes).
  Lun& create_lun(std::uint32_t id, std::string name, const Geometry& g, std::vector<Drive*> members,
                  std::vector<base::Bytes> member_bytes, base::Bytes stripe_unit, std::uint8_t rebuild_priority);
  /// The LUN leaves (deleted, or its creation rolled back): its rebuilds stop, its extents are
  /// freed, its failures no longer concern it, a requested recovery is forgotten.
  void remove_lun(Lun& lun);
  MemberState member_state(const Lun& lun, std::uint32_t m) const;
  /// Simulated time the LUN spent with a member down, up to `now`.
  base::Duration degraded_time(const Lun& lun, base::Time now) const;
  /// Whole-LUN data losses of this LUN so far.
  std::uint32_t losses(const Lun& lun) const;

  // -- failure and repair --
  /// Not owned; null: nobody listens.
  void set_events(ArrayEvents* events);
  void set_repair(RepairConfig config);
  const RepairConfig& repair() const;
  /// Flags the drive of `slot` as a hot spare, or clears the flag, without telling anyone
  /// (scenario set-up, IVdsDrive::SetFlags). Set spares through here, never on the Drive.
  void set_hot_spare(std::uint32_t slot, bool on);
  /// Gives the slot a lifetime law (not owned; must outlive the array; null: none) and draws
  /// its drive's failure now; replacements in the slot keep the law.
  void set_lifetime(std::uint32_t slot, const Lifetime* law);
  /// Gives the slot a latent-error law (not owned, as above) and starts its latent errors.
  void set_latent_errors(std::uint32_t slot, const LatentErrorLaw* law);
  /// The drive of `slot` fails now (see the header); no effect if it already failed.
  void fail_drive(std::uint32_t slot);
  /// The drive's enclosure went out (`offline`) or came back (see the header).
  void set_drive_offline(std::uint32_t slot, bool offline);
  /// A recovery of the LUN is requested (IVdsLun::Recover): from now on its rebuilds may start
  /// even when repair is not automatic, and recovery_finished will be heard once.
  void request_recovery(Lun& lun);
  /// Carries the requested recovery out now: spares for members with no target, then the
  /// rebuilds; recovery_finished at once if the LUN is healthy (or a member has no target), else
  /// when its last rebuild ends (or it is lost). No effect if no recovery is pending.
  void recover(Lun& lun);
  /// Turns failure biasing on (importance sampling; see FailureBiasing and the header). Call
  /// before any lifetime law is set; every lifetime law must then have a hazard
  /// (Distribution::has_hazard).
  void set_failure_biasing(FailureBiasing biasing);
  /// Failure biasing: counts the likelihood ratio of biased windows still open up to now into
  /// the weights (call at the end of a run, before reading stats().log_weight).
  void settle_weights();
  const ReliabilityStats& stats() const;
  std::uint32_t rebuilds_running() const;
  /// The tag of repair events about `entity` (see the header).
  engine::EventTag repair_tag(std::uint32_t entity);

  /// Back to the state right after the drives were added, for a new replication after
  /// Simulation::reset(): LUNs forgotten, drives new under their first names, empty, not
  /// spares, laws cleared; random streams derived anew. The repair configuration and the
  /// listener stay. Allocated capacity is kept where it can be.
  void reset();

private:
  std::unique_ptr<ArrayImpl> impl_;
};

} // namespace sim::storage

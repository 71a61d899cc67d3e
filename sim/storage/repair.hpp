// The vocabulary of failure and repair: how an array repairs (RepairConfig), how long its drives
// live (Lifetime), what a redundancy group is doing (MemberState, LunCondition) and what was lost
// (DataLoss, ReliabilityStats). Plain data; the behaviour is storage::Array's (array.hpp).
#pragma once

#include "sim/base/name_table.hpp"
#include "sim/base/size.hpp"
#include "sim/base/time.hpp"
#include "sim/engine/distribution.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sim::storage {

/// How a member is rebuilt: through the drive queues chunk by chunk (io), as one event lasting
/// what that pipeline takes on idle drives (coarse), or for a time drawn from a law (law).
enum class RebuildMode : std::uint8_t { Io, Coarse, Law };
/// The modes a scenario names (`rebuild: {mode: ...}`); Law is chosen by `rebuild: {duration: ...}`.
inline constexpr base::NameTable<RebuildMode, 2> rebuild_mode_names{
    {{{RebuildMode::Io, "io"}, {RebuildMode::Coarse, "coarse"}}}};
/// One rebuild at a time per LUN, in order of failure (sequential), or all at once (parallel).
enum class RepairPolicy : std::uint8_t { Sequential, Parallel };
inline constexpr base::NameTable<RepairPolicy, 2> repair_policy_names{
    {{{RepairPolicy::Sequential, "sequential"}, {RepairPolicy::Parallel, "parallel"}}}};
/// Where a failed drive's members look for a hot spare: anywhere in the array, or only in the
/// failed drive's enclosure.
enum class SpareScope : std::uint8_t { Subsystem, Enclosure };
inline constexpr base::NameTable<SpareScope, 2> spare_scope_names{
    {{{SpareScope::Subsystem, "subsystem"}, {SpareScope::Enclosure, "enclosure"}}}};

/// How an array repairs (scenario `repair:` and the latent-error settings of `failures:`).
struct RepairConfig {
  std::optional<engine::Distribution> replace_after;  ///< none: failed drives are never replaced
  RebuildMode mode = RebuildMode::Io;
  engine::Distribution rebuild_duration;              ///< mode Law
  RepairPolicy policy = RepairPolicy::Sequential;
  SpareScope spare_scope = SpareScope::Subsystem;
  bool automatic = true;                              ///< false: rebuilds start only on request
  bool restore_after_loss = false;
  double ure_per_bit = 0;                             ///< unrecoverable read errors per bit read
  base::Bytes sector{4096};                           ///< bytes lost per unreadable sector
  /// An offline drive (its enclosure out) still offline after this long is declared failed.
  base::Duration offline_timeout = base::forever;
};

/// A drive lifetime law and the drive's age when the run starts (the first lifetime is drawn
/// conditionally on having survived `age`; replacements start new).
struct Lifetime {
  engine::Distribution law;
  base::Duration age{};
};

/// Failure biasing (importance sampling of rare data losses): while a redundancy group is
/// exposed (a member down), each of its surviving members fails at the same constant rate c,
/// chosen so that the probability of a further failure during one expected exposure is
/// `probability`: c = -ln(1 - p) / (survivors x expected exposure). Balanced failure biasing
/// (Shahabuddin) in continuous time; the likelihood ratio corrects every estimate (array.hpp).
struct FailureBiasing {
  double probability = 0.5;  ///< p in (0, 1)
};

/// Latent sector errors of a drive: the gaps between them are drawn from `interval`, and each
/// is removed by the scrub after a draw from `scrub` (never, by default).
struct LatentErrorLaw {
  engine::Distribution interval;
  engine::Distribution scrub = engine::Distribution::constant(base::forever);
};

/// Repair state of one member of a redundancy group: consistent, failed with no target yet,
/// waiting to rebuild onto its target, rebuilding.
enum class MemberState : std::uint8_t { Ok, Failed, Waiting, Rebuilding };

/// What a redundancy group can do now, from its members:
///   Healthy      every member consistent
///   Degraded     a member down and no rebuild running (reads reconstruct around it)
///   Rebuilding   a member down and a rebuild running
///   Unavailable  more members offline than the level tolerates (host I/O fails, nothing lost)
///   Lost         data lost (host I/O fails until restored)
enum class LunCondition : std::uint8_t { Healthy, Degraded, Rebuilding, Unavailable, Lost };
const char* to_string(LunCondition c);

/// How a requested recovery ended: every member consistent again, the data lost meanwhile, or a
/// member with no target to rebuild onto (no spare).
enum class RecoveryResult : std::uint8_t { Healthy, Lost, NoTarget };

/// Data lost: a whole LUN (its size) or sectors read during a rebuild with no redundancy left.
struct DataLoss {
  base::Time time{};
  std::string lun;  ///< the LUN's label (Lun::label) at the time of the loss
  base::Bytes bytes;
  bool whole_lun = true;
  /// Failure biasing: the log likelihood ratio of the LUN's own drives (its weight) and of the
  /// whole array at the time of the loss; 0 without biasing.
  double log_weight = 0;
  double system_log_weight = 0;
};

/// Counters of the failure and repair processes since the start of the run.
struct ReliabilityStats {
  std::uint64_t drive_failures = 0;
  std::uint64_t replacements = 0;
  std::uint64_t rebuilds_started = 0;
  std::uint64_t rebuilds_completed = 0;
  std::uint64_t latent_errors = 0;
  std::vector<DataLoss> losses;  ///< in time order
  /// Failure biasing: the log likelihood ratio of the whole array's path so far (windows still
  /// open are counted up to the last Array::settle_weights()); 0 without biasing.
  double log_weight = 0;
};

} // namespace sim::storage

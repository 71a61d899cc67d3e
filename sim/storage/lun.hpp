// A LUN as the array sees it: a RAID geometry over member drives, and the mapping of host I/O
// onto member I/O. (Its VDS face — status, health, reference counts — is sim/provider's.)
//
// I/O mapping (stripe unit = the VDS stripe-size hint, default 64 KiB):
//   reads   each stripe unit touched is read from the member holding it; mirrors (and RAID-10
//           pairs) read from the copy with the shorter queue (ties: lowest member)
//   writes  Simple/Span/Stripe write the member; Mirror writes every member; RAID-10 both
//           members of the pair; RAID-5/6 write a full stripe as data + parity (no reads) and
//           anything smaller as read-modify-write: read the old data units and parity, then
//           write them back (a one-unit write costs 2 reads + 2 writes on RAID-5, 3 + 3 on RAID-6)
// Member requests are foreground requests in the drives' queues, submitted together; a host
// request completes when its last member request does (read phase before write phase for RMW).
//
// Degraded mode: a member marked down (failed, or being rebuilt and not yet consistent) gets
// no requests. A read of data on a down member reads the same row of every surviving member of
// the stripe (RAID-5/6 reconstruction), or another copy (mirror, RAID-10 partner); writes to a
// down member are dropped (parity or the other copies carry them). Once the LUN is marked lost
// (or unavailable), every host request completes at once with DeviceFailed.
#pragma once

#include "sim/base/size.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/engine/task.hpp"
#include "sim/storage/drive.hpp"
#include "sim/storage/raid.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sim::storage {

inline constexpr base::Bytes default_stripe_unit{64 * 1024};

/// Outcome of one host request.
struct LunIoResult {
  IoStatus status = IoStatus::Ok;   ///< Ok, or the worst member status
  std::uint32_t member_reads = 0;   ///< member requests issued, by kind
  std::uint32_t member_writes = 0;
};

class Lun {
public:
  /// `members` in RAID member order; `member_bytes[i]` is this LUN's allocation on members[i]
  /// and `member_base[i]` the offset of its first extent there. Drives must outlive the LUN.
  Lun(std::uint32_t id, std::string name, Geometry geometry, std::vector<Drive*> members,
      std::vector<base::Bytes> member_bytes, std::vector<std::uint64_t> member_base,
      base::Bytes stripe_unit = default_stripe_unit);

  std::uint32_t id() const { return id_; }
  const std::string& name() const { return name_; }
  /// What reports call the LUN (data-loss records): its owner's name for it (the VDS friendly
  /// name, else the object name); name() until set.
  const std::string& label() const { return label_.empty() ? name_ : label_; }
  void set_label(std::string label) { label_ = std::move(label); }
  /// An index for the LUN's owner (storage::Array's group number); not used by the LUN.
  std::uint32_t tag() const { return tag_; }
  void set_tag(std::uint32_t tag) { tag_ = tag; }
  const Geometry& geometry() const { return geometry_; }
  base::Bytes size() const { return geometry_.size; }
  base::Bytes stripe_unit() const { return stripe_unit_; }
  const std::vector<Drive*>& members() const { return members_; }
  const std::vector<base::Bytes>& member_bytes() const { return member_bytes_; }

  /// Marks member `m` down (no requests) or up again.
  void set_member_down(std::uint32_t m, bool down);
  bool member_down(std::uint32_t m) const { return down_[m]; }
  std::uint32_t members_down() const { return down_count_; }
  /// Member `m` moves to `drive` (a spare or a replacement) where its extent starts at `base`.
  void replace_member(std::uint32_t m, Drive& drive, std::uint64_t base);
  std::uint64_t member_base(std::uint32_t m) const { return member_base_[m]; }
  /// Data lost: host I/O fails from now on (restore with set_lost(false)).
  void set_lost(bool lost) { lost_ = lost; }
  bool lost() const { return lost_; }
  /// Data unreachable but not lost (more members offline than the level tolerates): host I/O
  /// fails at once while set.
  void set_unavailable(bool on) { unavailable_ = on; }
  bool unavailable() const { return unavailable_; }

  /// Grows or shrinks the LUN to a new geometry (extend/shrink); member lists stay.
  void resize(const Geometry& g, std::vector<base::Bytes> member_bytes);

  /// Host I/O of `size` bytes at byte `offset` (offset + size <= size(), else
  /// std::out_of_range). Completes when every member request has.
  engine::Task<LunIoResult> io(IoKind kind, std::uint64_t offset, base::Bytes size);

  /// Member requests issued so far, by kind (for write-penalty accounting).
  std::uint64_t member_reads() const { return member_reads_; }
  std::uint64_t member_writes() const { return member_writes_; }

private:
  struct Piece {
    std::uint32_t member;
    std::uint64_t offset;  // on the drive
    base::Bytes size;
  };
  void plan(IoKind kind, std::uint64_t offset, base::Bytes size, std::vector<Piece>& reads,
            std::vector<Piece>& writes) const;
  void route_around_down(std::vector<Piece>& reads, std::vector<Piece>& writes) const;
  std::uint32_t shorter_queue(std::uint32_t a, std::uint32_t b) const;

  std::uint32_t id_;
  std::uint32_t tag_ = 0;
  std::string name_;
  std::string label_;
  Geometry geometry_;
  std::vector<Drive*> members_;
  std::vector<base::Bytes> member_bytes_;
  std::vector<std::uint64_t> member_base_;
  base::Bytes stripe_unit_;
  std::vector<bool> down_;
  std::uint32_t down_count_ = 0;
  bool lost_ = false;
  bool unavailable_ = false;
  std::uint64_t member_reads_ = 0;
  std::uint64_t member_writes_ = 0;
};

} // namespace sim::storage

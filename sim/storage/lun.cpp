#include "sim/storage/lun.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace sim::storage {

namespace {

/// Member requests of one phase, submitted together; resumes the awaiting coroutine when the
/// last one completes.
class Batch {
public:
  explicit Batch(std::size_t n) { reqs_.reserve(n); drives_.reserve(n); }

  void add(Drive& d, IoKind kind, std::uint64_t offset, base::Bytes size) {
    IoRequest r;
    r.kind = kind;
    r.offset = offset;
    r.size = size;
    r.on_complete = engine::Action{&Batch::on_one, this, 0};
    reqs_.push_back(r);
    drives_.push_back(&d);
  }

  bool await_ready() const noexcept { return reqs_.empty(); }
  void await_suspend(std::coroutine_handle<> h) {
    h_ = h;
    pending_ = reqs_.size();
    for (std::size_t i = 0; i < reqs_.size(); ++i) drives_[i]->submit(reqs_[i]);
  }
  IoStatus await_resume() const {
    IoStatus worst = IoStatus::Ok;
    for (const IoRequest& r : reqs_)
      if (r.status != IoStatus::Ok) worst = r.status;
    return worst;
  }

private:
  static void on_one(void* self, std::uint64_t) {
    auto* b = static_cast<Batch*>(self);
    if (--b->pending_ == 0) b->h_.resume();
  }
  std::vector<IoRequest> reqs_;
  std::vector<Drive*> drives_;
  std::size_t pending_ = 0;
  std::coroutine_handle<> h_;
};

} // namespace

Lun::Lun(std::uint32_t id, std::string name, Geometry geometry, std::vector<Drive*> members,
         std::vector<base::Bytes> member_bytes, std::vector<std::uint64_t> member_base, base::Bytes stripe_unit)
    : id_(id), name_(std::move(name)), geometry_(geometry), members_(std::move(members)),
      member_bytes_(std::move(member_bytes)), member_base_(std::move(member_base)), stripe_unit_(stripe_unit) {
  if (members_.size() != geometry_.members || member_bytes_.size() != members_.size() ||
      member_base_.size() != members_.size())
    throw std::invalid_argument("Lun " + name_ + ": member lists do not match the geometry");
  if (stripe_unit_.value == 0) throw std::invalid_argument("Lun " + name_ + ": stripe unit of 0 bytes");
  down_.assign(members_.size(), false);
}

void Lun::set_member_down(std::uint32_t m, bool down) {
  if (down_[m] == down) return;
  down_[m] = down;
  down_count_ = down ? down_count_ + 1 : down_count_ - 1;
}

void Lun::replace_member(std::uint32_t m, Drive& drive, std::uint64_t base) {
  members_[m] = &drive;
  member_base_[m] = base;
}

void Lun::route_around_down(std::vector<Piece>& reads, std::vector<Piece>& writes) const {
  std::erase_if(writes, [&](const Piece& p) { return down_[p.member]; });
  const std::uint32_t n = geometry_.members;
  std::vector<Piece> routed;
  routed.reserve(reads.size());
  for (const Piece& p : reads) {
    if (!down_[p.member]) {
      routed.push_back(p);
      continue;
    }
    const std::uint64_t row = p.offset - member_base_[p.member];
    switch (geometry_.level) {
      case RaidLevel::Mirror:
      case RaidLevel::Raid10: {
        const std::uint32_t first = geometry_.level == RaidLevel::Raid10 ? p.member & ~1u : 0;
        const std::uint32_t last = geometry_.level == RaidLevel::Raid10 ? first + 2 : n;
        std::uint32_t pick = UINT32_MAX;
        for (std::uint32_t i = first; i < last; ++i)
          if (!down_[i] && (pick == UINT32_MAX || members_[i]->queue_length() < members_[pick]->queue_length())) pick = i;
        if (pick != UINT32_MAX) routed.push_back(Piece{pick, member_base_[pick] + row, p.size});
        break;
      }
      case RaidLevel::Raid5:
      case RaidLevel::Raid6:
        for (std::uint32_t i = 0; i < n; ++i)
          if (!down_[i] && i != p.member) routed.push_back(Piece{i, member_base_[i] + row, p.size});
        break;
      default: break;  // no redundancy: the LUN is lost, io() never plans
    }
  }
  reads = std::move(routed);
}

void Lun::resize(const Geometry& g, std::vector<base::Bytes> member_bytes) {
  if (g.members != geometry_.members || member_bytes.size() != members_.size())
    throw std::invalid_argument("Lun " + name_ + ": resize changes the member count");
  geometry_ = g;
  member_bytes_ = std::move(member_bytes);
}

std::uint32_t Lun::shorter_queue(std::uint32_t a, std::uint32_t b) const {
  return members_[b]->queue_length() < members_[a]->queue_length() ? b : a;
}

void Lun::plan(IoKind kind, std::uint64_t offset, base::Bytes size, std::vector<Piece>& reads,
               std::vector<Piece>& writes) const {
  const std::uint64_t end = offset + size.value;
  const Geometry& g = geometry_;
  if (g.level == RaidLevel::Span) {
    std::uint64_t start = 0;  // logical start of member i
    for (std::uint32_t i = 0; i < members_.size() && offset < end; ++i) {
      const std::uint64_t stop = start + member_bytes_[i].value;
      if (offset < stop) {
        const std::uint64_t n = std::min(end, stop) - offset;
        (kind == IoKind::Read ? reads : writes).push_back(Piece{i, member_base_[i] + (offset - start), base::Bytes{n}});
        offset += n;
      }
      start = stop;
    }
    return;
  }

  const std::uint64_t unit = stripe_unit_.value;
  // Per-stripe bookkeeping for parity levels: bytes written per data unit of the stripe.
  struct StripeWrite {
    std::uint64_t covered = 0;  // bytes of the stripe written
    std::uint64_t widest = 0;   // largest piece (the parity update size)
    std::vector<Piece> data;
    UnitLocation loc;
  };
  std::map<std::uint64_t, StripeWrite> parity_writes;

  for (std::uint64_t u = offset / unit; u * unit < end; ++u) {
    const std::uint64_t lo = std::max(offset, u * unit);
    const std::uint64_t hi = std::min(end, (u + 1) * unit);
    const std::uint64_t within = lo - u * unit;
    const UnitLocation loc = locate_unit(g, u);
    const std::uint64_t at = loc.stripe * unit + within;
    const base::Bytes n{hi - lo};
    auto piece = [&](std::uint32_t m) { return Piece{m, member_base_[m] + at, n}; };

    if (kind == IoKind::Read) {
      std::uint32_t m = loc.member;
      if (g.level == RaidLevel::Mirror)
        for (std::uint32_t i = 1; i < g.members; ++i) m = shorter_queue(m, i);
      else if (g.level == RaidLevel::Raid10)
        m = shorter_queue(loc.member, loc.mirror);
      reads.push_back(piece(m));
      continue;
    }
    switch (g.level) {
      case RaidLevel::Mirror:
        for (std::uint32_t i = 0; i < g.members; ++i) writes.push_back(piece(i));
        break;
      case RaidLevel::Raid10:
        writes.push_back(piece(loc.member));
        writes.push_back(piece(loc.mirror));
        break;
      case RaidLevel::Raid5:
      case RaidLevel::Raid6: {
        StripeWrite& sw = parity_writes[loc.stripe];
        sw.loc = loc;
        sw.covered += n.value;
        sw.widest = std::max(sw.widest, n.value);
        sw.data.push_back(piece(loc.member));
        break;
      }
      default:
        writes.push_back(piece(loc.member));
        break;
    }
  }

  for (auto& [stripe, sw] : parity_writes) {
    const bool full = sw.covered == unit * g.data_members;
    const std::uint64_t parity_at = stripe * unit;
    for (const Piece& p : sw.data) {
      if (!full) reads.push_back(p);
      writes.push_back(p);
    }
    for (std::uint32_t k = 0; k < sw.loc.parity_count; ++k) {
      const std::uint32_t pm = sw.loc.parity[k];
      const Piece p{pm, member_base_[pm] + parity_at, base::Bytes{full ? unit : sw.widest}};
      if (!full) reads.push_back(p);
      writes.push_back(p);
    }
  }
}

engine::Task<LunIoResult> Lun::io(IoKind kind, std::uint64_t offset, base::Bytes size) {
  if (offset > geometry_.size.value || size.value > geometry_.size.value - offset)
    throw std::out_of_range("Lun " + name_ + ": I/O beyond the end of the LUN");
  LunIoResult result;
  if (lost_ || unavailable_) {
    result.status = IoStatus::DeviceFailed;
    co_return result;
  }
  std::vector<Piece> reads, writes;
  plan(kind, offset, size, reads, writes);
  if (down_count_ > 0) route_around_down(reads, writes);
  result.member_reads = static_cast<std::uint32_t>(reads.size());
  result.member_writes = static_cast<std::uint32_t>(writes.size());
  member_reads_ += reads.size();
  member_writes_ += writes.size();
  if (!reads.empty()) {
    Batch batch(reads.size());
    for (const Piece& p : reads) batch.add(*members_[p.member], IoKind::Read, p.offset, p.size);
    const IoStatus s = co_await batch;
    if (s != IoStatus::Ok) {
      result.status = s;
      co_return result;
    }
  }
  if (!writes.empty()) {
    Batch batch(writes.size());
    for (const Piece& p : writes) batch.add(*members_[p.member], IoKind::Write, p.offset, p.size);
    result.status = co_await batch;
  }
  co_return result;
}

} // namespace sim::storage

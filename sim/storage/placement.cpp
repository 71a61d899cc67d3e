#include "sim/storage/placement.hpp"

#include <algorithm>
#include <cctype>

namespace sim::storage {

bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t ie = i, je = j;
      while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie]))) ++ie;
      while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je]))) ++je;
      const std::string_view na = a.substr(i, ie - i), nb = b.substr(j, je - j);
      const std::string_view ta = na.substr(std::min(na.find_first_not_of('0'), na.size()));
      const std::string_view tb = nb.substr(std::min(nb.find_first_not_of('0'), nb.size()));
      if (ta.size() != tb.size()) return ta.size() < tb.size();
      if (ta != tb) return ta < tb;
      i = ie;
      j = je;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

std::uint32_t DriveIndex::add(Drive& drive, std::int16_t enclosure) {
  const auto slot = static_cast<std::uint32_t>(drives_.size());
  drive.set_tag(slot);
  drive.on_usage_change(engine::Action::member<DriveIndex, &DriveIndex::on_usage>(this, slot));
  drives_.push_back(&drive);
  first_names_.push_back(drive.name());
  enclosures_.push_back(enclosure);
  return slot;
}

std::size_t DriveIndex::slot_bytes() {
  // drives_, first_names_, enclosures_, rank_, by_name_, usage_key_, and a std::set node
  // (glibc: 48 B for a 16-byte value beside the 32-byte node header).
  return sizeof(Drive*) + sizeof(std::string) + sizeof(std::int16_t) + sizeof(std::uint32_t) + sizeof(Drive*) +
         sizeof(std::uint64_t) + 48;
}

void DriveIndex::resume() {
  paused_ = false;
  reindex_usage();
}

void DriveIndex::index_names() const {
  if (by_name_.size() == drives_.size()) return;
  std::vector<std::uint32_t> order(drives_.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return natural_less(first_names_[a], first_names_[b]);
  });
  rank_.assign(order.size(), 0);
  by_name_.clear();
  for (std::uint32_t r = 0; r < order.size(); ++r) {
    rank_[order[r]] = r;
    by_name_.push_back(drives_[order[r]]);
  }
  reindex_usage();
}

void DriveIndex::reindex_usage() const {
  if (by_name_.size() != drives_.size()) return;  // index_names() will
  by_usage_.clear();
  usage_key_.assign(by_name_.size(), 0);
  for (std::uint32_t r = 0; r < by_name_.size(); ++r) {
    const std::uint32_t slot = by_name_[r]->tag();
    usage_key_[slot] = by_name_[r]->used_bytes().value;
    by_usage_.emplace(usage_key_[slot], r);
  }
}

void DriveIndex::on_usage(std::uint64_t slot) {
  if (paused_ || by_name_.size() != drives_.size()) return;  // (re)indexed later
  const std::uint64_t now = drives_[slot]->used_bytes().value;
  if (now == usage_key_[slot]) return;
  auto node = by_usage_.extract({usage_key_[slot], rank_[slot]});
  node.value().first = now;
  by_usage_.insert(std::move(node));
  usage_key_[slot] = now;
}

std::uint32_t DriveIndex::rank(std::uint32_t slot) const {
  index_names();
  return rank_[slot];
}

std::vector<Drive*> DriveIndex::usable(base::Bytes min_free, std::size_t limit) const {
  index_names();
  std::vector<Drive*> out;
  for (const auto& [used, rank] : by_usage_) {
    if (out.size() == limit) break;
    Drive* d = by_name_[rank];
    if (d->state() != DriveState::Online || d->hot_spare() || d->free_bytes() < min_free) continue;
    out.push_back(d);
  }
  return out;
}

std::vector<Drive*> DriveIndex::place(Placement p, std::size_t count, base::Bytes min_free, std::string* note) const {
  if (p == Placement::Balanced || p == Placement::Explicit) return usable(min_free, count);
  std::vector<Drive*> all = usable(min_free);
  auto enclosure_of = [&](const Drive* d) { return enclosures_[d->tag()]; };
  if (p == Placement::Pack) {
    std::stable_sort(all.begin(), all.end(),
                     [&](const Drive* a, const Drive* b) { return enclosure_of(a) < enclosure_of(b); });
    if (all.size() > count) all.resize(count);
    return all;
  }
  // Spread: one member per enclosure while enclosures with room remain, then the rest; members
  // keep the usage order (positions in `all`).
  std::vector<std::size_t> chosen;
  std::vector<std::int16_t> used;
  for (std::size_t i = 0; i < all.size() && chosen.size() < count; ++i)
    if (std::find(used.begin(), used.end(), enclosure_of(all[i])) == used.end()) {
      used.push_back(enclosure_of(all[i]));
      chosen.push_back(i);
    }
  const std::size_t distinct = chosen.size();
  for (std::size_t i = 0; i < all.size() && chosen.size() < count; ++i)
    if (std::find(chosen.begin(), chosen.end(), i) == chosen.end()) chosen.push_back(i);
  if (chosen.size() > distinct && note != nullptr)
    *note = "placement spread: " + std::to_string(chosen.size()) + " members over " + std::to_string(distinct) +
            " enclosures (only " + std::to_string(distinct) + " have room), so members share enclosures";
  std::sort(chosen.begin(), chosen.end());
  std::vector<Drive*> out;
  for (std::size_t i : chosen) out.push_back(all[i]);
  return out;
}

} // namespace sim::storage

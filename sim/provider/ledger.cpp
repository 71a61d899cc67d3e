#include "sim/provider/ledger.hpp"

#include "sim/engine/simulation.hpp"

#include <algorithm>
#include <ostream>
#include <stdexcept>

namespace sim::provider {

std::ostream& operator<<(std::ostream& os, const Holder& h) {
  return os << (h.kind == HolderKind::Client ? "client:" : "") << h.name;
}

std::uint32_t Ledger::add_object(std::string_view kind, std::string_view name) {
  Entry e;
  const auto k = std::find(kinds_.begin(), kinds_.end(), kind);
  e.kind = static_cast<std::uint32_t>(k - kinds_.begin());
  if (k == kinds_.end()) kinds_.emplace_back(kind);
  e.name_begin = names_.size();
  e.name_size = static_cast<std::uint32_t>(name.size());
  names_.append(name);
  objects_.push_back(e);
  return static_cast<std::uint32_t>(objects_.size());
}

const Ledger::Entry& Ledger::entry(std::uint32_t id) const {
  if (id == 0 || id > objects_.size()) throw std::out_of_range("ledger: unknown object");
  return objects_[id - 1];
}

Ledger::Object Ledger::object(std::uint32_t id) const {
  const Entry& e = entry(id);
  return Object{std::string(kind_of(e)), std::string(name_of(e))};
}

void Ledger::add_ref(std::uint32_t object, const Holder& h) {
  if (object == 0 || object > objects_.size()) throw std::out_of_range("ledger: unknown object");
  ++counts_[{object, h}];
}

bool Ledger::release(std::uint32_t object, const Holder& h) {
  auto it = counts_.find({object, h});
  if (it == counts_.end() || it->second == 0) {
    const base::Time now = clock_ != nullptr ? clock_->now() : base::Time{};
    over_releases_.push_back(OverRelease{object, std::string(name_of(entry(object))), h, now});
    if (h.kind == HolderKind::Client) violation(h, ClientViolationKind::OverRelease, object, "Release");
    return false;
  }
  if (--it->second == 0) counts_.erase(it);
  return true;
}

std::uint32_t Ledger::held_by(std::uint32_t object, const Holder& h) const {
  auto it = counts_.find({object, h});
  return it == counts_.end() ? 0 : it->second;
}

std::uint32_t Ledger::total(std::uint32_t object) const {
  std::uint32_t n = 0;
  for (auto it = counts_.lower_bound({object, Holder{HolderKind::Client, ""}});
       it != counts_.end() && it->first.first == object; ++it)
    n += it->second;
  return n;
}

std::vector<Ledger::Outstanding> Ledger::outstanding() const {
  std::vector<Outstanding> out;
  for (const auto& [key, count] : counts_) {
    const Entry& e = entry(key.first);
    out.push_back(Outstanding{key.first, std::string(kind_of(e)), std::string(name_of(e)), key.second, count});
  }
  return out;
}

void Ledger::mark() {
  mark_objects_ = objects_.size();
  mark_names_ = names_.size();
  mark_counts_ = counts_;
}

void Ledger::reset() {
  objects_.resize(mark_objects_);
  names_.resize(mark_names_);
  counts_ = mark_counts_;
  over_releases_.clear();
  violations_.clear();
}

void Ledger::violation(const Holder& h, ClientViolationKind kind, std::uint32_t object, std::string detail) {
  const base::Time now = clock_ != nullptr ? clock_->now() : base::Time{};
  violations_.push_back(
      ClientViolation{now, h.name, object == 0 ? std::string() : std::string(name_of(entry(object))), kind, std::move(detail)});
}

std::uint32_t Ledger::violations_by(std::string_view name) const {
  return static_cast<std::uint32_t>(
      std::count_if(violations_.begin(), violations_.end(), [&](const ClientViolation& v) { return v.client == name; }));
}

} // namespace sim::provider

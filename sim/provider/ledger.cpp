#include "sim/provider/ledger.hpp"

#include <ostream>
#include <stdexcept>

namespace sim::provider {

std::ostream& operator<<(std::ostream& os, const Holder& h) {
  return os << (h.kind == HolderKind::Client ? "client:" : "") << h.name;
}

std::uint32_t Ledger::add_object(std::string kind, std::string name) {
  objects_.push_back(Object{std::move(kind), std::move(name)});
  return static_cast<std::uint32_t>(objects_.size());
}

void Ledger::add_ref(std::uint32_t object, const Holder& h) {
  if (object == 0 || object > objects_.size()) throw std::out_of_range("ledger: unknown object");
  ++counts_[{object, h}];
}

bool Ledger::release(std::uint32_t object, const Holder& h) {
  auto it = counts_.find({object, h});
  if (it == counts_.end() || it->second == 0) {
    over_releases_.push_back(OverRelease{object, objects_.at(object - 1).name, h});
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
    const Object& o = objects_.at(key.first - 1);
    out.push_back(Outstanding{key.first, o.kind, o.name, key.second, count});
  }
  return out;
}

void Ledger::mark() {
  mark_objects_ = objects_.size();
  mark_counts_ = counts_;
}

void Ledger::reset() {
  objects_.resize(mark_objects_);
  counts_ = mark_counts_;
  over_releases_.clear();
}

} // namespace sim::provider

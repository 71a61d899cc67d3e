#include "sim/provider/object.hpp"

#include "sim/engine/random.hpp"

#include <cstdio>
#include <ostream>

namespace sim::provider {

ObjectId ObjectId::derive(std::string_view kind, std::string_view name) {
  std::string key(kind);
  key += '/';
  key += name;
  const std::uint64_t a = engine::stable_hash(key);
  const std::uint64_t b = engine::stable_hash(key + "#lo");
  // Shape it as an RFC 4122 version-5-like GUID so tools print it naturally.
  return ObjectId{(a & 0xFFFFFFFFFFFF0FFFULL) | 0x5000ULL, (b & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL};
}

std::string ObjectId::to_string() const {
  char buf[40];
  std::snprintf(buf, sizeof buf, "{%08X-%04X-%04X-%04X-%012llX}", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

std::ostream& operator<<(std::ostream& os, const ObjectId& id) { return os << id.to_string(); }

VdsObject::VdsObject(Ledger& ledger, ObjectType type, std::string kind, std::string name)
    : ledger_(&ledger), type_(type), id_(ObjectId::derive(kind, name)), name_(name),
      ledger_id_(ledger.add_object(kind, name_)) {}

void VdsObject::reidentify(std::string_view kind, std::string name) {
  id_ = ObjectId::derive(kind, name);
  name_ = std::move(name);
}

void VdsObject::add_ref(const Holder& holder) { ledger_->add_ref(ledger_id_, holder); }

HResult VdsObject::release(const Holder& holder) {
  return ledger_->release(ledger_id_, holder) ? hr::s_ok : hr::e_unexpected;
}

HResult VdsObject::query_interface(Interface iid, VdsObject** out, const Holder& holder) {
  if (out == nullptr) return hr::e_pointer;
  if (iid != Interface::Unknown && !implements(iid)) {
    *out = nullptr;
    return hr::e_nointerface;
  }
  add_ref(holder);
  *out = this;
  return hr::s_ok;
}

} // namespace sim::provider

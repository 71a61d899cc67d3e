// The base of every VDS object the provider hands out (IUnknown's part of it).
//
// References are explicit, as in COM: whoever receives a pointer from the provider (an out
// parameter, a Wait payload, QueryInterface) owns one reference and must release() it. Every
// add_ref/release names its holder and is recorded in the subsystem's Ledger; the object itself
// stays in memory for the whole run (the provider owns it), so a client that releases too much
// gets an over-release record, not a crash, and a deleted LUN still answers — with
// VDS_E_OBJECT_DELETED.
#pragma once

#include "sim/provider/hresult.hpp"
#include "sim/provider/ledger.hpp"
#include "sim/provider/vds_types.hpp"

#include <cstdint>
#include <iosfwd>
#include <string>

namespace sim::provider {

/// VDS_OBJECT_ID: a GUID, derived deterministically from the object's kind and name so that it
/// is the same in every run (and across reenumerations, as VDS requires).
struct ObjectId {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;

  static ObjectId derive(std::string_view kind, std::string_view name);
  bool is_null() const { return hi == 0 && lo == 0; }
  friend auto operator<=>(const ObjectId&, const ObjectId&) = default;
  /// "{8-4-4-4-12}" upper-case hex, as VDS prints GUIDs.
  std::string to_string() const;
};

std::ostream& operator<<(std::ostream& os, const ObjectId& id);

/// Interfaces a VDS object may answer for in query_interface.
enum class Interface : std::uint8_t { Unknown, Async, SubSystem, Drive, Lun, LunPlex, Controller, Provider, HwProvider };

class VdsObject {
public:
  VdsObject(Ledger& ledger, ObjectType type, std::string kind, std::string name);
  VdsObject(const VdsObject&) = delete;
  VdsObject& operator=(const VdsObject&) = delete;
  virtual ~VdsObject() = default;

  ObjectType type() const { return type_; }
  const ObjectId& id() const { return id_; }
  const std::string& name() const { return name_; }
  std::uint32_t ledger_id() const { return ledger_id_; }

  /// IUnknown::AddRef on behalf of `holder`.
  void add_ref(const Holder& holder);
  /// IUnknown::Release on behalf of `holder`. Returns S_OK, or E_UNEXPECTED when the holder
  /// holds no reference (recorded in the ledger as an over-release).
  HResult release(const Holder& holder);
  /// IUnknown::QueryInterface: on success *out is this object with a new reference for
  /// `holder`; E_NOINTERFACE and *out = nullptr otherwise; E_POINTER if out is null.
  virtual HResult query_interface(Interface iid, VdsObject** out, const Holder& holder);
  /// Interfaces this object answers for (besides Unknown).
  virtual bool implements(Interface iid) const = 0;

  /// The ledger this object's references are recorded in.
  Ledger& ledger() const { return *ledger_; }

protected:
  /// A new physical object takes this one's place (a replacement drive): new name, new VDS id
  /// derived from (kind, name) as at construction. The ledger entry (references) stays.
  void reidentify(std::string_view kind, std::string name);

private:
  Ledger* ledger_;
  ObjectType type_;
  ObjectId id_;
  std::string name_;
  std::uint32_t ledger_id_;
};

} // namespace sim::provider

// The reference-count ledger: who holds references on which provider object.
//
// Every AddRef/Release on a VDS object goes through the ledger with the holder it is made for:
// a client (by name) or the provider itself (a reference the provider keeps on what it hands
// out — an errant provider's leak). At the end of a run outstanding() lists every reference
// still held; a Release by a holder that holds nothing is refused and recorded as an
// over-release (in COM it would free an object someone else still uses).
//
// The ledger is also where a client's protocol violations are recorded (violations()): an
// over-release by a client holder is one by itself; the compat layer (sim/com) and the built-in
// clients report the others (use of a released object, Wait or QueryStatus on a released handle,
// reading a payload of another output type, ignoring a failed Wait). Each is stamped with the
// simulated time of the clock set by set_clock() (0 without one).
#pragma once

#include "sim/base/name_table.hpp"
#include "sim/base/time.hpp"

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sim::engine {
class Simulation;
}

namespace sim::provider {

enum class HolderKind : std::uint8_t { Client, Provider };

struct Holder {
  HolderKind kind = HolderKind::Client;
  std::string name;  ///< client name ("reference", "naive", ...); "provider" for the provider

  static Holder client(std::string n) { return Holder{HolderKind::Client, std::move(n)}; }
  static Holder provider() { return Holder{HolderKind::Provider, "provider"}; }
  friend auto operator<=>(const Holder&, const Holder&) = default;
};

std::ostream& operator<<(std::ostream& os, const Holder& h);

/// What a client did against the COM/VDS protocol (client-violations.csv `kind`).
enum class ClientViolationKind : std::uint8_t {
  OverRelease,         ///< a Release of a reference the client does not hold
  UseAfterRelease,     ///< a method called on an object after the client's last Release
  WaitOnReleased,      ///< IVdsAsync::Wait or QueryStatus on a handle the client released
  WrongTypePayload,    ///< a Wait payload used although its output type is not the operation's
  IgnoredWaitFailure,  ///< Wait itself failed, and the client reported the operation a success
};
inline constexpr base::NameTable<ClientViolationKind, 5> client_violation_names{
    {{{ClientViolationKind::OverRelease, "over_release"},
      {ClientViolationKind::UseAfterRelease, "use_after_release"},
      {ClientViolationKind::WaitOnReleased, "wait_on_released"},
      {ClientViolationKind::WrongTypePayload, "wrong_type_payload"},
      {ClientViolationKind::IgnoredWaitFailure, "ignored_wait_failure"}}}};
inline const char* to_string(ClientViolationKind k) { return client_violation_names.c_str(k); }

struct ClientViolation {
  base::Time time{};
  std::string client;  ///< the holder's name
  std::string object;  ///< the object's ledger name ("async/3:create_lun", "lun/db", ...)
  ClientViolationKind kind{};
  std::string detail;  ///< what was called, or what happened
};

class Ledger {
public:
  struct Object {
    std::string kind;  ///< "async", "lun", "drive", "subsystem", ...
    std::string name;  ///< stable, human-readable ("lun/db", "async/3:create_lun")
  };
  struct Outstanding {
    std::uint32_t object = 0;
    std::string kind;
    std::string name;
    Holder holder;
    std::uint32_t count = 0;
  };
  struct OverRelease {
    std::uint32_t object = 0;
    std::string name;
    Holder holder;
    base::Time time{};
  };

  /// The clock that stamps over-releases and violations (not owned; null: time 0).
  void set_clock(const engine::Simulation* clock) { clock_ = clock; }

  /// Registers an object and returns its ledger number (1, 2, ... in registration order).
  std::uint32_t add_object(std::string_view kind, std::string_view name);
  /// The object's kind and name (copies).
  Object object(std::uint32_t id) const;
  /// Bytes the ledger keeps per object besides its name's characters (for memory accounting).
  static constexpr std::size_t entry_bytes() { return sizeof(Entry); }

  void add_ref(std::uint32_t object, const Holder& h);
  /// Drops one of h's references. False (and an over-release is recorded) when h holds none.
  bool release(std::uint32_t object, const Holder& h);

  std::uint32_t held_by(std::uint32_t object, const Holder& h) const;
  /// All references on the object, every holder.
  std::uint32_t total(std::uint32_t object) const;

  /// Remembers the objects and references so far; reset() returns to them (a new replication
  /// of a built model: objects registered later are forgotten).
  void mark();
  void reset();

  /// Every reference still held, ordered by (object number, holder).
  std::vector<Outstanding> outstanding() const;
  const std::vector<OverRelease>& over_releases() const { return over_releases_; }

  /// Records a protocol violation by client `h` on `object` (0: none) now.
  void violation(const Holder& h, ClientViolationKind kind, std::uint32_t object, std::string detail);
  /// Every client protocol violation in time order (over-releases by client holders included).
  const std::vector<ClientViolation>& violations() const { return violations_; }
  /// How many violations holder `name` committed.
  std::uint32_t violations_by(std::string_view name) const;

private:
  // Millions of objects (a drive each) make the per-object cost count: kinds are interned
  // (a handful of them), names stored back to back in one buffer.
  struct Entry {
    std::uint64_t name_begin = 0;  // in names_
    std::uint32_t name_size = 0;
    std::uint32_t kind = 0;        // in kinds_
  };
  std::string_view kind_of(const Entry& e) const { return kinds_[e.kind]; }
  std::string_view name_of(const Entry& e) const { return std::string_view(names_).substr(e.name_begin, e.name_size); }
  const Entry& entry(std::uint32_t id) const;

  std::vector<Entry> objects_;
  std::vector<std::string> kinds_;
  std::string names_;
  std::map<std::pair<std::uint32_t, Holder>, std::uint32_t> counts_;
  std::vector<OverRelease> over_releases_;
  std::vector<ClientViolation> violations_;
  const engine::Simulation* clock_ = nullptr;
  std::size_t mark_objects_ = 0;
  std::size_t mark_names_ = 0;
  std::map<std::pair<std::uint32_t, Holder>, std::uint32_t> mark_counts_;
};

} // namespace sim::provider

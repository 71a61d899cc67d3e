// A compiled VDS client loaded with dlopen: `lunsim check --client-lib ./libclient.so --entry
// NAME` and `lunsim run --client-lib`.
//
// The library is built against sim/compat's headers (CMake target lunsim::compat). The GUIDs
// it names are inline in the headers; CoInitializeEx, CoCreateInstance and CoUninitialize are
// exported by the lunsim executable and bound when the library is loaded (RTLD_NOW, so a
// missing symbol is reported at load, not at the first call). The entry's signature cannot be
// checked by dlsym: `kind` says which of the three pinned ones it is (sim/com/client.hpp).
//
// NAME is looked up as a C symbol (extern "C") first, then as a C++ function of the kind's
// signature in the global namespace, by its Itanium C++ ABI name (`_Z4NAMEv` for a void_main
// entry, `_Z4NAMEiPPc` for main, `_Z4NAMEP13IVdsSubSystem` for subsystem; the number is NAME's
// length). So a documentation sample's `main`, renamed with -Dmain=NAME and thus of C++
// linkage, is found without editing the sample; and a C++-linkage entry is found only when its
// parameters match the kind (its return type is not part of the name).
#pragma once

#include "sim/com/client.hpp"

#include <string>

namespace sim::com {

class ClientLibrary {
public:
  /// Loads `path` and finds `entry` (see above). Throws std::runtime_error naming the file and
  /// what dlopen said, or both names dlsym did not find.
  ClientLibrary(const std::string& path, const std::string& entry, EntryKind kind);
  /// The Itanium C++ ABI name of `entry` with `kind`'s parameters; empty when `entry` is not an
  /// identifier.
  static std::string mangled_name(const std::string& entry, EntryKind kind);
  ~ClientLibrary();  ///< unloads the library: no Client may still run its code
  ClientLibrary(const ClientLibrary&) = delete;
  ClientLibrary& operator=(const ClientLibrary&) = delete;

  const Entry& entry() const { return entry_; }
  const std::string& path() const { return path_; }

private:
  std::string path_;
  void* handle_ = nullptr;
  Entry entry_;
};

} // namespace sim::com

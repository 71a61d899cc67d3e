/* lunsim's <initguid.h> for Linux/g++. On Windows, including it before headers that use
 * DEFINE_GUID turns their GUID declarations into definitions (in exactly one translation unit).
 * Here GUIDs are always inline definitions (sim/compat/windows.h, "GUIDs"), so this header only
 * defines INITGUID, for code that tests it, and makes DEFINE_GUID available. Including it in
 * any number of translation units, before or after "vds.h", is harmless.
 */
#ifndef LUNSIM_COMPAT_INITGUID_H
#define LUNSIM_COMPAT_INITGUID_H

#ifndef INITGUID
#define INITGUID
#endif

#include "windows.h"

#endif /* LUNSIM_COMPAT_INITGUID_H */

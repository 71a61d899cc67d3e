/* lunsim's <windows.h> for Linux/g++: the Win32 and COM subset that VDS client code uses, with
 * Windows widths (issue 10). Self-contained: a file that includes it with only this folder on
 * the include path compiles.
 *
 * Widths as on Windows (LLP64): LONG and ULONG are 32-bit (int32_t / uint32_t), so
 * FAILED(0x80042409) is true and HRESULT arithmetic matches; LONGLONG / ULONGLONG 64-bit; GUID 16
 * bytes; BOOL a 32-bit int. WCHAR is wchar_t, which is 32-bit on Linux (2 bytes on Windows), so
 * L"..." literals compile unchanged but WCHAR strings are UTF-32 here.
 *
 * Spelling that Windows SDK client code relies on, each defined only if not yet defined: the
 * calling conventions (__cdecl, __stdcall, WINAPI, WINAPIV, CALLBACK, APIENTRY,
 * STDMETHODCALLTYPE, STDAPICALLTYPE) are empty, as they mean nothing on x86-64 Linux; STDAPI and
 * STDAPI_(type) declare extern "C" functions; EXTERN_C is extern "C"; the minwindef.h parameter
 * annotations IN, OUT and OPTIONAL are empty and CONST is const, as on Windows; SAL 2
 * annotations (_In_, _Outptr_, ...) come from "sal.h". `#pragma comment(lib, "ole32.lib")`
 * needs nothing (the COM functions are lunsim's), but g++ warns about the unknown pragma under
 * -Wall: build such code with -Wno-unknown-pragmas.
 *
 * GUIDs: DEFINE_GUID(name, l, w1, w2, b1..b8) defines `name` as an inline constexpr GUID (a C++17
 * inline variable), whether or not <initguid.h> or INITGUID came first. On Windows, DEFINE_GUID
 * only declares the GUID unless INITGUID is defined, and exactly one translation unit must
 * define it; here every translation unit has the same definition and the linker keeps one, so
 * code written either way links (no duplicate symbols, no missing ones). <initguid.h> defines
 * INITGUID and includes this file.
 *
 * Memory: CoTaskMemAlloc / CoTaskMemFree are malloc / free (what the lunsim compat layer
 * allocates for strings and arrays returned to clients, CoTaskMemFree frees).
 *
 * CoInitializeEx, CoUninitialize and CoCreateInstance are declared here and defined by lunsim
 * (sim/com, exported from the lunsim executable), so a client library built with only this
 * folder on its include path links them at dlopen time. They act on the calling client's
 * apartment: lunsim runs each client on its own fiber, and COM's per-thread state is per fiber.
 * CoCreateInstance knows one class, CLSID_VdsLoader (IID_IVdsServiceLoader or IID_IUnknown;
 * the class context is not checked, so the CLSCTX_LOCAL_SERVER of Microsoft's samples works);
 * others give REGDB_E_CLASSNOTREG. Called before CoInitializeEx it gives
 * CO_E_NOTINITIALIZED, as on Windows; called outside a lunsim client, CO_E_NOTINITIALIZED too.
 */
#ifndef LUNSIM_COMPAT_WINDOWS_H
#define LUNSIM_COMPAT_WINDOWS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "sal.h"

typedef int32_t LONG;
typedef uint32_t ULONG;
typedef int32_t HRESULT;
typedef int32_t BOOL;
typedef int16_t SHORT;
typedef uint16_t USHORT;
typedef uint16_t WORD;
typedef uint32_t DWORD;
typedef int32_t INT;
typedef uint32_t UINT;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef uint8_t BYTE;
typedef wchar_t WCHAR;
typedef WCHAR* LPWSTR;
typedef const WCHAR* LPCWSTR;
typedef char* LPSTR;
typedef const char* LPCSTR;
typedef void* LPVOID;
typedef void* HANDLE;
typedef size_t SIZE_T;

#define TRUE 1
#define FALSE 0
#ifndef NULL
#define NULL 0
#endif

/* Calling conventions (empty on x86-64 Linux) and linkage */
#ifndef __cdecl
#define __cdecl
#endif
#ifndef __stdcall
#define __stdcall
#endif
#ifndef WINAPI
#define WINAPI
#endif
#ifndef WINAPIV
#define WINAPIV
#endif
#ifndef CALLBACK
#define CALLBACK
#endif
#ifndef APIENTRY
#define APIENTRY
#endif
#ifndef STDMETHODCALLTYPE
#define STDMETHODCALLTYPE
#endif
#ifndef STDAPICALLTYPE
#define STDAPICALLTYPE
#endif
#ifndef EXTERN_C
#ifdef __cplusplus
#define EXTERN_C extern "C"
#else
#define EXTERN_C extern
#endif
#endif
#ifndef STDAPI
#define STDAPI EXTERN_C HRESULT STDAPICALLTYPE
#endif
#ifndef STDAPI_
#define STDAPI_(type) EXTERN_C type STDAPICALLTYPE
#endif

/* Parameter annotations (minwindef.h) */
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif
#ifndef CONST
#define CONST const
#endif

#define STDMETHOD(method) virtual HRESULT STDMETHODCALLTYPE method
#define STDMETHOD_(type, method) virtual type STDMETHODCALLTYPE method
#define PURE = 0
#define interface struct

/* HRESULTs (functional casts rather than the SDK's C casts, so client code built with
 * -Wold-style-cast stays quiet; values and types are the same) */
#define SUCCEEDED(hr) (HRESULT(hr) >= 0)
#define FAILED(hr) (HRESULT(hr) < 0)
#define HRESULT_CODE(hr) ((hr) & 0xFFFF)
#define HRESULT_FACILITY(hr) (((hr) >> 16) & 0x1FFF)
#define MAKE_HRESULT(sev, fac, code) (HRESULT((ULONG(sev) << 31) | (ULONG(fac) << 16) | ULONG(code)))
#define S_OK (HRESULT(0x00000000))
#define S_FALSE (HRESULT(0x00000001))
#define E_NOTIMPL (HRESULT(0x80004001))
#define E_NOINTERFACE (HRESULT(0x80004002))
#define E_POINTER (HRESULT(0x80004003))
#define E_ABORT (HRESULT(0x80004004))
#define E_FAIL (HRESULT(0x80004005))
#define E_UNEXPECTED (HRESULT(0x8000FFFF))
#define E_ACCESSDENIED (HRESULT(0x80070005))
#define E_OUTOFMEMORY (HRESULT(0x8007000E))
#define E_INVALIDARG (HRESULT(0x80070057))
#define REGDB_E_CLASSNOTREG (HRESULT(0x80040154))
#define CO_E_NOTINITIALIZED (HRESULT(0x800401F0))
#define RPC_E_CHANGED_MODE (HRESULT(0x80010106))
#define RPC_E_DISCONNECTED (HRESULT(0x80010108))
#define RPC_E_WRONG_THREAD (HRESULT(0x8001010E))
#define CLASS_E_NOAGGREGATION (HRESULT(0x80040110))
#define FACILITY_WIN32 7
#define HRESULT_FROM_WIN32(x) \
  (HRESULT(x) <= 0 ? HRESULT(x) : HRESULT((ULONG(x) & 0x0000FFFFU) | (ULONG(FACILITY_WIN32) << 16) | 0x80000000U))
#define RPC_S_SERVER_UNAVAILABLE 1722L

#define ZeroMemory(p, n) memset((p), 0, (n))

/* GUIDs */
typedef struct _GUID {
  uint32_t Data1;
  uint16_t Data2;
  uint16_t Data3;
  uint8_t Data4[8];
} GUID;
typedef GUID IID;
typedef GUID CLSID;
typedef GUID VDS_OBJECT_ID;
#ifdef __cplusplus
#define REFGUID const GUID&
#define REFIID const IID&
#define REFCLSID const CLSID&
inline bool operator==(const GUID& a, const GUID& b) { return memcmp(&a, &b, sizeof(GUID)) == 0; }
inline bool operator!=(const GUID& a, const GUID& b) { return !(a == b); }
inline BOOL IsEqualGUID(REFGUID a, REFGUID b) { return a == b; }
#define IsEqualIID(a, b) IsEqualGUID((a), (b))
#define IsEqualCLSID(a, b) IsEqualGUID((a), (b))
/* GUID constants are defined inline in the headers (C++17 inline variables), so a client
 * library needs nothing from the executable to name them. */
#define LUNSIM_DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
  inline constexpr GUID name = {l, w1, w2, {b1, b2, b3, b4, b5, b6, b7, b8}}
/* The SDK's spelling, with or without INITGUID (see the header comment). */
#ifndef DEFINE_GUID
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
  LUNSIM_DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)
#endif
LUNSIM_DEFINE_GUID(GUID_NULL, 0x00000000, 0x0000, 0x0000, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
LUNSIM_DEFINE_GUID(IID_IUnknown, 0x00000000, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);

/* COM */
struct IUnknown {
  virtual HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppvObject) = 0;
  virtual ULONG STDMETHODCALLTYPE AddRef() = 0;
  virtual ULONG STDMETHODCALLTYPE Release() = 0;

protected:
  ~IUnknown() = default; /* no virtual destructor: the vtable is exactly the COM one; objects are
                            freed by their last Release */
};
typedef IUnknown* LPUNKNOWN;

#define COINIT_APARTMENTTHREADED 0x2
#define COINIT_MULTITHREADED 0x0
#define CLSCTX_INPROC_SERVER 0x1
#define CLSCTX_LOCAL_SERVER 0x4
#define CLSCTX_REMOTE_SERVER 0x10
#define CLSCTX_SERVER (CLSCTX_INPROC_SERVER | CLSCTX_LOCAL_SERVER | CLSCTX_REMOTE_SERVER)

inline LPVOID CoTaskMemAlloc(SIZE_T n) { return malloc(n); }
inline void CoTaskMemFree(LPVOID p) { free(p); }

extern "C" HRESULT CoInitializeEx(LPVOID pvReserved, DWORD dwCoInit);
extern "C" HRESULT CoInitialize(LPVOID pvReserved);
extern "C" void CoUninitialize(void);
extern "C" HRESULT CoCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter, DWORD dwClsContext, REFIID riid,
                                    LPVOID* ppv);
/* Sleep(ms): the calling client waits `ms` milliseconds of simulated time (its fiber is
 * suspended, the simulation goes on); outside a lunsim client it returns at once. Defined by
 * lunsim like the Co* functions: what a polling client needs for its deadline. */
extern "C" void Sleep(DWORD dwMilliseconds);
#endif /* __cplusplus */

#endif /* LUNSIM_COMPAT_WINDOWS_H */

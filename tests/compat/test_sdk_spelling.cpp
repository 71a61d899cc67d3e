// What Windows SDK client code spells besides types and interfaces, compiled with only
// sim/compat on the include path: <initguid.h> and DEFINE_GUID, the calling-convention and
// linkage macros, the IN/OUT/OPTIONAL/CONST parameter annotations and SAL 2 (sal.h). The
// annotations and calling conventions must change no type; DEFINE_GUID must define one object
// for the whole program whether or not <initguid.h> came first (test_guid.h).
#include <initguid.h>  // first, as Microsoft's "Loading VDS" sample does
#include <vds.h>

#include "test_guid.h"

#include <catch2/catch.hpp>

#include <type_traits>

#ifndef INITGUID
#error "<initguid.h> defines INITGUID"
#endif

// Calling conventions and linkage compile away (the declarations are the plain C++ ones).
void __cdecl cdecl_function(void);
void __stdcall stdcall_function(void);
LONG WINAPI winapi_function(LONG);
LONG WINAPIV winapiv_function(LONG, ...);
LONG CALLBACK callback_function(LONG);
BOOL APIENTRY apientry_function(HANDLE);
STDAPI stdapi_function(IUnknown*);
STDAPI_(ULONG) stdapi_ulong_function(void);
EXTERN_C void extern_c_function(void);
static_assert(std::is_same_v<decltype(cdecl_function), void()>);
static_assert(std::is_same_v<decltype(stdcall_function), void()>);
static_assert(std::is_same_v<decltype(winapi_function), LONG(LONG)>);
static_assert(std::is_same_v<decltype(winapiv_function), LONG(LONG, ...)>);
static_assert(std::is_same_v<decltype(callback_function), LONG(LONG)>);
static_assert(std::is_same_v<decltype(apientry_function), BOOL(HANDLE)>);
static_assert(std::is_same_v<decltype(stdapi_function), HRESULT(IUnknown*)>);
static_assert(std::is_same_v<decltype(stdapi_ulong_function), ULONG()>);

// minwindef.h's annotations: IN, OUT and OPTIONAL are nothing, CONST is const.
HRESULT annotated_function(IN IVdsSubSystem* pSubsystem, IN CONST VDS_OBJECT_ID* pId,
                           IN OPTIONAL LPWSTR pwszName, OUT IVdsController** ppController);
static_assert(std::is_same_v<decltype(annotated_function),
                             HRESULT(IVdsSubSystem*, const VDS_OBJECT_ID*, LPWSTR, IVdsController**)>);
static_assert(std::is_const_v<CONST ULONG>);

// SAL 2: every annotation is nothing, whatever its arguments.
HRESULT sal_function(_In_ IVdsSubSystem* pSubsystem, _In_opt_ VDS_HINTS* pHints, _Inout_ ULONG* pulCount,
                     _Out_ HRESULT* pHr, _Out_opt_ ULONG* pulPercent, _Outptr_ IVdsAsync** ppAsync,
                     _Outptr_opt_result_maybenull_ IUnknown** ppUnk, _COM_Outptr_ void** ppv,
                     _In_reads_(lCount) VDS_OBJECT_ID* pIds, _In_ LONG lCount,
                     _Out_writes_to_(celt, *pcFetched) IUnknown** ppArray, _In_ ULONG celt,
                     _Out_ ULONG* pcFetched, _In_z_ LPCWSTR pwszName, _Reserved_ LPVOID pvReserved);
_Check_return_ _Success_(return == 0) _Ret_maybenull_ LPVOID sal_return_function(_In_range_(1, 8) ULONG n);
static_assert(std::is_same_v<decltype(sal_function),
                             HRESULT(IVdsSubSystem*, VDS_HINTS*, ULONG*, HRESULT*, ULONG*, IVdsAsync**, IUnknown**,
                                     void**, VDS_OBJECT_ID*, LONG, IUnknown**, ULONG, ULONG*, LPCWSTR, LPVOID)>);
static_assert(std::is_same_v<decltype(sal_return_function), LPVOID(ULONG)>);

const GUID* test_guid_in_this_tu() { return &LUNSIM_IID_TEST; }

TEST_CASE("compat: DEFINE_GUID defines one GUID for the program, with or without initguid.h first") {
  CHECK(test_guid_in_this_tu() == test_guid_in_windows_h_tu());
  CHECK(LUNSIM_IID_TEST.Data1 == 0x5c8e7f4a);
  CHECK(LUNSIM_IID_TEST.Data2 == 0x1b2d);
  CHECK(LUNSIM_IID_TEST.Data3 == 0x4e6f);
  CHECK(LUNSIM_IID_TEST.Data4[0] == 0x9a);
  CHECK(LUNSIM_IID_TEST.Data4[7] == 0x16);
  // A constant expression, as the headers' own IIDs are.
  static_assert(LUNSIM_IID_TEST.Data1 == 0x5c8e7f4a);
  // The headers' GUIDs are unchanged by <initguid.h> coming first.
  CHECK(CLSID_VdsLoader.Data1 == 0x9c38ed61);
  CHECK(IsEqualGUID(IID_IVdsServiceLoader, IID_IVdsServiceLoader));
  CHECK_FALSE(IsEqualGUID(LUNSIM_IID_TEST, IID_IUnknown));
}

TEST_CASE("compat: the annotations and calling conventions leave values alone, CONST makes them const") {
  // An annotated parameter list is the plain one (checked above at compile time); annotated
  // locals are too.
  IN CONST ULONG ulIn = 3;
  OUT ULONG ulOut = 0;
  _In_ const ULONG ulSal = 4;
  ulOut = ulIn + ulSal;
  CHECK(ulOut == 7);
  CHECK(std::is_const_v<decltype(ulIn)>);
  CHECK_FALSE(std::is_const_v<decltype(ulOut)>);
}

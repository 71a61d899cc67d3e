// Deliberately buggy VDS clients for `lunsim explore` (tests/explore/test_explore.cpp), built
// like a user's client library: sim/compat only, loaded with dlopen.
//
// Each entry runs one workflow on the subsystem it is handed: create a RAID-5 LUN of 6 GiB,
// extend it by 1 GiB, create a mirror of 2 GiB and delete it again. `careful` does everything
// right: it polls QueryStatus every second under a one-hour deadline (cancelling past it),
// checks Wait's own HRESULT, the operation's, the output type and the payload, verifies every
// size and status with GetProperties (deleting a LUN that is not what it asked for), releases
// exactly what it owns and returns the first failure. Every other entry is `careful` with one
// bug:
//   buggy_type_check        the second create reads the payload without checking the type
//   buggy_double_release    when the extend's operation fails, releases the handle twice
//   buggy_no_deadline       waits for the extend with a plain Wait, no deadline
//   buggy_use_after_release when the extend fails, releases the LUN, then reads its size
//   buggy_ignores_wait      takes the extend's operation HRESULT and ignores Wait's own
#include <windows.h>

#include "vds.h"

namespace {

enum Bug { None, TypeCheck, DoubleRelease, NoDeadline, UseAfterRelease, IgnoresWait };

template <class T>
void SafeRelease(T*& p) {
  if (p != NULL) {
    p->Release();
    p = NULL;
  }
}

const ULONGLONG GiB = 1ULL << 30;

/// Polls `pAsync` every second until it is done, for at most an hour (then cancels:
/// VDS_E_TIMEOUT).
HRESULT PollCarefully(IVdsAsync* pAsync) {
  for (int seconds = 0;; ++seconds) {
    HRESULT hrStatus = S_OK;
    ULONG percent = 0;
    const HRESULT hr = pAsync->QueryStatus(&hrStatus, &percent);
    if (FAILED(hr)) return hr;
    if (hrStatus != VDS_E_OPERATION_PENDING) break;
    if (seconds >= 3600) {
      (void)pAsync->Cancel();
      return VDS_E_TIMEOUT;
    }
    Sleep(1000);
  }
  return S_OK;
}

/// Waits for `pAsync` under PollCarefully's deadline. Fills the operation's HRESULT and the
/// output on success; returns the first failure.
HRESULT WaitCarefully(IVdsAsync* pAsync, HRESULT* hrOp, VDS_ASYNC_OUTPUT* out) {
  ZeroMemory(out, sizeof *out);
  HRESULT hr = PollCarefully(pAsync);
  if (FAILED(hr)) return hr;
  hr = pAsync->Wait(hrOp, out);
  if (FAILED(hr)) return hr;
  return *hrOp;
}

HRESULT LunSize(IVdsLun* pLun, ULONGLONG* size, bool* online) {
  VDS_LUN_PROP prop;
  ZeroMemory(&prop, sizeof prop);
  const HRESULT hr = pLun->GetProperties(&prop);
  if (FAILED(hr)) return hr;
  CoTaskMemFree(prop.pwszFriendlyName);
  CoTaskMemFree(prop.pwszIdentification);
  CoTaskMemFree(prop.pwszUnmaskingList);
  *size = prop.ullSize;
  *online = prop.status == VDS_LS_ONLINE;
  return S_OK;
}

/// Creates a LUN of `size` and returns it verified (one reference, the caller's), or a failure.
HRESULT CreateVerified(IVdsSubSystem* pSub, VDS_LUN_TYPE type, ULONGLONG size, ULONG drives, bool checkType,
                       IVdsLun** ppLun) {
  *ppLun = NULL;
  VDS_HINTS hints;
  ZeroMemory(&hints, sizeof hints);
  hints.ulMaximumDriveCount = drives;
  IVdsAsync* pAsync = NULL;
  HRESULT hr = pSub->CreateLun(type, size, NULL, 0, NULL, &hints, &pAsync);
  if (FAILED(hr)) return hr;  // a failed call's out-parameter is not ours
  if (pAsync == NULL) return E_UNEXPECTED;
  HRESULT hrOp = S_OK;
  VDS_ASYNC_OUTPUT out;
  hr = WaitCarefully(pAsync, &hrOp, &out);
  IUnknown* pUnk = SUCCEEDED(hr) ? out.cl.pLunUnk : NULL;  // ours only after a successful Wait
  if (SUCCEEDED(hr) && checkType && out.type != VDS_ASYNCOUT_CREATELUN) hr = E_UNEXPECTED;
  if (SUCCEEDED(hr) && pUnk == NULL) hr = E_UNEXPECTED;
  IVdsLun* pLun = NULL;
  if (SUCCEEDED(hr)) hr = pUnk->QueryInterface(IID_IVdsLun, reinterpret_cast<void**>(&pLun));
  if (SUCCEEDED(hr)) {
    ULONGLONG got = 0;
    bool online = false;
    hr = LunSize(pLun, &got, &online);
    if (SUCCEEDED(hr) && (got < size || !online)) {
      (void)pLun->Delete();  // not what was asked for: do not leave it behind
      hr = E_UNEXPECTED;
    }
  }
  SafeRelease(pUnk);
  SafeRelease(pAsync);
  if (FAILED(hr)) {
    SafeRelease(pLun);
    return hr;
  }
  *ppLun = pLun;
  return S_OK;
}

HRESULT ExtendVerified(IVdsLun* pLun, ULONGLONG by, Bug bug) {
  ULONGLONG before = 0;
  bool online = false;
  HRESULT hr = LunSize(pLun, &before, &online);
  if (FAILED(hr)) return hr;
  IVdsAsync* pAsync = NULL;
  hr = pLun->Extend(by, NULL, 0, &pAsync);
  if (FAILED(hr)) return hr;
  if (pAsync == NULL) return E_UNEXPECTED;
  HRESULT hrOp = S_OK;
  VDS_ASYNC_OUTPUT out;
  ZeroMemory(&out, sizeof out);
  if (bug == NoDeadline) {
    hr = pAsync->Wait(&hrOp, &out);
    if (SUCCEEDED(hr)) hr = hrOp;
  } else if (bug == IgnoresWait) {
    hr = PollCarefully(pAsync);
    if (SUCCEEDED(hr)) {
      (void)pAsync->Wait(&hrOp, &out);  // the bug: Wait's own HRESULT is dropped
      hr = hrOp;
      if (SUCCEEDED(hr)) out.type = VDS_ASYNCOUT_EXTENDLUN;  // and it takes the rest on trust
    }
  } else {
    hr = WaitCarefully(pAsync, &hrOp, &out);
  }
  if (SUCCEEDED(hr) && out.type != VDS_ASYNCOUT_EXTENDLUN) hr = E_UNEXPECTED;
  if (FAILED(hr) && bug == DoubleRelease) pAsync->Release();  // the bug: one Release too many
  SafeRelease(pAsync);
  if (FAILED(hr)) return hr;
  ULONGLONG after = 0;
  hr = LunSize(pLun, &after, &online);
  if (SUCCEEDED(hr) && after < before + by) hr = E_UNEXPECTED;
  return hr;
}

HRESULT Workflow(IVdsSubSystem* pSub, Bug bug) {
  if (pSub == NULL) return E_POINTER;
  IVdsLun* pDb = NULL;
  HRESULT hr = CreateVerified(pSub, VDS_LT_RAID5, 6 * GiB, 4, true, &pDb);
  if (FAILED(hr)) return hr;
  hr = ExtendVerified(pDb, GiB, bug);
  if (FAILED(hr) && bug == UseAfterRelease) {
    pDb->Release();
    ULONGLONG size = 0;
    bool online = false;
    (void)LunSize(pDb, &size, &online);  // the bug: the LUN is no longer ours
    return hr;
  }
  if (SUCCEEDED(hr)) {
    IVdsLun* pLogs = NULL;
    hr = CreateVerified(pSub, VDS_LT_MIRROR, 2 * GiB, 2, bug != TypeCheck, &pLogs);
    if (SUCCEEDED(hr)) {
      hr = pLogs->Delete();
      SafeRelease(pLogs);
    }
  }
  SafeRelease(pDb);
  return hr;
}

} // namespace

extern "C" HRESULT careful(IVdsSubSystem* pSub) { return Workflow(pSub, None); }
extern "C" HRESULT buggy_type_check(IVdsSubSystem* pSub) { return Workflow(pSub, TypeCheck); }
extern "C" HRESULT buggy_double_release(IVdsSubSystem* pSub) { return Workflow(pSub, DoubleRelease); }
extern "C" HRESULT buggy_no_deadline(IVdsSubSystem* pSub) { return Workflow(pSub, NoDeadline); }
extern "C" HRESULT buggy_use_after_release(IVdsSubSystem* pSub) { return Workflow(pSub, UseAfterRelease); }
extern "C" HRESULT buggy_ignores_wait(IVdsSubSystem* pSub) { return Workflow(pSub, IgnoresWait); }

// A client that dereferences a dead pointer: its process dies (check and explore run it in a
// process of its own, so that is a crash verdict, not the end of lunsim).
extern "C" HRESULT segfaults(IVdsSubSystem* pSub) {
  IVdsLun* volatile pLun = NULL;
  (void)pSub;
  return pLun->Delete();
}

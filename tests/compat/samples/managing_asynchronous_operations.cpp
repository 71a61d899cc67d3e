// "Managing Asynchronous Operations", a sample of Microsoft's Virtual Disk Service
// documentation (SynchronousCreateLun, the model of lunsim's reference client):
//   https://learn.microsoft.com/windows/win32/vds/managing-asynchronous-operations
// RECONSTRUCTED, not Microsoft's text (lunsim's repository carries no third-party text). It
// rebuilds the page's SynchronousCreateLun from its description and keeps every construct
// that decides whether the sample compiles, and its logic (which sim/provider/client.hpp's
// reference client follows): <windows.h> then "vds.h" and <stdio.h>, a `_SafeRelease` brace macro, CreateLun with
// all seven arguments, E_UNEXPECTED for S_OK without a handle, Wait writing the operation's
// result into hResult and a failed Wait folded in only when that result looked successful,
// E_UNEXPECTED for a wrong output type or a null cl.pLunUnk, QueryInterface(IID_IVdsLun) with a
// C-style `(void **)` cast, and both pointers released at the end.
// Built unchanged by tests/compat/CMakeLists.txt; keep it so.
#include <windows.h>
#include "vds.h"
#include <stdio.h>

//
// Releases an interface pointer unless it is NULL, then clears it.
//
#define _SafeRelease(x) { if (NULL != x) { x->Release(); x = NULL; } }

HRESULT SynchronousCreateLun(
    IVdsSubSystem   *pSubsystem,
    VDS_LUN_TYPE    type,
    ULONGLONG       ullSize,
    VDS_OBJECT_ID   *pDriveIdArray,
    LONG            lNumberOfDrives,
    LPWSTR          pwszUnmaskingList,
    VDS_HINTS       *pHints,
    IVdsLun         **ppLun)
{
    HRESULT hResult = S_OK;
    HRESULT hWait = S_OK;
    IVdsAsync *pAsync = NULL;
    IUnknown *pUnknown = NULL;
    VDS_ASYNC_OUTPUT asyncOut;

    ZeroMemory(&asyncOut, sizeof(VDS_ASYNC_OUTPUT));

    hResult = pSubsystem->CreateLun(type,
                                    ullSize,
                                    pDriveIdArray,
                                    lNumberOfDrives,
                                    pwszUnmaskingList,
                                    pHints,
                                    &pAsync);

    if (SUCCEEDED(hResult) && (!pAsync)) {
        hResult = E_UNEXPECTED; // S_OK, but no async object to wait on
    }

    if (SUCCEEDED(hResult)) {
        // Block until the operation ends; its own result lands in hResult.
        hWait = pAsync->Wait(&hResult, &asyncOut);
        if (SUCCEEDED(hResult) && FAILED(hWait)) {
            hResult = hWait;
        }
    }

    if (SUCCEEDED(hResult) && (VDS_ASYNCOUT_CREATELUN != asyncOut.type)) {
        hResult = E_UNEXPECTED; // S_OK, but the output is not a CreateLun's
    }

    if (SUCCEEDED(hResult)) {
        pUnknown = asyncOut.cl.pLunUnk;
        if (!pUnknown) {
            hResult = E_UNEXPECTED; // S_OK, but no LUN
        }
    }

    if (SUCCEEDED(hResult)) {
        hResult = pUnknown->QueryInterface(IID_IVdsLun, (void **) ppLun);
    }

    _SafeRelease(pAsync);
    _SafeRelease(pUnknown);

    return hResult;
}

// Sweeps over MPI ranks (`mpirun -np K lunsim sweep ...`): a dynamic task farm.
//
// Rank 0 is the coordinator and a worker. It hands out task indexes on request, never more
// than `window` ahead of the next result it has to aggregate, receives every result and
// consumes them strictly in task order (the same reorder-buffer contract as ordered_parallel),
// so the output is byte-identical to a single-process sweep whatever the number of ranks. A
// worker rank keeps up to 4 x threads tasks queued or running and asks for more as they
// finish, sending their results with the request, so the round trip to rank 0 overlaps the
// computation. Only each rank's main thread calls MPI (MPI_THREAD_FUNNELED).
// With one thread per rank (-j 1, the usual one rank per core), each rank's main thread runs
// its tasks itself and serves MPI between two tasks: no second thread competes for the core.
// A worker rank then keeps 12 tasks queued and sends its results with MPI_Isend: rank 0
// answers only between two of its own tasks, so a round trip can take a few task times.
// With several threads, each rank runs `threads` worker threads; a worker rank's main thread
// polls for its answer every ~100 us and otherwise sleeps until a task finishes, rank 0's
// polls for messages every ~100 us while its workers compute.
//
// Messages (MPI_BYTE): worker -> 0 `results` (tag 1): u64 wanted, u64 count, then per result
// u64 task, u64 length, bytes; 0 -> worker `assign` (tag 2): u64 task indexes, none meaning
// "no more work"; worker -> 0 `finished` (tag 3, empty) after its last results.
//
// MPI is initialised only by MpiSession, which `lunsim sweep` creates only when the process
// was started by an MPI launcher (launched_by_mpi) in a build with MPI (LUNSIM_MPI); no other
// command touches MPI.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sim::runner {

/// True when this build has MPI support (CMake LUNSIM_MPI found OpenMPI).
bool mpi_built();

/// True when the environment says an MPI launcher started this process (OMPI_COMM_WORLD_SIZE,
/// PMI_SIZE, PMIX_RANK or PMI_RANK is set: mpirun/mpiexec of OpenMPI and MPICH, srun).
bool launched_by_mpi();

class MpiSession {
public:
  /// MPI_Init_thread(MPI_THREAD_FUNNELED). Throws std::runtime_error without MPI support or
  /// when the library cannot give that thread level.
  MpiSession();
  /// MPI_Finalize.
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

  /// Rank 0's `values` to every rank (collective).
  void broadcast(std::vector<std::uint64_t>& values);

  /// The task farm of the file comment over tasks [0, n): work(t) runs on worker threads of
  /// any rank and returns the task's encoded result; consume(t, result) runs on rank 0's main
  /// thread in task order. Collective: every rank calls it with the same n, threads and window.
  /// An exception from consume stops the farm (no new task is handed out; every rank finishes
  /// what it holds and leaves) and is rethrown on rank 0; an exception from work ends the job
  /// with MPI_Abort (a worker rank cannot report it otherwise).
  void farm(std::uint64_t n, unsigned threads, std::uint64_t window,
            const std::function<std::string(std::uint64_t)>& work,
            const std::function<void(std::uint64_t, std::string&&)>& consume);

private:
  void coordinate(std::uint64_t n, unsigned threads, std::uint64_t window,
                  const std::function<std::string(std::uint64_t)>& work,
                  const std::function<void(std::uint64_t, std::string&&)>& consume);
  void serve(unsigned threads, const std::function<std::string(std::uint64_t)>& work);
  /// serve() for one thread: the main thread runs the tasks itself, no worker thread.
  void serve_inline(const std::function<std::string(std::uint64_t)>& work);

  int rank_ = 0;
  int size_ = 1;
};

} // namespace sim::runner

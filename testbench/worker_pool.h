// Runs independent pieces of work in worker processes (fork), for `run --jobs N`: SystemC allows
// one elaboration per process, so parallel simulations need processes, not threads. Each worker
// gets a list of item indices, runs `work` on it in a child process and hands back the bytes it
// returns through a temporary file. Pure C++ (POSIX); nothing here knows about SystemC.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace eyeriss {

// Longest-processing-time-first assignment of items with the given costs to `workers` lists:
// deterministic (ties go to the lower index), each list in increasing item order.
std::vector<std::vector<std::size_t>> assign_by_cost(const std::vector<double>& costs, int workers);

// Runs work(k, items[k]) in one child process per nonempty list and returns each child's bytes, in
// list order. The parent flushes its streams before forking; children never return into the
// caller (they _exit). A child that throws InputError or ModelError makes this throw the same
// type with the child's message (the failing worker with the lowest index wins, so the error
// does not depend on timing); a child that crashes or is killed is a ModelError naming the
// signal and its items. `what(items)` names a worker's items in messages.
std::vector<std::string> run_in_workers(
    const std::vector<std::vector<std::size_t>>& items,
    const std::function<std::string(std::size_t, const std::vector<std::size_t>&)>& work,
    const std::function<std::string(const std::vector<std::size_t>&)>& what);

}  // namespace eyeriss

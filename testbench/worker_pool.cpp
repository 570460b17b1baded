#include "testbench/worker_pool.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <numeric>

#include "models/common/error.h"

namespace eyeriss {
namespace {

// A child's result file: one status byte ('0' ok, '2' InputError, '3' ModelError), then the
// payload (the work's bytes, or the error message).
void write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(4);
    done += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void child(
    int fd, std::size_t k, const std::vector<std::size_t>& items,
    const std::function<std::string(std::size_t, const std::vector<std::size_t>&)>& work) {
  char status = '0';
  std::string payload;
  try {
    payload = work(k, items);
  } catch (const InputError& e) {
    status = '2';
    payload = e.what();
  } catch (const ModelError& e) {
    status = '3';
    payload = e.what();
  } catch (const std::exception& e) {
    status = '3';
    payload = std::string("internal error: ") + e.what();
  } catch (...) {
    status = '3';
    payload = "internal error: unknown exception";
  }
  write_all(fd, std::string(1, status) + payload);
  ::close(fd);
  std::cout.flush();
  std::cerr.flush();
  _exit(0);  // not exit(): the parent's objects are not the child's to destroy
}

}  // namespace

std::vector<std::vector<std::size_t>> assign_by_cost(const std::vector<double>& costs,
                                                     int workers) {
  const std::size_t n = static_cast<std::size_t>(std::max(workers, 1));
  std::vector<std::size_t> order(costs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
  std::vector<std::vector<std::size_t>> lists(n);
  std::vector<double> load(n, 0.0);
  for (const std::size_t i : order) {
    const std::size_t k =
        static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    lists[k].push_back(i);
    load[k] += costs[i];
  }
  for (auto& l : lists) std::sort(l.begin(), l.end());
  return lists;
}

std::vector<std::string> run_in_workers(
    const std::vector<std::vector<std::size_t>>& items,
    const std::function<std::string(std::size_t, const std::vector<std::size_t>&)>& work,
    const std::function<std::string(const std::vector<std::size_t>&)>& what) {
  struct Worker {
    pid_t pid = -1;
    std::string path;
  };
  std::vector<Worker> workers(items.size());
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (items[k].empty()) continue;
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/eyeriss-worker-XXXXXX";
    const int fd = ::mkstemp(&templ[0]);
    if (fd < 0)
      throw InputError("--jobs: cannot create a temporary file in " +
                       templ.substr(0, templ.rfind('/')) + ": " + std::strerror(errno));
    workers[k].path = templ;
    const pid_t pid = ::fork();
    if (pid < 0) {
      ::close(fd);
      throw ModelError(std::string("--jobs: cannot start a worker process: ") +
                       std::strerror(errno));
    }
    if (pid == 0) child(fd, k, items[k], work);
    ::close(fd);
    workers[k].pid = pid;
  }
  std::vector<std::string> out(items.size());
  std::string first_error;
  char first_kind = 0;
  for (std::size_t k = 0; k < items.size(); ++k) {
    Worker& w = workers[k];
    if (w.pid < 0) continue;
    int st = 0;
    while (::waitpid(w.pid, &st, 0) < 0 && errno == EINTR) {
    }
    std::ifstream in(w.path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::remove(w.path.c_str());
    char kind = 0;
    std::string msg;
    if (WIFSIGNALED(st)) {
      kind = '3';
      msg = "worker process for " + what(items[k]) + " was killed by signal " +
            std::to_string(WTERMSIG(st)) + " (" + strsignal(WTERMSIG(st)) + ")";
    } else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || bytes.empty()) {
      kind = '3';
      msg = "worker process for " + what(items[k]) + " ended without a result (exit status " +
            std::to_string(WIFEXITED(st) ? WEXITSTATUS(st) : -1) + ")";
    } else if (bytes[0] != '0') {
      kind = bytes[0];
      msg = bytes.substr(1);
    } else {
      out[k] = bytes.substr(1);
    }
    if (kind && !first_kind) {
      first_kind = kind;
      first_error = msg;
    }
  }
  if (first_kind == '2') throw InputError(first_error);
  if (first_kind) throw ModelError(first_error);
  return out;
}

}  // namespace eyeriss

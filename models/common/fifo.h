// A first-in first-out buffer on a growable ring: no allocation once it has reached its
// largest size (std::deque allocates and frees blocks as elements stream through it).
#pragma once
#include <cstddef>
#include <utility>
#include <vector>

namespace eyeriss {

template <typename T>
class Fifo {
 public:
  bool empty() const { return n_ == 0; }
  std::size_t size() const { return n_; }
  T& front() { return buf_[head_]; }
  const T& front() const { return buf_[head_]; }
  T& back() { return (*this)[n_ - 1]; }
  T& operator[](std::size_t i) { return buf_[(head_ + i) & (buf_.size() - 1)]; }
  const T& operator[](std::size_t i) const { return buf_[(head_ + i) & (buf_.size() - 1)]; }
  void push_back(T v) {
    if (n_ == buf_.size()) grow();
    (*this)[n_++] = std::move(v);
  }
  void pop_front() {
    buf_[head_] = T();
    head_ = (head_ + 1) & (buf_.size() - 1);
    --n_;
  }
  void clear() {
    while (n_) pop_front();
  }

  template <typename F>
  struct Iter {
    F* f;
    std::size_t i;
    auto& operator*() const { return (*f)[i]; }
    Iter& operator++() {
      ++i;
      return *this;
    }
    bool operator!=(const Iter& o) const { return i != o.i; }
  };
  Iter<Fifo> begin() { return {this, 0}; }
  Iter<Fifo> end() { return {this, n_}; }
  Iter<const Fifo> begin() const { return {this, 0}; }
  Iter<const Fifo> end() const { return {this, n_}; }

 private:
  void grow() {
    std::vector<T> b(buf_.empty() ? 4 : 2 * buf_.size());
    for (std::size_t i = 0; i < n_; ++i) b[i] = std::move((*this)[i]);
    buf_ = std::move(b);
    head_ = 0;
  }
  std::vector<T> buf_;
  std::size_t head_ = 0, n_ = 0;
};

}  // namespace eyeriss

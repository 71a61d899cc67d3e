// Result<T, E>: a value or an error, for functions whose failure is an ordinary outcome
// (parsing user input). GCC 12 has no std::expected in C++20 mode.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

namespace sim::base {

template <typename T, typename E>
class [[nodiscard]] Result {
public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(E error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  const E& error() const& { assert(!ok()); return std::get<1>(v_); }

private:
  std::variant<T, E> v_;
};

} // namespace sim::base

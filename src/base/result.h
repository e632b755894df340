// Result<T>: a value or an Error that carries what failed, the errno and a chain of context.
// Shaped like std::expected so C++23 can swap it in. No exceptions cross module boundaries.
#pragma once

#include <cerrno>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cordon {

struct Error {
  std::string message;               // what went wrong, e.g. "open /etc/x"; may be empty when err says it
  int err = 0;                       // errno, 0 when not a system error
  std::vector<std::string> context;  // outermost last: "mounting /usr", "building sandbox"
  std::string hint;                  // what to do about it, printed last

  // One line: "building sandbox: mounting /usr: open /usr: Permission denied (EACCES); <hint>".
  std::string ToString() const;
  Error& With(std::string what) & {
    context.push_back(std::move(what));
    return *this;
  }
  Error&& With(std::string what) && {
    context.push_back(std::move(what));
    return std::move(*this);
  }
};

inline Error MakeError(std::string message, int err = 0) { return Error{std::move(message), err, {}}; }
inline Error ErrnoError(std::string message) { return Error{std::move(message), errno, {}}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  Error& error() & { return std::get<1>(v_); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : err_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  Error& error() & { return err_; }
  const Error& error() const& { return err_; }
  Error&& error() && { return std::move(err_); }

 private:
  Error err_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace cordon

// Propagate an error, adding no context.
#define CORDON_TRY(expr)                                  \
  do {                                                    \
    auto cordon_try_r_ = (expr);                          \
    if (!cordon_try_r_.ok()) return std::move(cordon_try_r_).error(); \
  } while (0)

#define CORDON_CONCAT_INNER(a, b) a##b
#define CORDON_CONCAT(a, b) CORDON_CONCAT_INNER(a, b)
// Assign the value of a Result<T> or propagate its error.
#define CORDON_ASSIGN_OR_RETURN(lhs, expr) \
  CORDON_ASSIGN_OR_RETURN_IMPL(CORDON_CONCAT(cordon_r_, __LINE__), lhs, expr)
#define CORDON_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return std::move(tmp).error();      \
  lhs = std::move(tmp).value()
